using Hangfire;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Live;

/// <summary>
/// Everything after a commit is driven by the committed change feed: a change that no reader has reacted to yet
/// (the dispatcher paused, or the process stopped) reaches views and plans its automation once reading resumes.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ChangeFeedTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_commit_appends_one_feed_row_with_its_version_range_learners_and_queued_emails()
    {
        var session = await app.NewSessionAsync(capacity: 5, waitingList: false, calendar: true);
        var people = await app.NewEmployeesAsync(2, "feedrow");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, Ct);
        var ids = added.Value!.Added.Select(a => a.Id).Order().ToList();

        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var rows = await db.ChangeFeed.AsNoTracking().Where(f => f.SessionId == session.Id).OrderBy(f => f.Id).ToListAsync(Ct);
        var last = rows[^1];
        Assert.Equal(ids, last.LearnerIdList().Order().ToList());
        Assert.True(last.Changes.HasFlag(FeedChange.Learners));
        Assert.Equal(rows[^2].Version, last.FromVersion);
        var version = await db.Sessions.Where(s => s.Id == session.Id).Select(s => s.Version).SingleAsync(Ct);
        Assert.Equal(version, last.Version);

        // Added to a Ready session with calendar, both learners are invited by email: the row names those outbox rows.
        var invitations = await db.Outbox.Where(o => o.SessionId == session.Id).Select(o => o.Id).ToListAsync(Ct);
        Assert.Equal(2, invitations.Count);
        Assert.Equal(invitations.Order(), last.OutboxIdList().Order());
    }

    [Fact]
    public async Task Changes_committed_while_the_dispatcher_is_paused_reach_views_and_plan_automation_when_it_resumes()
    {
        var session = await app.NewSessionAsync(capacity: 5, waitingList: false);
        var people = await app.NewEmployeesAsync(1, "feedpause");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([people[0].Email]), AppFixture.Admin, Ct);
        var learnerId = added.Value!.Added.Single().Id;
        await app.FeedDispatchedAsync();
        var plannedBefore = await PlanAsync(session.Id);
        Assert.NotNull(plannedBefore);

        var heard = new TaskCompletionSource<RosterChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var view = app.Get<RosterChangeNotifier>().Subscribe(session.Id, change =>
        {
            if (change.Learners.Any(l => l.Id == learnerId && l.Status == LearnerStatus.Registered))
            {
                heard.TrySetResult(change);
            }

            return Task.CompletedTask;
        });

        var dispatcher = app.Get<ChangeFeedDispatcher>();
        dispatcher.Pause();
        try
        {
            var registered = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([learnerId], LearnerStatus.Registered), AppFixture.Admin, Ct);
            Assert.True(registered.IsOk, registered.Message);
            var moved = await app.Get<SaveSession>().UpdateAsync(session.Id, await FieldsMovedAsync(session.Id, TimeSpan.FromHours(1)), AppFixture.Admin, Ct);
            Assert.True(moved.IsOk, moved.Message);

            // Committed and answered, but nobody has reacted yet: the plan is still the old one.
            Assert.Equal(plannedBefore, await PlanAsync(session.Id));
            Assert.False(heard.Task.IsCompleted);
        }
        finally
        {
            dispatcher.Resume();
        }

        var change = await heard.Task.WaitAsync(Patience.Ceiling, Ct);
        Assert.Equal(LearnerStatus.Registered, change.Learners.Single(l => l.Id == learnerId).Status);
        await app.FeedDispatchedAsync();
        Assert.NotEqual(plannedBefore, await PlanAsync(session.Id));
        Assert.Equal(2, Reminders(app, session.Id));
    }

    [Fact]
    public async Task A_change_committed_just_before_the_process_stopped_is_reacted_to_by_the_next_process()
    {
        var data = Path.Combine(Path.GetTempPath(), "livesessions-tests-restart-" + Guid.NewGuid().ToString("N"));
        int sessionId;
        try
        {
            await using (var first = new RestartableAppFixture(data))
            {
                await first.InitializeAsync();
                await first.FeedDispatchedAsync();

                // The process stops between the commit and its reactions: the session is Ready, nothing is planned.
                first.Get<ChangeFeedDispatcher>().Pause();
                sessionId = (await first.NewSessionAsync(capacity: 5)).Id;
                Assert.Null(await PlanAsync(first, sessionId));
            }

            await using var second = new RestartableAppFixture(data);
            await second.InitializeAsync();
            await second.FeedDispatchedAsync();

            Assert.NotNull(await PlanAsync(second, sessionId));
            Assert.Equal(1, Reminders(second, sessionId));

            // Read again (as after another restart), the same rows plan nothing twice.
            await second.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContext().FeedCursors
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.Position, 0L), Ct);
            await second.FeedDispatchedAsync();
            Assert.Equal(1, Reminders(second, sessionId));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private async Task<SessionFields> FieldsMovedAsync(int sessionId, TimeSpan by)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var s = await db.Sessions.AsNoTracking().SingleAsync(x => x.Id == sessionId, Ct);
        return new SessionFields
        {
            CourseId = s.CourseId,
            Title = s.Title,
            Start = s.Start + by,
            End = s.End + by,
            TimeZone = s.TimeZone,
            MaxCapacity = s.MaxCapacity,
            EnableWaitingList = s.EnableWaitingList,
            RequiresApproval = s.RequiresApproval,
            EnableCalendar = s.EnableCalendar,
            TrainerEmails = [],
        };
    }

    private static int Reminders(AppFixture on, int sessionId) =>
        on.Get<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10_000)
            .Count(j => j.Value.Job?.Type == typeof(AttendanceReminderJob) && (int)j.Value.Job.Args[0] == sessionId);

    private Task<string?> PlanAsync(int sessionId) => PlanAsync(app, sessionId);

    private static async Task<string?> PlanAsync(AppFixture on, int sessionId)
    {
        await using var db = await on.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.AutomationPlans.Where(p => p.SessionId == sessionId).Select(p => p.Key).SingleOrDefaultAsync(Ct);
    }
}
