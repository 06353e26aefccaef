namespace LiveSessions.Domain;

/// <summary>Seats, the waiting line, and offering freed seats to it, first come first served.</summary>
public sealed partial class LiveSession
{
    // ---- Seats -------------------------------------------------------------------------------------------------

    public int SeatsTaken => learners.Count(l => l.TakesSeat) + (slice?.Outside.Taken ?? 0);

    public int SeatsHeld(DateTimeOffset now) => learners.Count(l => l.HoldsSeatOffer(now)) + (slice?.Outside.Held ?? 0);

    public int SeatsFree(DateTimeOffset now) => Math.Max(0, MaxCapacity - SeatsTaken - SeatsHeld(now));

    /// <summary>(Registered + Go Show + Attended) / maximum capacity, as a fraction; above 1 when overbooked.</summary>
    public double FillRate => FillRateOf(SeatsTaken, MaxCapacity);

    public static double FillRateOf(int seatsTaken, int maxCapacity) => maxCapacity <= 0 ? 0 : (double)seatsTaken / maxCapacity;

    /// <summary>Taken, held and free seats with the count per status, by the one rule every read path uses too.</summary>
    public SeatSummary Seats(DateTimeOffset now)
    {
        var inMemory = SeatSummary.Of(MaxCapacity, SeatSummary.CountsOf(learners, now));
        if (slice is null)
        {
            return inMemory;
        }

        var counts = inMemory.Counts.ToDictionary(c => c.Key, c => c.Value + slice.Outside.Counts.GetValueOrDefault(c.Key));
        return new SeatSummary(MaxCapacity, inMemory.Taken + slice.Outside.Taken, inMemory.Held + slice.Outside.Held, counts);
    }

    public IReadOnlyDictionary<LearnerStatus, int> CountsByStatus() => Seats(DateTimeOffset.MinValue).Counts;

    /// <summary>Waiting learners held in memory, first come first served (with a partial roster: the head of the line and those acted on).</summary>
    public IReadOnlyList<SessionLearner> WaitingList => learners.InLine().ToList();

    /// <summary>1-based place in the waiting list, or null when the learner is not waiting.</summary>
    public int? WaitingListPosition(SessionLearner learner)
    {
        if (learner.Status != LearnerStatus.WaitingList)
        {
            return null;
        }

        var index = WaitingList.ToList().IndexOf(learner);
        if (index < 0)
        {
            return null;
        }

        if (slice is null)
        {
            return index + 1;
        }

        // Stored learners not in memory: all of them are ahead of one who joined in this decision, none is ahead of
        // the head of the line, and for anyone else the loader counted them.
        var joinedNow = learner.WaitingListOrder > slice.LastWaitingOrder;
        return joinedNow ? index + 1 + slice.Outside.Waiting
            : slice.Positions.TryGetValue(learner.Id, out var known) ? known
            : index + 1;
    }

    /// <summary>A newcomer gets a seat only when one is free and nobody is waiting for it (first come, first served).</summary>
    public bool HasSeatForNewcomer(DateTimeOffset now) =>
        SeatsFree(now) > 0 && !learners.Any(l => l.Status == LearnerStatus.WaitingList) && (slice?.Outside.Waiting ?? 0) == 0;

    public bool IsOpenForRegistration(DateTimeOffset now) => Status == SessionStatus.Ready && Start > now;

    public SessionLearner? FindLearnerById(int learnerId) => learners.FirstOrDefault(l => l.Id == learnerId);


    // ---- Learners: waiting list automation -------------------------------------------------------------------

    /// <summary>Expired offers go to the end of the waiting list; the seats they held go to the next in line.</summary>
    public int ExpireSeatOffers(DateTimeOffset now)
    {
        RequireWholeRoster("Expiring seat offers");
        var expired = learners
            .Where(l => l.Status == LearnerStatus.Invited && l.SeatOfferExpiresAt is { } at && at <= now)
            .OrderBy(l => l.SeatOfferExpiresAt)
            .ToList();
        foreach (var learner in expired)
        {
            if (EnableWaitingList)
            {
                Move(learner, LearnerTrigger.SeatOfferExpired, LearnerStatus.WaitingList, Actor.SystemJob, now, null,
                    $"Seat-offer hold time ({Automation.SeatOfferHoldTime.TotalHours:0.#} h)");
            }
            else
            {
                // Without a waiting list the learner stays Invited; clearing the offer stops the next run expiring it again.
                learner.WithdrawSeatOffer();
            }
        }

        if (expired.Count > 0)
        {
            Version++;
            FillFreeSeats(Actor.SystemJob, now);
        }

        return expired.Count;
    }


    private LearnerResult SeatOrWait(SessionLearner? learner, Employee employee, bool acceptsInvitation, Actor actor, DateTimeOffset now, LearnerTrigger seated, LearnerTrigger waitlisted)
    {
        if (learner?.HoldsSeatOffer(now) == true || HasSeatForNewcomer(now))
        {
            learner ??= NewLearner(employee);
            if (EnableCalendar && !acceptsInvitation)
            {
                Move(learner, LearnerTrigger.RegistrationHeldByCalendarInvitation, LearnerStatus.Invited, actor, now, null, null);
                learner.OfferSeat(now + Automation.SeatOfferHoldTime);
                return LearnerResult.Done(learner, "A calendar invitation holds your seat: accept it to confirm.");
            }

            Move(learner, seated, LearnerStatus.Registered, actor, now, null, null);
            return LearnerResult.Done(learner);
        }

        if (!EnableWaitingList)
        {
            return LearnerResult.Refuse(FullMessage(now));
        }

        learner ??= NewLearner(employee);
        Move(learner, waitlisted, LearnerStatus.WaitingList, actor, now, null, null);

        // Seats can be free while learners wait (an offer expired and the expiry run has not come yet): the newcomer
        // queues behind them and the free seat goes to the head of the line now.
        FillFreeSeats(actor, now);
        return LearnerResult.Done(learner, $"The session is full, so you joined the waiting list (position {WaitingListPosition(learner)}).");
    }

    /// <summary>While seats are free and learners wait, offer the seat to the head of the line.</summary>
    private void FillFreeSeats(Actor actor, DateTimeOffset now)
    {
        if (Status != SessionStatus.Ready || !Automation.AutoPromoteWaitingList)
        {
            return;
        }

        while (SeatsFree(now) > 0 && WaitingList.FirstOrDefault() is { } next)
        {
            Move(next, LearnerTrigger.SeatOfferedFromWaitingList, LearnerStatus.Invited, Actor.SystemJob, now,
                actor.Kind == ActorKind.System ? null : $"Seat freed by {actor.Name}", AutoPromoteCause);
            next.OfferSeat(now + Automation.SeatOfferHoldTime);
        }
    }

    private string FullMessage(DateTimeOffset now) => $"This session is full ({SeatsCount(now)}) and has no waiting list.";

    // Held seats are named too: "full (0 of 1 seats taken)" would read as a contradiction.
    private string SeatsCount(DateTimeOffset now) => SeatsHeld(now) is var held and > 0
        ? $"{SeatsTaken} taken and {held} held of {MaxCapacity} seats"
        : $"{SeatsTaken} of {MaxCapacity} seats taken";

    private string FullForOverbook(DateTimeOffset now) =>
        $"This session is full ({SeatsTaken} taken and {SeatsHeld(now)} held of {MaxCapacity}); confirm overbooking to seat this learner anyway.";
}
