using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Registration;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>
/// axe-core on every main page, for each role that uses it, at desktop (1440×900) and tablet (820×1180) sizes:
/// no serious or critical WCAG 2.1 AA violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser)
{
    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };
    private static readonly ViewportSize Tablet = new() { Width = 820, Height = 1180 };

    public static TheoryData<string> Sizes => ["desktop", "tablet"];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Admin_pages_have_no_serious_violations(string size)
    {
        var session = await SessionWithLearnersAsync();
        await AssertPagesAsync(DemoSeeder.AdminEmail, size,
        [
            "/sessions", $"/sessions/{session}", $"/sessions/{session}/edit", "/sessions/new", $"/sessions/{session}/attendance", "/dashboard", "/mailbox",
            "/employees", "/courses", "/users", "/audit", "/calendar-replies", "/approvals",
        ]);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Trainer_approver_and_learner_pages_have_no_serious_violations(string size)
    {
        var session = await SessionWithLearnersAsync();
        await AssertPagesAsync(DemoSeeder.TrainerEmail, size, ["/today", "/sessions", $"/sessions/{session}", $"/sessions/{session}/attendance", "/dashboard"]);
        await AssertPagesAsync(DemoSeeder.ApproverEmail, size, ["/approvals"]);
        await AssertPagesAsync(DemoSeeder.LearnerEmail, size, ["/me"]);
    }

    private async Task AssertPagesAsync(string email, string size, string[] paths)
    {
        var page = await browser.SignInAsync(email, viewport: size == "tablet" ? Tablet : Desktop);
        try
        {
            foreach (var path in paths)
            {
                await page.GotoAsync(path);
                await BrowserFixture.WaitForInteractiveAsync(page);
                await Expect(page.Locator("h1").First).ToBeVisibleAsync();
                await Accessibility.AssertNoSeriousViolationsAsync(page, $"{path} as {email} ({size})");
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<int> SessionWithLearnersAsync()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 3, waitingList: true, trainers: [DemoSeeder.TrainerEmail]);
        foreach (var person in await app.NewEmployeesAsync(4, "axe"))
        {
            Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), TestContext.Current.CancellationToken)).IsOk);
        }

        return session.Id;
    }
}
