using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Roster;

namespace LiveSessions.Tests.Live;

/// <summary>Views of one session are told of a change side by side: one that hangs or throws holds up no other.</summary>
[Collection(AppCollection.Name)]
public sealed class SlowViewTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Views_that_hang_and_one_that_throws_do_not_keep_another_from_hearing_the_change()
    {
        var session = await app.NewSessionAsync(capacity: 5, waitingList: false);
        var people = await app.NewEmployeesAsync(1, "slowview");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([people[0].Email]), AppFixture.Admin, Ct);
        var learnerId = added.Value!.Added.Single().Id;
        await app.FeedDispatchedAsync();
        var notifier = app.Get<RosterChangeNotifier>();

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hangingToldOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var heard = new TaskCompletionSource<LearnerStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Ten hanging views: views are kept in no particular order, and told one after another the healthy one
        // would almost always come after one of them.
        var hanging = Enumerable.Range(0, 10).Select(_ => notifier.Subscribe(session.Id, async _ =>
        {
            hangingToldOnce.TrySetResult();
            await release.Task;
        })).ToList();
        using var broken = notifier.Subscribe(session.Id, _ => throw new InvalidOperationException("A closed circuit."));
        using var healthy = notifier.Subscribe(session.Id, change =>
        {
            if (change.Learners.FirstOrDefault(l => l.Id == learnerId) is { } row)
            {
                heard.TrySetResult(row.Status);
            }

            return Task.CompletedTask;
        });

        var update = app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([learnerId], LearnerStatus.Registered), AppFixture.Admin, Ct);

        // The healthy view hears while the hanging one is still stuck in its handler.
        Assert.Equal(LearnerStatus.Registered, await heard.Task.WaitAsync(Patience.Ceiling, Ct));
        await hangingToldOnce.Task.WaitAsync(Patience.Ceiling, Ct);
        Assert.False(release.Task.IsCompleted);

        release.SetResult();
        var outcome = await update.WaitAsync(Patience.Ceiling, Ct);
        Assert.True(outcome.IsOk, outcome.Message);
        hanging.ForEach(h => h.Dispose());
    }
}
