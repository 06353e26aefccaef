namespace LiveSessions.Domain;

/// <summary>
/// What a decision knows of the stored learners it did not load: their seats and counts, the last waiting-list
/// counter, and the place in line of loaded learners who are not at its head.
/// </summary>
/// <param name="Outside">Seats and per-status counts of the learners not in memory.</param>
/// <param name="LastWaitingOrder">The highest waiting-list counter stored: a learner joining now queues after it.</param>
/// <param name="Positions">Place in line of loaded waiting learners beyond the loaded head.</param>
public sealed record RosterSlice(SeatSummary Outside, long LastWaitingOrder, IReadOnlyDictionary<int, int> Positions);

public sealed partial class LiveSession
{
    // Null when the whole roster is in memory; otherwise the decision holds only the learners it acts on and the
    // head of the waiting list, and counts the others from here.
    private RosterSlice? slice;

    /// <summary>True when only part of the roster was loaded for this decision.</summary>
    public bool IsPartial => slice is not null;

    /// <summary>
    /// Tells the session that the learners in memory are only part of its roster: <paramref name="all"/> are the
    /// seats of every stored learner (taken at <paramref name="now"/>, the decision's time). The learners in memory
    /// must include everyone the decision acts on and, when seats may free, the head of the waiting list
    /// (<see cref="HeadNeeded"/>).
    /// </summary>
    public void UsePartialRoster(SeatSummary all, long lastWaitingOrder, IReadOnlyDictionary<int, int> positions, DateTimeOffset now)
    {
        var loaded = SeatSummary.Of(MaxCapacity, SeatSummary.CountsOf(learners, now));
        var outside = new SeatSummary(
            MaxCapacity,
            all.Taken - loaded.Taken,
            all.Held - loaded.Held,
            all.Counts.ToDictionary(c => c.Key, c => c.Value - loaded.Counts.GetValueOrDefault(c.Key)));
        slice = new RosterSlice(outside, lastWaitingOrder, positions);
    }

    /// <summary>
    /// How many waiting learners a decision must load from the head of the line (see <see cref="UsePartialRoster"/>):
    /// one per seat that may be offered (those free now and those the learners acted on may give up), plus one per
    /// learner acted on who is in the line, since each of them who leaves it brings the next one up.
    /// </summary>
    public static int HeadNeeded(SeatSummary all, IEnumerable<SessionLearner> actedOn, DateTimeOffset now)
    {
        var learners = actedOn.ToList();
        var seats = all.Free + learners.Count(l => l.TakesSeat || l.HoldsSeatOffer(now));
        return Math.Min(all.Waiting, seats + learners.Count(l => l.Status == LearnerStatus.WaitingList));
    }

    // Decisions over the whole roster (invite everyone, cancel everyone, mark the rest absent…) must load all of it.
    private void RequireWholeRoster(string decision)
    {
        if (slice is not null)
        {
            throw new InvalidOperationException($"{decision} decides over the whole roster; load all of it.");
        }
    }
}
