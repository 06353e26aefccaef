using LiveSessions.Domain;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Sessions;

/// <summary>
/// Seats of stored sessions for every read path: one GROUP BY over learners per status, turned into seats by the
/// domain's <see cref="SeatSummary"/>, so lists, pages, the portal, approvals and live pushes count as decisions do.
/// </summary>
public static class SeatCounts
{
    public static async Task<IReadOnlyDictionary<int, SeatSummary>> OfAsync(LiveSessionsDbContext db, IReadOnlyDictionary<int, int> capacityBySession, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = capacityBySession.Keys.ToList();
        var rows = await db.Learners.AsNoTracking().Where(l => ids.Contains(l.SessionId))
            .GroupBy(l => new { l.SessionId, l.Status })
            .Select(g => new { g.Key.SessionId, g.Key.Status, Count = g.Count(), LiveOffers = g.Count(l => l.SeatOfferExpiresAt > now) })
            .ToListAsync(cancellationToken);
        var bySession = rows.ToLookup(r => r.SessionId, r => new StatusCount(r.Status, r.Count, r.LiveOffers));
        return capacityBySession.ToDictionary(s => s.Key, s => SeatSummary.Of(s.Value, bySession[s.Key]));
    }

    public static async Task<SeatSummary> OfAsync(LiveSessionsDbContext db, int sessionId, int maxCapacity, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await OfAsync(db, new Dictionary<int, int> { [sessionId] = maxCapacity }, now, cancellationToken))[sessionId];

    /// <summary>1-based places in the waiting line of the given learners (those not waiting are left out).</summary>
    public static async Task<IReadOnlyDictionary<int, int>> PlacesInLineAsync(LiveSessionsDbContext db, int sessionId, IReadOnlyCollection<int> learnerIds, CancellationToken cancellationToken)
    {
        var line = await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId).InLine().Select(l => l.Id).ToListAsync(cancellationToken);
        var wanted = learnerIds.ToHashSet();
        return line.Select((id, i) => (id, i)).Where(x => wanted.Contains(x.id)).ToDictionary(x => x.id, x => x.i + 1);
    }
}
