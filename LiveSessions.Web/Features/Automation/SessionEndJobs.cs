using Hangfire;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Automation;

/// <summary>
/// Plans the after-the-end automation (mark still-Registered learners Absent) when a session becomes Ready or its
/// details change; a job planned for an older end does nothing.
/// </summary>
public sealed class SessionEndScheduler(IDbContextFactory<LiveSessionsDbContext> contextFactory, IBackgroundJobClient jobs, TimeProvider clock) : IDomainEventHandler
{
    public async Task HandleAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        var ids = events.Where(e => e is SessionStatusChanged { To: SessionStatus.Ready } or SessionDetailsChanged)
            .Select(e => e.SessionId).Where(id => id != 0).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.Id) && s.Status == SessionStatus.Ready).ToListAsync(cancellationToken);
        foreach (var session in sessions.Where(s => s.Automation.MarkAbsentAfterEnd && s.End > clock.GetUtcNow()))
        {
            var id = session.Id;
            var endTicks = session.End.UtcTicks;
            jobs.Schedule<SessionEndJob>(job => job.RunAsync(id, endTicks, CancellationToken.None), session.End);
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
