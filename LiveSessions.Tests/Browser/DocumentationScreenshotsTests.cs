using LiveSessions.Tests.Demo;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>The app on its first-start demo data, with a browser: what a newcomer sees.</summary>
public sealed class DemoBrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public ShowcaseFixture App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(Infrastructure.Patience.CeilingMs);
        await App.InitializeAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchAsync(playwright);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>
/// The README's screenshots, taken from the demo data a first start shows (regenerate them with
/// <c>bash scripts/screenshots.sh</c>). Every run checks that each of these pages shows its demo content and passes axe.
/// </summary>
public sealed class DocumentationScreenshotsTests(DemoBrowserFixture demo) : IClassFixture<DemoBrowserFixture>
{
    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };

    [Fact]
    public async Task The_admin_sees_a_full_session_and_the_live_board()
    {
        var fullId = await SessionIdAsync("Security Awareness — full");
        var page = await BrowserFixture.SignInAsync(demo.Browser, demo.App.BaseAddress, DemoSeeder.AdminEmail, viewport: Desktop);
        await page.GotoAsync($"/sessions/{fullId}");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Security Awareness — full", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText(DemoSeeder.LearnerEmail)).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "the demo's full session");
        await Screenshots.SaveAsync(page, "session-page.png");
        await Screenshots.SaveAsync(page.Locator(".learners-card"), "learners-card.png");

        await page.GotoAsync("/dashboard");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByText("Security Awareness — full").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "the demo's dashboard");
        await Screenshots.SaveAsync(page, "dashboard.png");
    }

    [Fact]
    public async Task The_learner_on_a_phone_sees_the_seat_offered_to_them()
    {
        var page = await BrowserFixture.SignInAsync(demo.Browser, demo.App.BaseAddress, DemoSeeder.LearnerEmail, viewport: new ViewportSize { Width = 390, Height = 844 });
        await page.GotoAsync("/me");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByText("Security Awareness — full").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "the demo learner's portal");
        await Screenshots.SaveAsync(page, "portal-phone.png");
    }

    [Fact]
    public async Task The_trainer_on_a_tablet_has_todays_attendance_one_tap_away()
    {
        var page = await BrowserFixture.SignInAsync(demo.Browser, demo.App.BaseAddress, DemoSeeder.TrainerEmail, viewport: new ViewportSize { Width = 820, Height = 1180 });
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByText("Advanced Spreadsheets — today").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "the demo trainer's Today");
        await Screenshots.SaveAsync(page, "trainer-today.png");
    }

    private async Task<int> SessionIdAsync(string title)
    {
        await using var db = await demo.App.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Sessions.Where(s => s.Title == title).Select(s => s.Id).SingleAsync(TestContext.Current.CancellationToken);
    }
}
