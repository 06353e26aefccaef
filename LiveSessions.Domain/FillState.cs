namespace LiveSessions.Domain;

/// <summary>How an upcoming session is filling, as the dashboard colours it (thresholds in <see cref="FillStates"/>).</summary>
public enum FillState
{
    /// <summary>Seats are free and the start is not close, or the session is half full or more.</summary>
    Filling,

    /// <summary>Starts within <see cref="FillStates.CloseToStart"/> and below <see cref="FillStates.UnderFilledBelow"/> full.</summary>
    UnderFilled,

    /// <summary>No seat is free and nobody waits.</summary>
    Full,

    /// <summary>No seat is free and learners wait: room for another session.</summary>
    FullWithDemand,

    /// <summary>More seats taken than the capacity (an admin overbooked on purpose).</summary>
    Overbooked,
}

/// <summary>The fill-state rule of an upcoming session: one place for its thresholds, read by the dashboard and its tests.</summary>
public static class FillStates
{
    /// <summary>A session starting within this time of now that is under-filled needs someone to act now.</summary>
    public static readonly TimeSpan CloseToStart = TimeSpan.FromDays(7);

    /// <summary>Under this fill rate a session close to its start is under-filled.</summary>
    public const double UnderFilledBelow = 0.5;

    /// <summary>
    /// The state of a session starting at <paramref name="start"/>: overbooked first, then full with demand, full,
    /// under-filled close to the start, else filling.
    /// </summary>
    public static FillState Of(SeatSummary seats, DateTimeOffset start, DateTimeOffset now)
    {
        if (seats.Taken > seats.MaxCapacity)
        {
            return FillState.Overbooked;
        }

        if (seats.Free == 0)
        {
            return seats.Waiting > 0 ? FillState.FullWithDemand : FillState.Full;
        }

        return start - now <= CloseToStart && seats.FillRate < UnderFilledBelow ? FillState.UnderFilled : FillState.Filling;
    }

    /// <summary>The state in the product's words, as the tiles and their legend show it.</summary>
    public static string Display(this FillState state) => state switch
    {
        FillState.UnderFilled => "Under-filled",
        FillState.FullWithDemand => "Full with demand",
        _ => state.ToString(),
    };
}
