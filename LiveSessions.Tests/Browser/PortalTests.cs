using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed partial class PortalTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_learner_registers_from_the_portal_to_a_full_session_and_sees_their_place_in_line()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var other = (await app.NewEmployeesAsync(1, "first"))[0];
        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(other.Email), TestContext.Current.CancellationToken);

        var page = await browser.SignInAsync("learner@demo.local", viewport: new ViewportSize { Width = 390, Height = 844 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My sessions", Level = 1 })).ToBeVisibleAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByLabel("Search course or session").FillAsync(session.Title);
        var card = page.GetByTestId("open-session").Filter(new() { HasText = session.Title });
        await Expect(page.GetByTestId("open-session")).ToHaveCountAsync(1);
        await Expect(card.GetByTestId("seats-left")).ToContainTextAsync("Full — waiting list");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Register to {session.Title}" }).ClickAsync();

        await Expect(page.GetByText("The session is full, so you joined the waiting list (position 1).")).ToBeVisibleAsync();
        var mine = page.GetByTestId("my-session").Filter(new() { HasText = session.Title });
        await Expect(mine.GetByTestId("next-step")).ToHaveTextAsync("You are 1st in line on the waiting list.");
        await Screenshots.SaveAsync(page, "portal-phone.png");
    }

    [Fact]
    public async Task An_approver_approves_from_the_emailed_link()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 3, approval: true);
        var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser("learner@demo.local"), ct);
        Assert.Equal(LearnerStatus.NeedsApproval, registered.Value!.Learner.Status);

        string text;
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(ct))
        {
            text = await db.Outbox.Where(o => o.SessionId == session.Id && o.Type == EmailType.ApprovalRequest && o.To == "approver@demo.local")
                .Select(o => o.TextBody).SingleAsync(ct);
        }

        var approve = LinkPath().Match(text[text.IndexOf("Approve:", StringComparison.Ordinal)..]).Value;
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync(approve);
        await Expect(page.GetByTestId("link-description")).ToContainTextAsync("Lena Learner will get a seat");
        Assert.Equal(LearnerStatus.NeedsApproval, (await app.Get<MySessions>().HandleAsync(AppFixture.LearnerUser("learner@demo.local"), ct)).Mine.Single(m => m.SessionId == session.Id).Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve Lena Learner" }).ClickAsync();
        await Expect(page.GetByTestId("link-result")).ToHaveTextAsync("Approved: Lena Learner is registered.");
        Assert.Equal(LearnerStatus.Registered, (await app.Get<MySessions>().HandleAsync(AppFixture.LearnerUser("learner@demo.local"), ct)).Mine.Single(m => m.SessionId == session.Id).Status);

        await page.GotoAsync(approve);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link was already used" })).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"/l/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPath();
}
