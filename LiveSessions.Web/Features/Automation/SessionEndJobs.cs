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

            if (automation.MarkAbsentAfterEnd)
            {
                var endTicks = session.End.UtcTicks;
                jobs.Schedule<SessionEndJob>(job => job.RunAsync(id, endTicks, CancellationToken.None), session.End);
            }
        }
    }
}

public sealed class SessionEndJob(SessionUnitOfWork work)
{
    public async Task<int> RunAsync(int sessionId, long endTicks, CancellationToken cancellationToken)
    {
        var outcome = await work.RunAsync<int>(sessionId, async scope =>
        {
            if (scope.Session.End.UtcTicks != endTicks || scope.Session.Status != SessionStatus.Ready)
            {
                return 0;
            }

            var count = scope.Session.MarkRemainingAbsent(scope.Now);
            await scope.Db.SaveChangesAsync(cancellationToken);
            return count;
        }, cancellationToken);
        return outcome.Value;
    }
}
