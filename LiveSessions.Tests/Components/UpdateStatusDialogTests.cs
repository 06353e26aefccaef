using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;

namespace LiveSessions.Tests.Components;

[Collection(AppCollection.Name)]
public sealed class UpdateStatusDialogTests(AppFixture app) : MudComponentTest(app)
{
    [Fact]
    public async Task Seating_more_learners_than_seats_are_free_needs_the_overbook_checkbox()
    {
        var session = await App.NewSessionAsync(capacity: 2, waitingList: true);
        var people = await App.NewEmployeesAsync(3, "over");
        await RegisterAsync(session.Id, people.Select(p => p.Email));
        var waiting = people[2];

        var cut = await RenderCardAsync(session.Id);
        await cut.TickAsync($"Select {waiting.Name}");
        await cut.ChooseActionAsync("Update Status");

        Assert.Equal("The change applies to 1 selected learner.", cut.TestId("applies-to"));
        Assert.True(cut.Button("Update 1").IsDisabled());

        // Leaving the waiting list for a status without a seat needs no seat.
        await cut.PickAsync("New status", "Cancelled");
        cut.WaitForAssertion(() => Assert.False(cut.Button("Update 1").IsDisabled()));
        Assert.Empty(cut.FindAll("[data-testid=overbook-warning]"));

        await cut.PickAsync("New status", "Registered");
        cut.WaitForAssertion(() => Assert.Equal(
            "This needs 1 seat and only 0 are free: the session would be overbooked.",
            Normalize(cut.TestId("overbook-warning"))));
        Assert.True(cut.Button("Update 1").IsDisabled());

        await cut.TickAsync("Overbook the session on purpose");
        cut.WaitForAssertion(() => Assert.False(cut.Button("Update 1").IsDisabled()));
        await cut.ClickAsync("Update 1");

        cut.WaitForAssertion(() => Assert.Equal("1 updated, 0 refused.", cut.TestId("update-result")), MudSteps.Wait);
        await cut.ClickAsync("Close");
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[role=dialog]"));
            Assert.Equal("Registered · 3", cut.TestId("count-Registered"));
            Assert.Equal("3 taken · 0 held · 0 free of 2", cut.TestId("card-seats"));
            Assert.Equal("150 %", cut.TestId("card-fill-rate"));
        }, MudSteps.Wait);
    }

    [Fact]
    public async Task Each_learner_is_updated_or_refused_with_the_reason()
    {
        var session = await App.NewSessionAsync(capacity: 5);
        var people = await App.NewEmployeesAsync(3, "upd");
        var (registered, changedMeanwhile, notInvited) = (people[0], people[1], people[2]);
        await RegisterAsync(session.Id, [registered.Email, changedMeanwhile.Email]);
        var added = await App.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([notInvited.Email]), AppFixture.Admin, Ct);
        Assert.True(added.IsOk, added.Message);

        var cut = await RenderCardAsync(session.Id);
        foreach (var p in people)
        {
            await cut.TickAsync($"Select {p.Name}");
        }

        cut.WaitForAssertion(() => Assert.Equal("3 selected", cut.SelectionCount()));
        await cut.ChooseActionAsync("Update Status");
        Assert.Equal("The change applies to 3 selected learners.", cut.TestId("applies-to"));
        await cut.PickAsync("New status", "Registered");

        // One seat is needed and three are free: no overbooking to confirm.
        cut.WaitForAssertion(() => Assert.False(cut.Button("Update 3").IsDisabled()));
        Assert.Empty(cut.FindAll("[data-testid=overbook-warning]"));

        // While the dialog is open, a learner the admin selected cancels on their own.
        var cancelled = await App.Get<CancelRegistration>().HandleAsync(session.Id, AppFixture.LearnerUser(changedMeanwhile.Email), Ct);
        Assert.True(cancelled.IsOk, cancelled.Message);

        await cut.ClickAsync("Update 3");
        cut.WaitForAssertion(() => Assert.Equal("1 updated, 2 refused.", cut.TestId("update-result")), MudSteps.Wait);
        var refusals = cut.Find("[aria-label='Refused learners']").TextContent;
        Assert.Contains("This learner is already Registered.", refusals, StringComparison.Ordinal);
        Assert.Contains($"{changedMeanwhile.Name} changed since you selected them (now Cancelled); review the row and try again.", refusals, StringComparison.Ordinal);

        await cut.ClickAsync("Close");
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[role=dialog]"));
            Assert.Equal("Registered · 2", cut.TestId("count-Registered"));
            Assert.Equal("Cancelled · 1", cut.TestId("count-Cancelled"));
            Assert.Equal("Not Invited · 0", cut.TestId("count-NotInvited"));
        }, MudSteps.Wait);
        var roster = (await App.Get<RosterQueries>().ListAsync(session.Id, null, AppFixture.Admin, Ct)).Value!;
        Assert.Equal(LearnerStatus.Registered, roster.Single(l => l.Email == notInvited.Email).Status);
    }

    [Fact]
    public async Task Cancelling_a_registered_learner_says_who_the_waiting_list_promoted_to_the_freed_seat()
    {
        var session = await App.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await App.NewEmployeesAsync(2, "promo");
        await RegisterAsync(session.Id, people.Select(p => p.Email));
        var (registered, waiting) = (people[0], people[1]);

        var cut = await RenderCardAsync(session.Id);
        await cut.TickAsync($"Select {registered.Name}");
        await cut.ChooseActionAsync("Update Status");
        await cut.PickAsync("New status", "Cancelled");
        cut.WaitForAssertion(() => Assert.False(cut.Button("Update 1").IsDisabled()));
        await cut.ClickAsync("Update 1");

        cut.WaitForAssertion(() => Assert.Equal("1 updated, 0 refused.", cut.TestId("update-result")), MudSteps.Wait);
        Assert.Equal(
            $"The freed seat was offered to {waiting.Name} from the waiting list (now Invited, with a seat offer).",
            Normalize(cut.TestId("promoted-result")));

        await cut.ClickAsync("Close");
        cut.WaitForAssertion(() => Assert.Equal("0 taken · 1 held · 0 free of 1", cut.TestId("card-seats")), MudSteps.Wait);
        Assert.Equal("Invited · 1", cut.TestId("count-Invited"));
    }

    [Fact]
    public async Task A_change_that_frees_no_seat_promotes_nobody()
    {
        var session = await App.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await App.NewEmployeesAsync(2, "nopromo");
        await RegisterAsync(session.Id, people.Select(p => p.Email));

        // The waiting learner leaves the line: no seat frees, so nobody is offered one.
        var waitingId = await LearnerIdAsync(session.Id, people[1].Email);
        var result = await App.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([waitingId], LearnerStatus.Declined), AppFixture.Admin, Ct);
        Assert.True(result.IsOk, result.Message);
        Assert.Single(result.Value!.Updated);
        Assert.Empty(result.Value.Promoted);
    }

    private async Task<int> LearnerIdAsync(int sessionId, string email) =>
        (await App.Get<RosterQueries>().ListAsync(sessionId, null, AppFixture.Admin, Ct)).Value!.Single(l => l.Email == email).Id;

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
