using LiveSessions.Web.Features.Demo;
using Microsoft.Playwright;

namespace LiveSessions.Tests.Browser;

/// <summary>An admin invites someone from the Users page, gets the set-password link, and gives them a second role.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UsersPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_admin_invites_a_person_sees_their_one_time_link_and_gives_them_another_role()
    {
        var email = $"newcomer.{Guid.NewGuid().ToString("N")[..10]}@acme.example";
        var page = await browser.SignInAsync(DemoSeeder.AdminEmail);
        await page.GotoAsync("/users");
        await BrowserFixture.WaitForInteractiveAsync(page);

        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nina Newcomer");
        await page.GetByTestId("invite").ClickAsync();

        await Assertions.Expect(page.GetByTestId("set-password-link")).ToContainTextAsync(email);
        await Assertions.Expect(page.GetByTestId("set-password-link").Locator("input")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/account/set-password\\?user="));
        await Accessibility.AssertNoSeriousViolationsAsync(page, "the users page with a new person's one-time link");

        await page.GetByLabel("Search by email or name").FillAsync(email);
        var trainer = page.GetByLabel($"Trainer role for {email}");
        await trainer.CheckAsync();
        await Assertions.Expect(page.GetByTestId("last-change")).ToHaveTextAsync($"{email} is now Trainer.");
        await Assertions.Expect(page.GetByLabel($"Learner role for {email}")).ToBeCheckedAsync();
        await Assertions.Expect(trainer).ToBeCheckedAsync();
        await page.Context.CloseAsync();
    }
}
