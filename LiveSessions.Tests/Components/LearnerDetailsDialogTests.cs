using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Roster;

namespace LiveSessions.Tests.Components;

[Collection(AppCollection.Name)]
public sealed class LearnerDetailsDialogTests(AppFixture app) : MudComponentTest(app)
{
    [Fact]
    public async Task Opening_a_learner_shows_their_status_history_newest_first_with_actor_and_note()
    {
        var session = await App.NewSessionAsync(capacity: 10);
        var person = (await App.NewEmployeesAsync(1, "hist"))[0];
        await RegisterAsync(session.Id, [person.Email]);
        var learnerId = (await App.Get<RosterQueries>().ListAsync(session.Id, null, AppFixture.Admin, Ct)).Value!.Single().Id;
        var moved = await App.Get<UpdateLearnerStatus>().HandleAsync(session.Id,
            new UpdateLearnerStatusRequest([learnerId], LearnerStatus.Cancelled, "Moved to the spring session"), AppFixture.Admin, Ct);
        Assert.True(moved.IsOk, moved.Message);

        var cut = await RenderCardAsync(session.Id);
        await cut.ClickAsync(c => c.Find($"a[aria-label='Open {person.Name}']"));

        cut.WaitForAssertion(() => Assert.Contains("– → Registered", cut.DialogText(), StringComparison.Ordinal), MudSteps.Wait);
        var text = cut.DialogText();
        Assert.Contains(person.Name, text, StringComparison.Ordinal);
        Assert.Contains($"{person.Email} · {person.Department}", text, StringComparison.Ordinal);
        Assert.Equal("Cancelled", cut.Find("[role=dialog] [aria-label='Status: Cancelled']").TextContent.Trim());
        var cancelled = text.IndexOf("Registered → Cancelled", StringComparison.Ordinal);
        var registered = text.IndexOf("– → Registered", StringComparison.Ordinal);
        Assert.InRange(cancelled, 0, registered);
        Assert.Contains($"by {AppFixture.Admin.Email} (Admin)", text, StringComparison.Ordinal);
        Assert.Contains($"by {person.Email} (Learner)", text, StringComparison.Ordinal);
        Assert.Contains("“Moved to the spring session”", text, StringComparison.Ordinal);
    }
}
