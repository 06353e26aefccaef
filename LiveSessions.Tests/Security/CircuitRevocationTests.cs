using LiveSessions.Tests.Browser;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LiveSessions.Tests.Security;

/// <summary>An open page (a Blazor circuit) loses its access when its user's role is taken, without a reload.</summary>
public sealed class CircuitRevocationTests : IClassFixture<CircuitRevocationTests.QuickRecheckApp>
{
    private const string Password = Accounts.Password;
    private readonly QuickRecheckApp app;

    public CircuitRevocationTests(QuickRecheckApp app) => this.app = app;

    [Fact]
    public async Task A_trainer_whose_role_is_taken_is_sent_to_sign_in_from_the_page_already_open()
    {
        var (email, _) = await app.NewAccountAsync(Roles.Trainer, "circuit");

        Assertions.SetDefaultExpectTimeout(Patience.CeilingMs);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchAsync(playwright);
        var page = await BrowserFixture.SignInAsync(browser, app.BaseAddress, email, Password);
        await page.GotoAsync("/sessions");
        await BrowserFixture.WaitForInteractiveAsync(page);

        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByEmailAsync(email))!, Roles.Trainer)).Succeeded);
        }

        // The circuit checks its user every recheck interval (2 s here) and signs itself out: the page goes to sign-in.
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = Patience.CeilingMs });
    }

    /// <summary>The app rechecking accounts every 2 s, so the test's wait is short.</summary>
    public sealed class QuickRecheckApp : AppFixture
    {
        protected override IEnumerable<(string Key, string Value)> ExtraSettings() => [("LiveSessions:AccessRecheckSeconds", "2")];
    }
}
