using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SessionPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_signs_in_opens_a_session_and_sees_its_learners_and_fill_rate()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 4, waitingList: true);
        var people = await app.NewEmployeesAsync(5, "ui");
        foreach (var p in people)
        {
            Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), TestContext.Current.CancellationToken)).IsOk);
        }

        var page = await browser.SignInAsync("admin@demo.local");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sessions", Level = 1 })).ToBeVisibleAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);

        await page.GetByLabel("Search title or location").FillAsync(session.Title);
        await page.GetByRole(AriaRole.Link, new() { Name = session.Title, Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = session.Title, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("card-fill-rate")).ToHaveTextAsync("100 %");
        await Expect(page.GetByTestId("card-seats")).ToContainTextAsync("4 taken · 0 held · 0 free of 4");
        var table = page.GetByRole(AriaRole.Table);
        foreach (var p in people)
        {
            await Expect(table.GetByText(p.Email)).ToBeVisibleAsync();
        }

        await Expect(table.GetByText("Registered", new() { Exact = true })).ToHaveCountAsync(4);
        await Expect(table.GetByText("Waiting List", new() { Exact = true })).ToHaveCountAsync(1);
        await Accessibility.AssertNoSeriousViolationsAsync(page, "a full session with a waiting list");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_sets_a_session_Ready_from_its_page_and_its_learners_are_invited()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(2, "ready");
        await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, TestContext.Current.CancellationToken);

        var page = await browser.SignInAsync("admin@demo.local");
        await page.GotoAsync($"/sessions/{session.Id}");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set Ready" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Set Ready" });
        await Expect(confirm).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "the Set Ready confirmation");
        await confirm.ClickAsync();

        await Expect(page.GetByLabel("Session status: Ready")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table).GetByText("Invited", new() { Exact = true })).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_trainer_is_sent_to_sign_in_and_then_cannot_open_a_session_they_do_not_train()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 3);
        var page = await browser.SignInAsync("trainer@demo.local");
        await page.GotoAsync($"/sessions/{session.Id}");
        await Expect(page.GetByText("This session does not exist or you do not train it.")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page, "a session the trainer does not train");
        await page.Context.CloseAsync();
    }
}
