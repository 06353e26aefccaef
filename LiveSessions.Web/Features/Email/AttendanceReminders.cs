using Hangfire;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Email;

/// <summary>
/// Schedules the attendance reminder (automation setting, default 24 h before the start) whenever a session becomes
/// Ready or its details change. A job remembers the start and lead time it was planned for, so a job planned for an
/// old start does nothing: moving the start reschedules by planning a new one.
/// </summary>
public sealed class AttendanceReminderScheduler(IDbContextFactory<LiveSessionsDbContext> contextFactory, IBackgroundJobClient jobs, TimeProvider clock) : IDomainEventHandler
{
    public async Task HandleAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        var sessionIds = events.Where(e => e is SessionStatusChanged { To: SessionStatus.Ready } or SessionDetailsChanged)
            .Select(e => e.SessionId).Where(id => id != 0).Distinct().ToList();
        if (sessionIds.Count == 0)
        {
            return;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking().Where(s => sessionIds.Contains(s.Id) && s.Status == SessionStatus.Ready).ToListAsync(cancellationToken);
        foreach (var session in sessions.Where(s => s.Automation.AttendanceReminderEnabled))
        {
            var at = session.Start - session.Automation.AttendanceReminderBefore;
            if (session.Start <= clock.GetUtcNow())
            {
                continue;
            }

            var startTicks = session.Start.UtcTicks;
            var beforeTicks = session.Automation.AttendanceReminderBefore.Ticks;
            var id = session.Id;
            jobs.Schedule<AttendanceReminderJob>(job => job.RunAsync(id, startTicks, beforeTicks, CancellationToken.None), at);
        }
    }
}

/// <summary>Sends the attendance reminder, with Confirm/Decline links, to every Registered learner of the session.</summary>
public sealed class AttendanceReminderJob(SessionUnitOfWork work, EmailComposer composer)
{
    public async Task<int> RunAsync(int sessionId, long startTicks, long beforeTicks, CancellationToken cancellationToken)
    {
        var outcome = await work.RunAsync<int>(sessionId, async scope =>
        {
            var session = scope.Session;
            var planned = session.Status == SessionStatus.Ready && session.Automation.AttendanceReminderEnabled
                && session.Start.UtcTicks == startTicks && session.Automation.AttendanceReminderBefore.Ticks == beforeTicks;
            if (!planned)
            {
                // The start, the lead time or the setting changed since this job was planned: a newer job covers it.
                return 0;
            }

            var queued = new List<OutboxEmail>();
            foreach (var learner in session.Learners.Where(l => l.Status == LearnerStatus.Registered))
            {
                var key = $"reminder:{session.Id}:{learner.Id}:{startTicks}";
                if (await scope.Db.Outbox.AnyAsync(o => o.IdempotencyKey == key, cancellationToken))
                {
                    continue;
                }

                var email = await composer.ComposeAsync(scope.Db, session, learner, EmailType.AttendanceReminder, key, scope.Now);
                scope.Db.Outbox.Add(email);
                queued.Add(email);
            }

            await scope.Db.SaveChangesAsync(cancellationToken);
            if (queued.Count > 0)
            {
                scope.Raised.Add(new EmailsQueued(session.Id, queued.Select(q => q.Id).ToList()));
            }

            return queued.Count;
        }, cancellationToken);
        return outcome.Value;
    }
}
