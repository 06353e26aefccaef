using System.Linq.Expressions;

namespace LiveSessions.Domain;

/// <summary>How many learners of one session are in one status, and how many of them hold a live seat offer.</summary>
public sealed record StatusCount(LearnerStatus Status, int Count, int LiveOffers);

/// <summary>
/// A session's seats: taken (Registered, Go Show, Attended), held (Invited with a live offer), free, and the count
/// of learners in each status. Built from per-status counts, so the domain (counting its learners) and every read
/// path (one GROUP BY in SQL) apply the same rule.
/// </summary>
public sealed record SeatSummary(int MaxCapacity, int Taken, int Held, IReadOnlyDictionary<LearnerStatus, int> Counts)
{
    public int Free => Math.Max(0, MaxCapacity - Taken - Held);

    public int Waiting => Counts.GetValueOrDefault(LearnerStatus.WaitingList);

    public double FillRate => LiveSession.FillRateOf(Taken, MaxCapacity);

    public static SeatSummary Of(int maxCapacity, IEnumerable<StatusCount> counts)
    {
        var byStatus = Enum.GetValues<LearnerStatus>().ToDictionary(s => s, _ => 0);
        int taken = 0, held = 0;
        foreach (var c in counts)
        {
            byStatus[c.Status] += c.Count;
            if (c.Status.TakesSeat())
            {
                taken += c.Count;
            }
            else if (c.Status == LearnerStatus.Invited)
            {
                held += c.LiveOffers;
            }
        }

        return new SeatSummary(maxCapacity, taken, held, byStatus);
    }

    /// <summary>The per-status counts of learners held in memory (what the SQL GROUP BY computes for stored ones).</summary>
    public static IEnumerable<StatusCount> CountsOf(IEnumerable<SessionLearner> learners, DateTimeOffset now) =>
        learners.GroupBy(l => l.Status).Select(g => new StatusCount(g.Key, g.Count(), g.Count(l => l.SeatOfferExpiresAt > now)));
}

/// <summary>The waiting list's order, first come first served, written once for memory and for SQL (EF translates it).</summary>
public static class WaitingListOrder
{
    // Waiting learners by the counter taken when they joined; a learner without one (never the case for rows the
    // domain wrote) goes last; ties by join time, then by id.
    private static readonly Expression<Func<SessionLearner, bool>> Waiting = l => l.Status == LearnerStatus.WaitingList;
    private static readonly Expression<Func<SessionLearner, bool>> WithoutCounter = l => l.WaitingListOrder == null;
    private static readonly Expression<Func<SessionLearner, long?>> Counter = l => l.WaitingListOrder;
    private static readonly Expression<Func<SessionLearner, DateTimeOffset?>> Joined = l => l.WaitingListJoinedAt;
    private static readonly Expression<Func<SessionLearner, int>> Id = l => l.Id;

    // The same keys compiled once for learners in memory.
    private static readonly Func<SessionLearner, bool> IsWaiting = Waiting.Compile();
    private static readonly Func<SessionLearner, bool> HasNoCounter = WithoutCounter.Compile();
    private static readonly Func<SessionLearner, long?> CounterOf = Counter.Compile();
    private static readonly Func<SessionLearner, DateTimeOffset?> JoinedAt = Joined.Compile();
    private static readonly Func<SessionLearner, int> IdOf = Id.Compile();

    public static IOrderedQueryable<SessionLearner> InLine(this IQueryable<SessionLearner> learners) =>
        learners.Where(Waiting).OrderBy(WithoutCounter).ThenBy(Counter).ThenBy(Joined).ThenBy(Id);

    public static IOrderedEnumerable<SessionLearner> InLine(this IEnumerable<SessionLearner> learners) =>
        learners.Where(IsWaiting).OrderBy(HasNoCounter).ThenBy(CounterOf).ThenBy(JoinedAt).ThenBy(IdOf);
}
