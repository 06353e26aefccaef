using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Attendance;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Tests.Attendance;

/// <summary>The taps of the attendance form: saved once however often they are replayed, and the later mark wins.</summary>
[Collection(AppCollection.Name)]
public sealed class SaveTapsTests(AppFixture app)
{
    private static readonly CurrentUser Trainer = new(DemoSeeder.TrainerEmail, "Tina Trainer", new HashSet<string> { Roles.Trainer });

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static AttendanceTap Tap(int learnerId, bool attended, long? at = null) =>
        new(Guid.NewGuid().ToString("N"), learnerId, attended, at ?? Now);

    [Fact]
    public async Task A_tap_replayed_after_a_reconnect_is_saved_once()
    {
        var seated = await app.SeatedSessionAsync(1, "replay", trainers: [DemoSeeder.TrainerEmail]);
        var learnerId = seated.LearnerIds.Values.Single();
        var tap = Tap(learnerId, attended: true);
        var taps = app.Get<SaveTaps>();

        var first = await taps.HandleAsync(seated.Id, [tap], Trainer, TestContext.Current.CancellationToken);
        var replay = await taps.HandleAsync(seated.Id, [tap, tap], Trainer, TestContext.Current.CancellationToken);

        Assert.Equal(TapResult.Saved, first.Single().Result);
        Assert.All(replay, o => Assert.Equal((tap.Id, TapResult.Saved, true, LearnerStatus.Attended), (o.Id, o.Result, o.Done, o.Learner!.Status)));
        Assert.Equal(1, await app.MarkHistoryCountAsync(learnerId));
    }

