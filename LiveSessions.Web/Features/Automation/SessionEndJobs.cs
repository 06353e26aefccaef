using Hangfire;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Automation;

/// <summary>What was last planned for a session's timed automation, written after its jobs were scheduled.</summary>
public sealed class AutomationPlan
{
    public int SessionId { get; set; }

    /// <summary>The times and settings the jobs were scheduled for (<see cref="SessionAutomationScheduler.KeyOf"/>).</summary>
    public required string Key { get; set; }

    public DateTimeOffset PlannedAt { get; set; }
}

/// <summary>
/// Plans a session's timed automation whenever it becomes Ready or its details change: the attendance reminder
/// (start − lead time) and the after-the-end step (mark still-Registered learners Absent). Each job remembers the
/// times it was planned for, so a job planned for an older start or end does nothing: moving the session replans.
/// After scheduling, the plan is written down; <see cref="AutomationSweep"/> replans every upcoming Ready session whose
/// written plan is missing or older, so a crash between a commit and its scheduling loses no reminder.
/// </summary>
public sealed class SessionAutomationScheduler(IBackgroundJobClient jobs, TimeProvider clock)
{
    // Sessions a sweep found without a matching plan, and when: the sweep replans only those still unplanned a while
    // later, so it never races a commit whose own planning is about to run.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (string Key, DateTimeOffset Since)> unplanned = new();

    /// <summary>When a sweep first saw <paramref name="sessionId"/> without a plan for <paramref name="key"/>.</summary>
    public DateTimeOffset UnplannedSince(int sessionId, string key, DateTimeOffset now) =>
        unplanned.AddOrUpdate(sessionId, (key, now), (_, seen) => seen.Key == key ? seen : (key, now)).Since;

    /// <summary>Forgets the sessions a sweep no longer finds unplanned.</summary>
    public void KeepUnplanned(IReadOnlyCollection<int> sessionIds)
    {
        foreach (var id in unplanned.Keys.Where(id => !sessionIds.Contains(id)))
        {
            unplanned.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Plans the sessions a committed change made Ready or moved, skipping those already planned for the same times
    /// and settings: the change feed may hand the same change over twice after a crash, and it is planned once.
    /// </summary>
    public async Task PlanSessionsAsync(LiveSessionsDbContext db, IReadOnlyCollection<int> sessionIds, CancellationToken cancellationToken)
    {
        var sessions = await db.Sessions.AsNoTracking().Where(s => sessionIds.Contains(s.Id) && s.Status == SessionStatus.Ready).ToListAsync(cancellationToken);
        var ids = sessions.Select(s => s.Id).ToList();
        var plans = await db.AutomationPlans.AsNoTracking().Where(p => ids.Contains(p.SessionId)).ToDictionaryAsync(p => p.SessionId, p => p.Key, cancellationToken);
        await PlanAsync(db, sessions.Where(s => !plans.TryGetValue(s.Id, out var key) || key != KeyOf(s)).ToList(), cancellationToken);
    }

    /// <summary>The times and settings that decide which jobs a session needs: a different key means replanning.</summary>
    public static string KeyOf(LiveSession session)
    {
        var a = session.Automation;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{session.Start.UtcTicks}/{session.End.UtcTicks}/{a.AttendanceReminderEnabled}:{a.AttendanceReminderBefore.Ticks}/{a.MarkAbsentAfterEnd}/{a.SendFeedbackAfterEnd}/{a.FeedbackReminderEnabled}:{a.FeedbackReminderAfter.Ticks}");
    }

    /// <summary>Schedules the jobs of each upcoming session, then writes down what was planned.</summary>
    public async Task PlanAsync(LiveSessionsDbContext db, IReadOnlyList<LiveSession> sessions, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var session in sessions.Where(s => s.Start > now))
        {
            var id = session.Id;
            var automation = session.Automation;
            if (automation.AttendanceReminderEnabled)
            {
                var startTicks = session.Start.UtcTicks;
                var beforeTicks = automation.AttendanceReminderBefore.Ticks;
                jobs.Schedule<AttendanceReminderJob>(job => job.RunAsync(id, startTicks, beforeTicks, CancellationToken.None), session.Start - automation.AttendanceReminderBefore);
            }

            var endTicks = session.End.UtcTicks;
            if (automation.MarkAbsentAfterEnd || automation.SendFeedbackAfterEnd)
            {
                jobs.Schedule<SessionEndJob>(job => job.RunAsync(id, endTicks, CancellationToken.None), session.End);
            }

            if (automation.SendFeedbackAfterEnd && automation.FeedbackReminderEnabled)
            {
                jobs.Schedule<SessionEndJob>(job => job.RemindFeedbackAsync(id, endTicks, CancellationToken.None), session.End + automation.FeedbackReminderAfter);
            }

            var key = KeyOf(session);
            unplanned.TryRemove(id, out _);
            var written = await db.AutomationPlans.Where(p => p.SessionId == id)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Key, key).SetProperty(p => p.PlannedAt, now), cancellationToken);
            if (written == 0)
            {
                db.AutomationPlans.Add(new AutomationPlan { SessionId = id, Key = key, PlannedAt = now });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Another node wrote the plan of this session at the same moment: its jobs are scheduled.
                    db.ChangeTracker.Clear();
                }
            }
        }
    }
}

