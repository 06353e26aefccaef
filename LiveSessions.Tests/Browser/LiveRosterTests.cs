using System.Globalization;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using Microsoft.Playwright;
using static LiveSessions.Tests.Browser.LearnersCardSteps;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>The learners card follows committed changes live, whoever made them, without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveRosterTests(BrowserFixture browser)
{
    // Two rounds: the second proves the live view keeps following after its first update.
    private const int Runs = 2;

    [Fact]
    public async Task Two_admins_on_one_session_see_each_others_status_changes_live()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        const int capacity = 20;
        var session = await app.NewSessionAsync(capacity: capacity, waitingList: false);
        var people = await app.NewEmployeesAsync(Runs * 3, "live");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, ct);
        Assert.True(added.IsOk, added.Message);
        Assert.All(added.Value!.Added, l => Assert.Equal(LearnerStatus.NotInvited, l.Status));

        var first = await browser.SignInAsync("admin@demo.local");
        var second = await browser.SignInAsync("admin@demo.local");
        try
        {
            await OpenSessionAsync(first, session.Id, people[^1].Email);
            await OpenSessionAsync(second, session.Id, people[^1].Email);
            await Expect(second.GetByTestId("card-fill-rate")).ToHaveTextAsync("0 %");
            await Expect(second.GetByTestId("card-seats")).ToContainTextAsync($"0 taken · 0 held · {capacity} free of {capacity}");
            await MarkDocumentAsync(second);

            for (var run = 1; run <= Runs; run++)
            {
                var group = people.Skip((run - 1) * 3).Take(3).ToList();
                var taken = run * 3;
                var fill = $"{Math.Round(100.0 * taken / capacity, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)} %";
                var seats = $"{taken} taken · 0 held · {capacity - taken} free of {capacity}";

                // The first admin selects three learners and prepares Update Status → Registered.
                await ClearSelectionAsync(first);
                foreach (var person in group)
                {
                    await SelectAsync(first, person.Name);
                }

                await Expect(first.GetByTestId("selection-count")).ToHaveTextAsync("3 selected");
                await ChooseActionAsync(first, "Update Status");
                var dialog = first.GetByRole(AriaRole.Dialog, new() { Name = "Update Status" });
                await Expect(dialog.GetByTestId("applies-to")).ToHaveTextAsync("The change applies to 3 selected learners.");
                await PickAsync(first, dialog, "New status", "Registered");
                var apply = dialog.GetByRole(AriaRole.Button, new() { Name = "Update 3", Exact = true });
                await Expect(apply).ToBeEnabledAsync();

                // The second page has not reloaded and still shows the rows as they were.
                foreach (var person in group)
                {
                    await Expect(StatusChip(second, person.Email, "Not Invited")).ToBeVisibleAsync();
                }

                await apply.ClickAsync();

                // What the second admin sees, without a reload: the chips, the fill rate and the seats.
                foreach (var person in group)
                {
                    await Expect(StatusChip(second, person.Email, "Registered")).ToBeVisibleAsync();
                }

                await Expect(second.GetByTestId("card-fill-rate")).ToHaveTextAsync(fill);
                await Expect(second.GetByTestId("card-seats")).ToContainTextAsync(seats);
                await Expect(second.GetByTestId("count-Registered")).ToContainTextAsync($"Registered · {taken}");

                // The first admin's dialog reports the change, and their own card shows it too.
                await Expect(dialog.GetByTestId("update-result")).ToContainTextAsync("3 updated, 0 refused.");
                await Accessibility.AssertNoSeriousViolationsAsync(first, "the Update Status dialog's result");
                await dialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
                await Expect(dialog).ToBeHiddenAsync();
                await Expect(first.GetByTestId("card-fill-rate")).ToHaveTextAsync(fill);
            }

            await ExpectSameDocumentAsync(second);
        }
        finally
        {
            await first.Context.CloseAsync();
            await second.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Changes_made_through_the_handlers_show_in_an_open_page_without_reload()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 5);
        var people = await app.NewEmployeesAsync(3, "handler");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Take(2).Select(p => p.Email).ToList()), AppFixture.Admin, ct);
        Assert.True(added.IsOk, added.Message);
        var learner = added.Value!.Added.Single(l => l.Email == people[0].Email);

        var page = await browser.SignInAsync("admin@demo.local");
        try
        {
            await OpenSessionAsync(page, session.Id, people[0].Email);
            await Expect(page.GetByTestId("card-fill-rate")).ToHaveTextAsync("0 %");
            await Expect(page.GetByTestId("card-seats")).ToContainTextAsync("0 taken · 0 held · 5 free of 5");
            await Expect(page.GetByTestId("learner-total")).ToHaveTextAsync("2 learners");
            await MarkDocumentAsync(page);

            // An admin elsewhere (the API's handler) registers one learner.
            var updated = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([learner.Id], LearnerStatus.Registered), AppFixture.Admin, ct);
            Assert.True(updated.IsOk, updated.Message);
            Assert.Empty(updated.Value!.Refused);

            await Expect(StatusChip(page, people[0].Email, "Registered")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("card-fill-rate")).ToHaveTextAsync("20 %");
            await Expect(page.GetByTestId("card-seats")).ToContainTextAsync("1 taken · 0 held · 4 free of 5");

            // A learner registers themself from the portal: a new row appears.
            Assert.Equal(0, await Row(page, people[2].Email).CountAsync());
            var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[2].Email), ct);
            Assert.True(registered.IsOk, registered.Message);

            await Expect(StatusChip(page, people[2].Email, "Registered")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("card-fill-rate")).ToHaveTextAsync("40 %");
            await Expect(page.GetByTestId("card-seats")).ToContainTextAsync("2 taken · 0 held · 3 free of 5");
            await Expect(page.GetByTestId("learner-total")).ToHaveTextAsync("3 learners");
            await Expect(StatusChip(page, people[1].Email, "Not Invited")).ToBeVisibleAsync();
            await ExpectSameDocumentAsync(page);
            await Accessibility.AssertNoSeriousViolationsAsync(page, "a session page after live changes");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_admin_with_a_learner_selected_is_told_when_someone_else_changes_that_learner()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 5);
        var people = await app.NewEmployeesAsync(2, "notice");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, ct);
        Assert.True(added.IsOk, added.Message);
        var selectedOne = added.Value!.Added.Single(l => l.Email == people[0].Email);
        var otherOne = added.Value!.Added.Single(l => l.Email == people[1].Email);
        var someoneElse = new CurrentUser("other.admin@demo.local", "Other Admin", new HashSet<string> { Roles.Admin });

        var page = await browser.SignInAsync("admin@demo.local");
        try
        {
            await OpenSessionAsync(page, session.Id, people[0].Email);
            await SelectAsync(page, people[0].Name);
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("1 selected");

            // A change to a learner the admin has not selected updates the row but tells nothing.
            var unrelated = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([otherOne.Id], LearnerStatus.Registered), someoneElse, ct);
            Assert.True(unrelated.IsOk, unrelated.Message);
            await Expect(StatusChip(page, people[1].Email, "Registered")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("changed-notice")).ToHaveCountAsync(0);

            // Someone else changes the selected learner: the row updates and the notice says who and what.
            var changed = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([selectedOne.Id], LearnerStatus.Registered), someoneElse, ct);
            Assert.True(changed.IsOk, changed.Message);
            await Expect(StatusChip(page, people[0].Email, "Registered")).ToBeVisibleAsync();
            var notice = page.GetByTestId("changed-notice");
            await Expect(notice).ToBeVisibleAsync();
            await Expect(notice).ToContainTextAsync($"{people[0].Name} was just changed by other.admin@demo.local (now Registered).");
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("1 selected");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the notice that a selected learner changed");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