    [Fact]
    public async Task Taps_are_saved_in_the_order_they_were_made_so_a_correction_sticks()
    {
        var seated = await app.SeatedSessionAsync(1, "order", trainers: [DemoSeeder.TrainerEmail]);
        var learnerId = seated.LearnerIds.Values.Single();

        var outcomes = await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, true), Tap(learnerId, false)], Trainer, TestContext.Current.CancellationToken);

        Assert.All(outcomes, o => Assert.Equal(TapResult.Saved, o.Result));
        Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(learnerId));
        Assert.Equal(2, await app.MarkHistoryCountAsync(learnerId));
    }

    [Fact]
    public async Task A_tap_kept_offline_does_not_overwrite_another_trainers_later_mark()
    {
        var second = await app.NewTrainerAsync("Paula Partner");
        var seated = await app.SeatedSessionAsync(1, "later", trainers: [DemoSeeder.TrainerEmail, second]);
        var learnerId = seated.LearnerIds.Values.Single();
        var secondTrainer = new CurrentUser(second, "Paula Partner", new HashSet<string> { Roles.Trainer });
        var tappedOffline = Tap(learnerId, attended: true, at: Now - 60_000);

        var later = await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, attended: false)], secondTrainer, TestContext.Current.CancellationToken);
        var replayed = await app.Get<SaveTaps>().HandleAsync(seated.Id, [tappedOffline], Trainer, TestContext.Current.CancellationToken);

        Assert.Equal(TapResult.Saved, later.Single().Result);
        var outcome = replayed.Single();
        Assert.Equal((TapResult.Overruled, true, LearnerStatus.Absent), (outcome.Result, outcome.Done, outcome.Learner!.Status));
        Assert.Contains($"was marked Absent by {second} after your tap", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(learnerId));
        Assert.Equal(1, await app.MarkHistoryCountAsync(learnerId));
    }

    [Fact]
    public async Task A_tap_made_after_another_trainers_mark_corrects_it()
    {
        var second = await app.NewTrainerAsync("Quentin Quick");
        var seated = await app.SeatedSessionAsync(1, "after", trainers: [DemoSeeder.TrainerEmail, second]);
        var learnerId = seated.LearnerIds.Values.Single();
        var secondTrainer = new CurrentUser(second, "Quentin Quick", new HashSet<string> { Roles.Trainer });

        await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, attended: false)], secondTrainer, TestContext.Current.CancellationToken);
        var corrected = await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, attended: true, at: Now + 1_000)], Trainer, TestContext.Current.CancellationToken);

        Assert.Equal(TapResult.Saved, corrected.Single().Result);
        Assert.Equal(LearnerStatus.Attended, await app.StatusOfAsync(learnerId));
    }

    [Fact]
    public async Task A_trainers_own_earlier_mark_never_blocks_their_correction_whatever_the_clocks_say()
    {
        var seated = await app.SeatedSessionAsync(1, "own", trainers: [DemoSeeder.TrainerEmail]);
        var learnerId = seated.LearnerIds.Values.Single();

        await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, attended: true)], Trainer, TestContext.Current.CancellationToken);
        var corrected = await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, attended: false, at: Now - 60_000)], Trainer, TestContext.Current.CancellationToken);

        Assert.Equal(TapResult.Saved, corrected.Single().Result);
        Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(learnerId));
    }

    [Fact]
    public async Task A_trainer_of_another_session_cannot_mark_its_learners()
    {
        var other = await app.NewTrainerAsync("Rita Elsewhere");
        var seated = await app.SeatedSessionAsync(2, "foreign", trainers: [other]);
        var learnerId = seated.LearnerIds.Values.First();

        var tapped = await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, attended: true)], Trainer, TestContext.Current.CancellationToken);
        var all = await app.Get<MarkRemainingAttended>().HandleAsync(seated.Id, Trainer, TestContext.Current.CancellationToken);

        Assert.Equal((TapResult.Refused, true, null), (tapped.Single().Result, tapped.Single().Done, tapped.Single().Learner));
        Assert.Equal("Only this session's trainers and admins can take its attendance.", tapped.Single().Message);
        Assert.Equal(OutcomeKind.Forbidden, all.Kind);
        foreach (var id in seated.LearnerIds.Values)
        {
            Assert.Equal(LearnerStatus.Registered, await app.StatusOfAsync(id));
        }
    }

    [Fact]
    public async Task A_tap_for_someone_no_longer_registered_is_refused_for_good()
    {
        var seated = await app.SeatedSessionAsync(1, "gone", trainers: [DemoSeeder.TrainerEmail]);
        var learnerId = seated.LearnerIds.Values.Single();
        var cancelled = await app.Get<SetSessionStatus>().HandleAsync(seated.Id, SessionStatus.Cancelled, AppFixture.Admin, TestContext.Current.CancellationToken);
        Assert.True(cancelled.IsOk, cancelled.Message);

        var outcome = (await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, attended: true)], Trainer, TestContext.Current.CancellationToken)).Single();

        Assert.Equal((TapResult.Refused, true), (outcome.Result, outcome.Done));
        Assert.Contains("Cancelled", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(LearnerStatus.Cancelled, await app.StatusOfAsync(learnerId));
    }

    [Fact]
    public async Task Mark_all_remaining_marks_only_the_learners_still_unmarked()
    {
        var seated = await app.SeatedSessionAsync(4, "all", trainers: [DemoSeeder.TrainerEmail], capacity: 5);
        var ids = seated.LearnerIds.Values.ToList();
        var walkIn = (await app.NewEmployeesAsync(1, "allgo")).Single();
        await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(ids[0], attended: false)], Trainer, TestContext.Current.CancellationToken);
        var goShow = await app.Get<AddGoShow>().HandleAsync(seated.Id, new GoShowRequest(EmployeeId: walkIn.Id), Trainer, TestContext.Current.CancellationToken);
        Assert.True(goShow.IsOk, goShow.Message);

        var marked = await app.Get<MarkRemainingAttended>().HandleAsync(seated.Id, Trainer, TestContext.Current.CancellationToken);
        var again = await app.Get<MarkRemainingAttended>().HandleAsync(seated.Id, Trainer, TestContext.Current.CancellationToken);

        Assert.Equal(3, marked.Value!.Marked);
        Assert.Equal(0, again.Value!.Marked);
        Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(ids[0]));
        Assert.Equal(LearnerStatus.GoShow, await app.StatusOfAsync(goShow.Value!.Id));
        foreach (var id in ids.Skip(1))
        {
            Assert.Equal(LearnerStatus.Attended, await app.StatusOfAsync(id));
            Assert.Equal(1, await app.MarkHistoryCountAsync(id));
        }
    }

    [Fact]
    public async Task The_live_notifier_tells_other_forms_about_a_tap_after_it_is_committed()
    {
        var seated = await app.SeatedSessionAsync(1, "notify", trainers: [DemoSeeder.TrainerEmail]);
        var learnerId = seated.LearnerIds.Values.Single();
        await app.FeedDispatchedAsync();
        var heard = new TaskCompletionSource<LearnerRow>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Get<Web.Features.Live.RosterChangeNotifier>().Subscribe(seated.Id, change =>
        {
            if (change.Learners.FirstOrDefault(l => l.Id == learnerId) is { } row)
            {
                heard.TrySetResult(row);
            }

            return Task.CompletedTask;
        });

        await app.Get<SaveTaps>().HandleAsync(seated.Id, [Tap(learnerId, attended: true)], Trainer, TestContext.Current.CancellationToken);
        var row = await heard.Task.WaitAsync(Patience.Ceiling, TestContext.Current.CancellationToken);

        Assert.Equal(LearnerStatus.Attended, row.Status);
        Assert.Equal(LearnerStatus.Attended, await app.StatusOfAsync(learnerId));
    }
}