/// <summary>
/// Safety net, every minute: an upcoming Ready session whose written plan is missing or does not match its times
/// and settings (the process stopped between the commit and the scheduling, or a reaction threw) is planned again
/// once it has stayed so for <see cref="Grace"/> (a commit's own planning runs moments after it, and must not be
/// doubled). A lost plan is made good within about two minutes. The jobs check the times they were planned for,
/// so planning twice sends nothing twice.
/// </summary>
public sealed class AutomationSweep(IDbContextFactory<LiveSessionsDbContext> contextFactory, SessionAutomationScheduler scheduler, SqliteWriteQueue writes, TimeProvider clock)
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public Task<int> RunAsync(CancellationToken cancellationToken) => RunAsync(Grace, cancellationToken);

    public async Task<int> RunAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var upcoming = await db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Ready && s.Start > now).ToListAsync(cancellationToken);
        var ids = upcoming.Select(s => s.Id).ToList();
        var plans = await db.AutomationPlans.AsNoTracking().Where(p => ids.Contains(p.SessionId)).ToDictionaryAsync(p => p.SessionId, p => p.Key, cancellationToken);
        var unplanned = upcoming.Select(s => (Session: s, Key: SessionAutomationScheduler.KeyOf(s)))
            .Where(x => !plans.TryGetValue(x.Session.Id, out var planned) || planned != x.Key).ToList();
        scheduler.KeepUnplanned(unplanned.Select(x => x.Session.Id).ToList());
        var due = unplanned.Where(x => scheduler.UnplannedSince(x.Session.Id, x.Key, now) <= now - grace).Select(x => x.Session).ToList();
        if (due.Count > 0)
        {
            using var turn = await writes.EnterAsync(db, cancellationToken);
            await scheduler.PlanAsync(db, due, cancellationToken);
        }

        return due.Count;
    }
}

/// <summary>
/// After the end: still-Registered learners become Absent (when set), then the feedback form goes to Attended and
/// Go Show learners (when set and the session has one); later, the feedback reminder to those who have not filled it.
/// </summary>
public sealed class SessionEndJob(SessionUnitOfWork work, EmailComposer composer)
{
    public async Task<int> RunAsync(int sessionId, long endTicks, CancellationToken cancellationToken)
    {
        var outcome = await work.RunAsync<int>(sessionId, async scope =>
        {
            if (scope.Session.End.UtcTicks != endTicks || scope.Session.Status is not (SessionStatus.Ready or SessionStatus.Completed))
            {
                return 0;
            }

            var count = scope.Session.MarkRemainingAbsent(scope.Now);
            await scope.Db.SaveChangesAsync(cancellationToken);
            if (scope.Session.Automation.SendFeedbackAfterEnd)
            {
                count += await QueueFeedbackAsync(scope, EmailType.FeedbackForm, "feedback", cancellationToken);
            }

            return count;
        }, cancellationToken);
        return outcome.Value;
    }

    public async Task<int> RemindFeedbackAsync(int sessionId, long endTicks, CancellationToken cancellationToken)
    {
        var outcome = await work.RunAsync<int>(sessionId, async scope =>
        {
            if (scope.Session.End.UtcTicks != endTicks || !scope.Session.Automation.FeedbackReminderEnabled)
            {
                return 0;
            }

            return await QueueFeedbackAsync(scope, EmailType.FeedbackFormReminder, "feedback-reminder", cancellationToken);
        }, cancellationToken);
        return outcome.Value;
    }

    /// <summary>Queues <paramref name="type"/> to every learner the email rules allow, once per learner.</summary>
    private async Task<int> QueueFeedbackAsync(SessionScope scope, EmailType type, string keyPrefix, CancellationToken cancellationToken)
    {
        var session = scope.Session;
        var forms = await Forms.FormLookup.OfSessionAsync(scope.Db, session.Id, session.CourseId, cancellationToken);
        var queued = new List<OutboxEmail>();
        foreach (var learner in session.Learners.Where(l => l.Status is LearnerStatus.Attended or LearnerStatus.GoShow).ToList())
        {
            var key = $"{keyPrefix}:{session.Id}:{learner.Id}";
            if (EmailEligibility.WhyNot(type, learner.Status, forms.EmailContextFor(learner, sessionEnded: true)) is not null
                || await scope.Db.Outbox.AnyAsync(o => o.IdempotencyKey == key, cancellationToken))
            {
                continue;
            }

            var email = composer.Compose(scope.Db, session, learner, type, key, scope.Now);
            scope.Db.Outbox.Add(email);
            queued.Add(email);
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        if (queued.Count > 0)
        {
            scope.Raised.Add(new EmailsQueued(session.Id, queued.Select(q => q.Id).ToList()));
        }

        return queued.Count;
    }
}
