using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed partial class PortalTests(BrowserFixture browser)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task A_learner_registers_from_the_portal_to_a_full_session_and_sees_their_place_in_line()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var other = (await app.NewEmployeesAsync(1, "first"))[0];
        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(other.Email), TestContext.Current.CancellationToken);

        var page = await browser.SignInAsync("learner@demo.local", viewport: Phone);
        try
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My sessions", Level = 1 })).ToBeVisibleAsync();
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.GetByLabel("Search title, course or location").FillAsync(session.Title);
            var card = page.GetByTestId("open-session").Filter(new() { HasText = session.Title });
            await Expect(page.GetByTestId("open-session")).ToHaveCountAsync(1);
            await Expect(card.GetByTestId("seats-left")).ToContainTextAsync("Full — waiting list");
            await card.GetByRole(AriaRole.Button, new() { Name = $"Join the waiting list of {session.Title}" }).ClickAsync();

            await Expect(page.GetByText("The session is full, so you joined the waiting list (position 1).")).ToBeVisibleAsync();
            var mine = page.GetByTestId("my-session").Filter(new() { HasText = session.Title });
            await Expect(mine.GetByTestId("next-step")).ToHaveTextAsync("You are 1st in line on the waiting list.");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the portal after joining a waiting list");

            // Now theirs, the session is listed once: under their sessions, no longer under the open ones.
            await Expect(page.GetByTestId("open-session")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("open-count")).ToHaveTextAsync($"No open session matches \"{session.Title}\".");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task On_a_phone_each_session_shows_once_the_page_never_scrolls_sideways_and_the_account_is_an_icon_menu()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var mine = await NamedSessionAsync($"Phone {tag} mine: a long title that has to wrap on a narrow phone screen without widening it", "https://meet.example.com/a-very-long-meeting-room-name-that-would-overflow-a-phone");
        var open = await NamedSessionAsync($"Phone {tag} open", "Building B, room 4.12");
        var elsewhere = await NamedSessionAsync($"Elsewhere {tag}", "Building C");
        var (learner, _) = await app.NewAccountAsync(Roles.Learner, "phone");
        Assert.True((await app.Get<RegisterLearner>().HandleAsync(mine.Id, AppFixture.LearnerUser(learner), ct)).IsOk);

        var page = await browser.SignInAsync(learner, Accounts.Password, Phone);
        try
        {
            await BrowserFixture.WaitForInteractiveAsync(page);
            var myCard = page.GetByTestId("my-session").Filter(new() { HasText = mine.Title });
            await Expect(myCard).ToHaveCountAsync(1);
            await Expect(myCard.GetByRole(AriaRole.Link, new() { Name = "Join the online meeting (meet.example.com)" }))
                .ToHaveAttributeAsync("href", "https://meet.example.com/a-very-long-meeting-room-name-that-would-overflow-a-phone");
            await Expect(page.GetByTestId("open-session").Filter(new() { HasText = mine.Title })).ToHaveCountAsync(0);

            // The search narrows the open sessions to the ones that match, on the server.
            await page.GetByLabel("Search title, course or location").FillAsync($"phone {tag}");
            await Expect(page.GetByTestId("open-session")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("open-session")).ToContainTextAsync(open.Title);
            await Expect(page.GetByTestId("open-count")).ToHaveTextAsync("Showing 1 of 1 open session.");
            await page.GetByLabel("Search title, course or location").FillAsync(tag);
            await Expect(page.GetByTestId("open-session")).ToHaveCountAsync(2);
            await Expect(page.GetByTestId("open-session").Filter(new() { HasText = elsewhere.Title })).ToHaveCountAsync(1);

            Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"), "the page scrolls sideways");

            // The app bar holds the title and one labelled account button, side by side on one line.
            var account = page.GetByRole(AriaRole.Button, new() { Name = $"Account: {learner}" });
            await Expect(account).ToBeVisibleAsync();
            var title = (await page.Locator(".app-title").BoundingBoxAsync())!;
            var button = (await account.BoundingBoxAsync())!;
            Assert.True(title.X + title.Width <= button.X, $"the title ({title.X}+{title.Width}) runs into the account button at {button.X}");
            Assert.True(button.Width >= 44 && button.Height >= 44, $"the account button is {button.Width}×{button.Height}");
            Assert.True((await page.Locator("header").BoundingBoxAsync())!.Height <= 64, "the app bar wraps to a second line");

            await Accessibility.AssertNoSeriousViolationsAsync(page, "portal at 390×844");

            await account.ClickAsync();
            await Expect(page.GetByText($"Signed in as {learner}")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Open_sessions_come_a_page_at_a_time_and_show_more_brings_the_next()
    {
        var app = browser.App;
        var tag = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < PortalPage.PageSize + 2; i++)
        {
            await NamedSessionAsync($"Paged {tag} {i:00}", "Room 1");
        }

        var (learner, _) = await app.NewAccountAsync(Roles.Learner, "paged");
        var page = await browser.SignInAsync(learner, Accounts.Password, Phone);
        try
        {
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.GetByLabel("Search title, course or location").FillAsync(tag);
            await Expect(page.GetByTestId("open-count")).ToHaveTextAsync($"Showing {PortalPage.PageSize} of {PortalPage.PageSize + 2} open sessions.");
            await Expect(page.GetByTestId("open-session")).ToHaveCountAsync(PortalPage.PageSize);

            await page.GetByRole(AriaRole.Button, new() { Name = "Show more open sessions" }).ClickAsync();
            await Expect(page.GetByTestId("open-session")).ToHaveCountAsync(PortalPage.PageSize + 2);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show more open sessions" })).ToHaveCountAsync(0);
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the portal's open sessions, all shown");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_learner_downloads_their_own_session_to_their_calendar_but_no_one_elses()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var mine = await app.NewSessionAsync(capacity: 3);
        var theirs = await app.NewSessionAsync(capacity: 3);
        var (learner, _) = await app.NewAccountAsync(Roles.Learner, "ics");
        Assert.True((await app.Get<RegisterLearner>().HandleAsync(mine.Id, AppFixture.LearnerUser(learner), ct)).IsOk);
        var someone = (await app.NewEmployeesAsync(1, "ics"))[0];
        Assert.True((await app.Get<RegisterLearner>().HandleAsync(theirs.Id, AppFixture.LearnerUser(someone.Email), ct)).IsOk);

        var page = await browser.SignInAsync(learner, Accounts.Password, Phone);
        try
        {
            await BrowserFixture.WaitForInteractiveAsync(page);
            var download = await page.RunAndWaitForDownloadAsync(() =>
                page.GetByRole(AriaRole.Link, new() { Name = $"Add to calendar: {mine.Title}" }).ClickAsync());
            Assert.EndsWith(".ics", download.SuggestedFilename, StringComparison.Ordinal);
            var text = await File.ReadAllTextAsync((await download.PathAsync())!, ct);
            Assert.Contains("METHOD:PUBLISH", text, StringComparison.Ordinal);
            Assert.Contains($"SUMMARY:{mine.Title}", text, StringComparison.Ordinal);
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the portal after a calendar download");

            var own = await page.APIRequest.GetAsync($"/me/sessions/{mine.Id}/calendar.ics");
            Assert.Equal(200, own.Status);
            Assert.StartsWith("text/calendar", own.Headers["content-type"], StringComparison.Ordinal);

            var others = await page.APIRequest.GetAsync($"/me/sessions/{theirs.Id}/calendar.ics");
            Assert.Equal(404, others.Status);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Cancelling_a_place_asks_first_with_keeping_it_as_the_default_and_giving_it_up_in_red()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 3);
        var (learner, _) = await app.NewAccountAsync(Roles.Learner, "cancel");
        Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(learner), ct)).IsOk);

        var page = await browser.SignInAsync(learner, Accounts.Password, Phone);
        try
        {
            await BrowserFixture.WaitForInteractiveAsync(page);
            var card = page.GetByTestId("my-session").Filter(new() { HasText = session.Title });
            await card.GetByRole(AriaRole.Button, new() { Name = "Cancel my place" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Cancel your place?" });
            await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Keep my place" })).ToBeFocusedAsync();
            await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel my place" })).ToHaveClassAsync(new Regex("mud-button-filled-error"));
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the cancel dialog at 390×844");

            // Enter on the default keeps the place.
            await page.Keyboard.PressAsync("Enter");
            await Expect(dialog).ToHaveCountAsync(0);
            await Expect(card.GetByTestId("next-step")).ToHaveTextAsync("You are registered. See you there!");

            await card.GetByRole(AriaRole.Button, new() { Name = "Cancel my place" }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel my place" }).ClickAsync();
            await Expect(page.GetByTestId("my-session").Filter(new() { HasText = session.Title }).GetByTestId("next-step"))
                .ToHaveTextAsync("Cancelled. You can register again while the session is open.");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Add to calendar: {session.Title}" })).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<SessionView> NamedSessionAsync(string title, string location)
    {
        var created = await browser.App.NewSessionAsync(capacity: 5);
        var renamed = await browser.App.Get<SaveSession>().UpdateAsync(created.Id, new SessionFields { Title = title, Location = location }, AppFixture.Admin, TestContext.Current.CancellationToken);
        Assert.True(renamed.IsOk, renamed.Message);
        return renamed.Value!;
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
        await Accessibility.AssertNoSeriousViolationsAsync(page, "the approval form of an emailed link");
        Assert.Equal(LearnerStatus.NeedsApproval, (await app.Get<MySessions>().HandleAsync(AppFixture.LearnerUser("learner@demo.local"), ct)).Mine.Single(m => m.SessionId == session.Id).Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve Lena Learner" }).ClickAsync();
        await Expect(page.GetByTestId("link-result")).ToHaveTextAsync("Approved: Lena Learner is registered.");
        Assert.Equal(LearnerStatus.Registered, (await app.Get<MySessions>().HandleAsync(AppFixture.LearnerUser("learner@demo.local"), ct)).Mine.Single(m => m.SessionId == session.Id).Status);

        await page.GotoAsync(approve);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link was already used" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "a used link");
        await context.CloseAsync();
    }

    [GeneratedRegex(@"/l/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPath();
}
