using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Automation;

/// <summary>
/// Runs every minute as a Hangfire recurring job. Expired seat offers go to the end of the waiting list and their seats to the next in line, session by session,
/// each in its own seat-serialised unit of work.
/// </summary>
public sealed class ExpireSeatOffers(IDbContextFactory<LiveSessionsDbContext> contextFactory, SessionUnitOfWork work, TimeProvider clock)
{
    public async Task<int> HandleAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<int> sessionIds;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            sessionIds = await db.Learners
                .Where(l => l.Status == LearnerStatus.Invited && l.SeatOfferExpiresAt != null && l.SeatOfferExpiresAt <= now)
                .Select(l => l.SessionId).Distinct().ToListAsync(cancellationToken);
        }

        var expired = 0;
        foreach (var sessionId in sessionIds)
        {
            var outcome = await work.RunAsync<int>(sessionId, async scope =>
            {
                var count = scope.Session.ExpireSeatOffers(scope.Now);
                await scope.Db.SaveChangesAsync(cancellationToken);
                return count;
            }, cancellationToken);
            expired += outcome.Value;
        }

        return expired;
    }
}
