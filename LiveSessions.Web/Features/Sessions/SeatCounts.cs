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
        var bySession = (await GroupsAsync(db, capacityBySession.Keys.ToList(), now, cancellationToken)).ToLookup(r => r.SessionId);
        return capacityBySession.ToDictionary(s => s.Key, s => SeatSummary.Of(s.Value, bySession[s.Key].Select(r => r.Count)));
    }

    public static async Task<SeatSummary> OfAsync(LiveSessionsDbContext db, int sessionId, int maxCapacity, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await OfAsync(db, new Dictionary<int, int> { [sessionId] = maxCapacity }, now, cancellationToken))[sessionId];

    /// <summary>The session's seats and the highest waiting-list counter stored (a learner joining now queues after it), in the same query.</summary>
    public static async Task<(SeatSummary Seats, long LastWaitingOrder)> WithLastWaitingOrderAsync(LiveSessionsDbContext db, int sessionId, int maxCapacity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var groups = await GroupsAsync(db, [sessionId], now, cancellationToken);
        return (SeatSummary.Of(maxCapacity, groups.Select(g => g.Count)), groups.Max(g => g.LastOrder) ?? 0);
    }

    private sealed record Group(int SessionId, StatusCount Count, long? LastOrder);

    // One row per session and status: how many, how many with a live offer, the highest waiting-list counter.
    private static async Task<List<Group>> GroupsAsync(LiveSessionsDbContext db, IReadOnlyCollection<int> sessionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await db.Learners.AsNoTracking().Where(l => sessionIds.Contains(l.SessionId))
            .GroupBy(l => new { l.SessionId, l.Status })
            .Select(g => new { g.Key.SessionId, g.Key.Status, Count = g.Count(), LiveOffers = g.Count(l => l.SeatOfferExpiresAt > now), LastOrder = g.Max(l => l.WaitingListOrder) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new Group(r.SessionId, new StatusCount(r.Status, r.Count, r.LiveOffers), r.LastOrder)).ToList();
    }

    /// <summary>1-based places in the waiting line of the given learners (those not waiting are left out).</summary>
    public static async Task<IReadOnlyDictionary<int, int>> PlacesInLineAsync(LiveSessionsDbContext db, int sessionId, IReadOnlyCollection<int> learnerIds, CancellationToken cancellationToken)
    {
        var line = await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId).InLine().Select(l => l.Id).ToListAsync(cancellationToken);
        var wanted = learnerIds.ToHashSet();
        return line.Select((id, i) => (id, i)).Where(x => wanted.Contains(x.id)).ToDictionary(x => x.id, x => x.i + 1);
    }
}
