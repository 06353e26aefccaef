using Hangfire;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Automation;

/// <summary>
/// Plans a session's timed automation whenever it becomes Ready or its details change: the attendance reminder
/// (start − lead time) and the after-the-end step (mark still-Registered learners Absent). Each job remembers the
/// times it was planned for, so a job planned for an older start or end does nothing: moving the session replans.
/// </summary>
public sealed class SessionAutomationScheduler(IDbContextFactory<LiveSessionsDbContext> contextFactory, IBackgroundJobClient jobs, TimeProvider clock) : IDomainEventHandler
{
    public async Task HandleAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        var ids = events.Where(e => e is SessionStatusChanged { To: SessionStatus.Ready } or SessionDetailsChanged)
            .Select(e => e.SessionId).Where(id => id != 0).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.Id) && s.Status == SessionStatus.Ready).ToListAsync(cancellationToken);
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
        }
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

            var email = await composer.ComposeAsync(scope.Db, session, learner, type, key, scope.Now);
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
