namespace LiveSessions.Domain;

/// <summary>
/// A live session and its roster: the aggregate that owns every seat decision. Load it with its learners inside the
/// transaction that serialises seat decisions for the session, call one intent method, save.
/// </summary>
public sealed partial class LiveSession
{
    private const string AutoPromoteCause = "Auto-promote the waiting list when a seat frees";
    private const string AutoInviteCause = "Auto-invite on Ready";
    private const string AutoAbsentCause = "Mark still-Registered learners Absent after the end";

    private readonly List<SessionLearner> learners = [];
    private readonly List<SessionTrainer> trainers = [];
    private readonly List<DomainEvent> events = [];

    private LiveSession()
    {
        Title = Description = TimeZone = Location = string.Empty;
        Automation = AutomationSettings.Default;
    }

    public LiveSession(Course course, SessionDetails details, IEnumerable<Employee>? sessionTrainers = null)
        : this()
    {
        Course = course;
        CourseId = course.Id;
        Status = SessionStatus.Draft;
        Apply(details);
        SetTrainers(sessionTrainers ?? []);
    }

    public int Id { get; private set; }

    public int CourseId { get; private set; }

    public Course Course { get; private set; } = null!;

    public string Title { get; private set; }

    public string Description { get; private set; }

    public SessionType Type { get; private set; }

    public DateTimeOffset Start { get; private set; }

    public DateTimeOffset End { get; private set; }

    public string TimeZone { get; private set; }

    public string Location { get; private set; }

    public int MaxCapacity { get; private set; }

    public bool EnableWaitingList { get; private set; }

    public bool RequiresApproval { get; private set; }

    public ApprovalFlow ApprovalFlow { get; private set; }

    public bool EnableCalendar { get; private set; }

    public AutomationSettings Automation { get; private set; }

    public SessionStatus Status { get; private set; }

    /// <summary>Raised with every change of name, times, description or location: the calendar SEQUENCE.</summary>
    public int CalendarSequence { get; private set; }

    /// <summary>Bumped by every change to the session or its roster; a concurrency token against lost updates.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<SessionLearner> Learners => learners;

    public IReadOnlyList<SessionTrainer> Trainers => trainers;

    public IReadOnlyList<DomainEvent> DomainEvents => events;

    public Employee? LeadTrainer => trainers.OrderBy(t => t.Order).FirstOrDefault()?.Employee;

    public void ClearDomainEvents() => events.Clear();

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
    public IReadOnlyList<SessionLearner> WaitingList => learners.AsQueryable().InLine().ToList();

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

    // ---- Session administration --------------------------------------------------------------------------------

    /// <summary>Changes the session's fields; capacity raised offers the new seats, calendar fields raise the SEQUENCE.</summary>
    public SessionResult UpdateDetails(SessionDetails details, IEnumerable<Employee> sessionTrainers, Actor actor, DateTimeOffset now)
    {
        RequireWholeRoster("Changing the session's details");
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            return SessionResult.Invalid(errors);
        }

        if (Status is SessionStatus.Completed or SessionStatus.Cancelled)
        {
            return SessionResult.Refuse($"This session is {Status} and can no longer be edited.");
        }

        var calendarChanged = Title != details.Title.Trim() || Description != (details.Description ?? string.Empty).Trim()
            || Start != ToSeconds(details.Start) || End != ToSeconds(details.End) || Location != (details.Location ?? string.Empty).Trim();
        Apply(details);
        SetTrainers(sessionTrainers);
        Version++;
        if (calendarChanged)
        {
            CalendarSequence++;
        }

        events.Add(new SessionDetailsChanged(Id, CalendarSequence, calendarChanged));

        FillFreeSeats(actor, now);
        return SessionResult.Ok;
    }

    public static IReadOnlyList<SessionStatus> NextStatuses(SessionStatus from) => from switch
    {
        SessionStatus.Draft => [SessionStatus.Processing, SessionStatus.Ready, SessionStatus.Cancelled],
        SessionStatus.Processing => [SessionStatus.Draft, SessionStatus.Ready, SessionStatus.Cancelled],
        SessionStatus.Ready => [SessionStatus.Completed, SessionStatus.Cancelled],
        _ => [],
    };

    public bool CanChangeStatus(SessionStatus to) => NextStatuses(Status).Contains(to);

    /// <summary>Moves the session and runs its automation: invitations on Ready, cancellations on Cancelled, auto-absent on Completed.</summary>
    public SessionResult ChangeStatus(SessionStatus to, Actor actor, DateTimeOffset now)
    {
        RequireWholeRoster("Changing the session's status");
        if (!CanChangeStatus(to))
        {
            var allowed = NextStatuses(Status);
            return SessionResult.Refuse(allowed.Count == 0
                ? $"This session is {Status}; its status can no longer change."
                : $"A {Status} session can move to {string.Join(", ", allowed)} only, not {to}.");
        }

        var from = Status;
        Status = to;
        Version++;
        events.Add(new SessionStatusChanged(Id, from, to, actor));
        switch (to)
        {
            case SessionStatus.Ready:
                if (Automation.AutoInviteOnReady)
                {
                    foreach (var learner in learners.Where(l => l.Status == LearnerStatus.NotInvited).ToList())
                    {
                        Move(learner, LearnerTrigger.SessionSetReady, LearnerStatus.Invited, Actor.SystemJob, now, null, AutoInviteCause);
                    }
                }

                FillFreeSeats(actor, now);
                break;
            case SessionStatus.Cancelled:
                foreach (var learner in learners.Where(l => LearnerStatusMachine.Can(LearnerTrigger.SessionCancelled, l.Status)).ToList())
                {
                    Move(learner, LearnerTrigger.SessionCancelled, LearnerStatus.Cancelled, actor, now, null, null);
                }

                break;
            case SessionStatus.Completed:
                MarkRemainingAbsent(now);
                break;
        }

        return SessionResult.Ok;
    }

    public void SetTrainers(IEnumerable<Employee> sessionTrainers)
    {
        var wanted = sessionTrainers.DistinctBy(e => e.Email).ToList();
        trainers.RemoveAll(t => !wanted.Any(w => w.Email == t.Employee.Email));
        for (var i = 0; i < wanted.Count; i++)
        {
            var existing = trainers.FirstOrDefault(t => t.Employee.Email == wanted[i].Email);
            if (existing is null)
            {
                trainers.Add(new SessionTrainer(this, wanted[i], i));
            }
            else
            {
                existing.Order = i;
            }
        }
    }

    public bool IsTrainedBy(string email) =>
        trainers.Any(t => string.Equals(t.Employee.Email, email, StringComparison.OrdinalIgnoreCase));

    // ---- Learners: admin -------------------------------------------------------------------------------------

    /// <summary>Admin adds an employee: Not Invited, or Invited when the session is Ready with Enable Calendar.</summary>
    public LearnerResult AddLearner(Employee employee, Actor actor, DateTimeOffset now)
    {
        if (FindLearner(employee) is { } existing)
        {
            return LearnerResult.Refuse($"{employee.Name} is already in this session ({existing.Status.Display()}).");
        }

        if (Status is SessionStatus.Completed or SessionStatus.Cancelled)
        {
            return LearnerResult.Refuse($"Learners cannot be added to a {Status} session.");
        }

        var learner = new SessionLearner(this, employee);
        learners.Add(learner);
        var (trigger, to) = Status == SessionStatus.Ready
            ? EnableCalendar
                ? (LearnerTrigger.AddedToCalendarSession, LearnerStatus.Invited)
                : (LearnerTrigger.AddedToReadySessionWithoutCalendar, LearnerStatus.NotInvited)
            : (LearnerTrigger.AddedToDraftSession, LearnerStatus.NotInvited);
        Move(learner, trigger, to, actor, now, null, null);
        return LearnerResult.Done(learner);
    }

    /// <summary>
    /// Admin's manual change: any status to any other, recorded as Manual with the note. Taking a seat past capacity
    /// needs <paramref name="overbook"/>; freeing one offers it to the waiting list.
    /// </summary>
    public LearnerResult ChangeLearnerStatus(SessionLearner learner, LearnerStatus to, string? note, bool overbook, Actor actor, DateTimeOffset now)
    {
        var check = LearnerStatusMachine.Check(LearnerTrigger.Manual, learner.Status, to);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        if (to.TakesSeat() && !learner.TakesSeat && !overbook)
        {
            var available = SeatsFree(now) + (learner.HoldsSeatOffer(now) ? 1 : 0);
            if (available <= 0)
            {
                return LearnerResult.Refuse(FullForOverbook(now));
            }
        }

        Move(learner, LearnerTrigger.Manual, to, actor, now, note, null);
        FillFreeSeats(actor, now);
        return LearnerResult.Done(learner);
    }

    /// <summary>
    /// A learner copied here from another session of the course with the status the admin asked for; the target's
    /// automation applies: a seat status on a full session becomes Waiting List (or is refused without one).
    /// </summary>
    public LearnerResult AddCopiedLearner(Employee employee, LearnerStatus requested, bool overbook, string fromSessionTitle, Actor actor, DateTimeOffset now)
    {
        if (FindLearner(employee) is { } existing)
        {
            return LearnerResult.Refuse($"{employee.Name} is already in the target session ({existing.Status.Display()}).");
        }

        if (Status is SessionStatus.Completed or SessionStatus.Cancelled)
        {
            return LearnerResult.Refuse($"The target session is {Status}.");
        }

        var to = requested;
        string? note = $"Copied from \"{fromSessionTitle}\" as {requested.Display()}";
        if (requested.TakesSeat() && !overbook && !HasSeatForNewcomer(now))
        {
            if (!EnableWaitingList)
            {
                return LearnerResult.Refuse($"The target session is full ({SeatsCount(now)}) and has no waiting list.");
            }

            to = LearnerStatus.WaitingList;
            note += "; the target is full, so they joined its waiting list";
        }

        var learner = new SessionLearner(this, employee);
        learners.Add(learner);
        Move(learner, LearnerTrigger.CopiedFromSession, to, actor, now, note, null);
        return LearnerResult.Done(learner);
    }

    /// <summary>Admin's Waiting Learners Invitation: offers a free seat to a waiting learner.</summary>
    public LearnerResult OfferSeat(SessionLearner learner, Actor actor, DateTimeOffset now)
    {
        RequireWholeRoster("Offering a seat by hand");
        if (learner.Status != LearnerStatus.WaitingList)
        {
            return LearnerResult.Refuse($"Only Waiting List learners can be offered a seat; this learner is {learner.Status.Display()}.");
        }

        var free = SeatsFree(now);
        if (free <= 0)
        {
            return LearnerResult.Refuse("There is no free seat to offer: every seat is taken or held by another offer.");
        }

        if (WaitingListPosition(learner) is { } position && position > free)
        {
            return LearnerResult.Refuse(
                $"Seats go first come, first served: this learner is position {position} on the waiting list and only {free} {(free == 1 ? "seat is" : "seats are")} free.");
        }

        Move(learner, LearnerTrigger.SeatOfferedFromWaitingList, LearnerStatus.Invited, actor, now, null, null);
        learner.OfferSeat(now + Automation.SeatOfferHoldTime);
        return LearnerResult.Done(learner);
    }

    // ---- Learners: registration flow -------------------------------------------------------------------------

    /// <summary>
    /// The registration flow: approval (if required) → waiting list (if full and enabled) → calendar invitation
    /// holding a seat (if calendar) or Registered. A full session without a waiting list refuses and changes nothing.
    /// </summary>
    public LearnerResult Register(Employee employee, Actor actor, DateTimeOffset now)
    {
        if (!IsOpenForRegistration(now))
        {
            return LearnerResult.Refuse(Status != SessionStatus.Ready
                ? $"This session is not open for registration (it is {Status})."
                : "This session has already started; registration is closed.");
        }

        var learner = FindLearner(employee);
        var from = learner?.Status;
        if (!LearnerStatusMachine.Can(LearnerTrigger.RegistrationCompleted, from))
        {
            return LearnerResult.Refuse(from switch
            {
                LearnerStatus.Registered or LearnerStatus.Attended or LearnerStatus.GoShow => "You are already registered to this session.",
                LearnerStatus.WaitingList => $"You are already on the waiting list (position {WaitingListPosition(learner!)}).",
                LearnerStatus.NeedsApproval => "Your registration is already waiting for approval.",
                _ => $"A learner who is {from.Display()} cannot register again.",
            });
        }

        if (RequiresApproval)
        {
            learner ??= NewLearner(employee);
            Move(learner, LearnerTrigger.RegistrationNeedsApproval, LearnerStatus.NeedsApproval, actor, now, null, null);
            return LearnerResult.Done(learner);
        }

        return SeatOrWait(learner, employee, from == LearnerStatus.Invited, actor, now,
            LearnerTrigger.RegistrationCompleted, LearnerTrigger.RegistrationWaitlisted);
    }

    public LearnerResult AcceptInvitation(SessionLearner learner, Actor actor, DateTimeOffset now)
    {
        if (learner.Status != LearnerStatus.Invited)
        {
            return LearnerResult.Refuse(LearnerStatusMachine.Check(LearnerTrigger.InvitationAccepted, learner.Status, LearnerStatus.Registered).Reason!);
        }

        if (Status != SessionStatus.Ready)
        {
            return LearnerResult.Refuse($"This session is {Status}; invitations can no longer be answered.");
        }

        if (Start <= now)
        {
            return LearnerResult.Refuse("This session has already started; the invitation can no longer be accepted.");
        }

        if (learner.HoldsSeatOffer(now) || HasSeatForNewcomer(now))
        {
            Move(learner, LearnerTrigger.InvitationAccepted, LearnerStatus.Registered, actor, now, null, null);
            return LearnerResult.Done(learner);
        }

        if (!EnableWaitingList)
        {
            return LearnerResult.Refuse(FullMessage(now));
        }

        Move(learner, LearnerTrigger.InvitationAcceptedSessionFull, LearnerStatus.WaitingList, actor, now, null, null);

        // An offer answered after it expired held a seat nobody has been offered yet: it goes to the head of the line.
        FillFreeSeats(actor, now);
        return LearnerResult.Done(learner, "The session is full, so you joined the waiting list.");
    }

    public LearnerResult DeclineInvitation(SessionLearner learner, Actor actor, DateTimeOffset now)
    {
        var check = LearnerStatusMachine.Check(LearnerTrigger.InvitationDeclined, learner.Status, LearnerStatus.Declined);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        Move(learner, LearnerTrigger.InvitationDeclined, LearnerStatus.Declined, actor, now, null, null);
        FillFreeSeats(actor, now);
        return LearnerResult.Done(learner);
    }

    public LearnerResult Approve(SessionLearner learner, Actor actor, DateTimeOffset now)
    {
        if (learner.Status != LearnerStatus.NeedsApproval)
        {
            return LearnerResult.Refuse(LearnerStatusMachine.Check(LearnerTrigger.Approved, learner.Status, LearnerStatus.Registered).Reason!);
        }

        if (Status != SessionStatus.Ready)
        {
            return LearnerResult.Refuse($"This session is {Status}; requests can no longer be approved.");
        }

        return SeatOrWait(learner, learner.Employee, false, actor, now, LearnerTrigger.Approved, LearnerTrigger.ApprovedSessionFull);
    }

    public LearnerResult DeclineApproval(SessionLearner learner, string? note, Actor actor, DateTimeOffset now)
    {
        var check = LearnerStatusMachine.Check(LearnerTrigger.ApprovalDeclined, learner.Status, LearnerStatus.ApprovalDeclined);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        Move(learner, LearnerTrigger.ApprovalDeclined, LearnerStatus.ApprovalDeclined, actor, now, note, null);
        return LearnerResult.Done(learner);
    }

    /// <summary>The learner cancels; a freed seat goes to the first waiting learner in the same unit of work.</summary>
    public LearnerResult Cancel(SessionLearner learner, Actor actor, DateTimeOffset now)
    {
        var check = LearnerStatusMachine.Check(LearnerTrigger.LearnerCancelled, learner.Status, LearnerStatus.Cancelled);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        if (Status is SessionStatus.Completed or SessionStatus.Cancelled)
        {
            return LearnerResult.Refuse($"This session is {Status}; there is nothing to cancel.");
        }

        Move(learner, LearnerTrigger.LearnerCancelled, LearnerStatus.Cancelled, actor, now, null, null);
        FillFreeSeats(actor, now);
        return LearnerResult.Done(learner);
    }

    /// <summary>The learner confirms from the attendance reminder: recorded, status unchanged.</summary>
    public LearnerResult ConfirmAttendance(SessionLearner learner, DateTimeOffset now)
    {
        if (learner.Status != LearnerStatus.Registered)
        {
            return LearnerResult.Refuse($"Only Registered learners can confirm their attendance; this learner is {learner.Status.Display()}.");
        }

        learner.ConfirmAttendance(now);
        events.Add(new AttendanceConfirmed(Id, learner));
        return LearnerResult.Done(learner);
    }

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

    // ---- Learners: attendance --------------------------------------------------------------------------------

    /// <summary>
    /// After the end (or on completion), learners still Registered become Absent when the automation setting asks
    /// for it; returns how many moved.
    /// </summary>
    public int MarkRemainingAbsent(DateTimeOffset now)
    {
        RequireWholeRoster("Marking the rest absent");
        if (!Automation.MarkAbsentAfterEnd || Status is SessionStatus.Cancelled or SessionStatus.Draft or SessionStatus.Processing)
        {
            return 0;
        }

        var remaining = learners.Where(l => l.Status == LearnerStatus.Registered).ToList();
        foreach (var learner in remaining)
        {
            Move(learner, LearnerTrigger.MarkedAbsent, LearnerStatus.Absent, Actor.SystemJob, now, null, AutoAbsentCause);
        }

        return remaining.Count;
    }

    public LearnerResult MarkAttendance(SessionLearner learner, bool attended, Actor actor, DateTimeOffset now)
    {
        var to = attended ? LearnerStatus.Attended : LearnerStatus.Absent;
        if (learner.Status == to)
        {
            // A repeated tap (or a replay after a reconnect) is not an error: the mark is already there.
            return LearnerResult.Done(learner);
        }

        var trigger = attended ? LearnerTrigger.MarkedAttended : LearnerTrigger.MarkedAbsent;
        var check = LearnerStatusMachine.Check(trigger, learner.Status, to);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        if (Status is not (SessionStatus.Ready or SessionStatus.Completed))
        {
            return LearnerResult.Refuse($"Attendance can be taken for Ready or Completed sessions only; this session is {Status}.");
        }

        Move(learner, trigger, to, actor, now, null, null);
        return LearnerResult.Done(learner);
    }

    /// <summary>A trainer adds someone who was not registered: straight to Go Show, counted in the fill rate.</summary>
    public LearnerResult AddGoShow(Employee employee, Actor actor, DateTimeOffset now)
    {
        if (Status is not (SessionStatus.Ready or SessionStatus.Completed))
        {
            return LearnerResult.Refuse($"Go Shows can be added to Ready or Completed sessions only; this session is {Status}.");
        }

        var learner = FindLearner(employee);
        if (learner?.Status == LearnerStatus.GoShow)
        {
            return LearnerResult.Done(learner);
        }

        var check = LearnerStatusMachine.Check(LearnerTrigger.AddedAsGoShow, learner?.Status, LearnerStatus.GoShow);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        learner ??= NewLearner(employee);
        Move(learner, LearnerTrigger.AddedAsGoShow, LearnerStatus.GoShow, actor, now, null, null);
        return LearnerResult.Done(learner);
    }

    // ---- Internals -------------------------------------------------------------------------------------------

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

    private SessionLearner NewLearner(Employee employee)
    {
        var learner = new SessionLearner(this, employee);
        learners.Add(learner);
        return learner;
    }

    private void Move(SessionLearner learner, LearnerTrigger trigger, LearnerStatus to, Actor actor, DateTimeOffset now, string? note, string? cause)
    {
        var from = learner.History.Count == 0 && learner.Id == 0 && learner.Version == 0 ? (LearnerStatus?)null : learner.Status;
        var check = LearnerStatusMachine.Check(trigger, from, to);
        if (!check.IsAllowed)
        {
            // Callers check first; reaching this is a bug, never a silent skip.
            throw new InvalidOperationException(check.Reason);
        }

        learner.MoveTo(from, to, trigger, actor, now, note, cause);
        if (to == LearnerStatus.WaitingList)
        {
            var order = Math.Max(learners.Max(l => l.WaitingListOrder ?? 0), slice?.LastWaitingOrder ?? 0) + 1;
            learner.JoinWaitingList(now, order);
        }

        Version++;
        events.Add(new LearnerStatusChanged(Id, learner, from, to, trigger, actor));
    }

    private string FullMessage(DateTimeOffset now) => $"This session is full ({SeatsCount(now)}) and has no waiting list.";

    // Held seats are named too: "full (0 of 1 seats taken)" would read as a contradiction.
    private string SeatsCount(DateTimeOffset now) => SeatsHeld(now) is var held and > 0
        ? $"{SeatsTaken} taken and {held} held of {MaxCapacity} seats"
        : $"{SeatsTaken} of {MaxCapacity} seats taken";

    private string FullForOverbook(DateTimeOffset now) =>
        $"This session is full ({SeatsTaken} taken and {SeatsHeld(now)} held of {MaxCapacity}); confirm overbooking to seat this learner anyway.";

    /// <summary>Session times are kept to the second in UTC, so what is stored is exactly what was decided.</summary>
    private static DateTimeOffset ToSeconds(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private void Apply(SessionDetails details)
    {
        Title = details.Title.Trim();
        Description = details.Description?.Trim() ?? string.Empty;
        Type = details.Type;
        Start = ToSeconds(details.Start);
        End = ToSeconds(details.End);
        TimeZone = details.TimeZone;
        Location = details.Location?.Trim() ?? string.Empty;
        MaxCapacity = details.MaxCapacity;
        EnableWaitingList = details.EnableWaitingList;
        RequiresApproval = details.RequiresApproval;
        ApprovalFlow = details.ApprovalFlow;
        EnableCalendar = details.EnableCalendar;
        Automation = details.Automation;
    }
}

/// <summary>A trainer of a session; the one with the lowest order is the lead trainer.</summary>
public sealed class SessionTrainer
{
    private SessionTrainer()
    {
    }

    internal SessionTrainer(LiveSession session, Employee employee, int order)
    {
        Session = session;
        Employee = employee;
        EmployeeId = employee.Id;
        Order = order;
    }

    public int SessionId { get; private set; }

    public LiveSession Session { get; private set; } = null!;

    public int EmployeeId { get; private set; }

    public Employee Employee { get; private set; } = null!;

    public int Order { get; internal set; }
}

/// <summary>What a learner operation did: the learner and an optional message, or a refusal with its reason.</summary>
public sealed record LearnerResult(SessionLearner? Learner, string? Refusal, string? Message = null)
{
    public bool IsDone => Refusal is null;

    public static LearnerResult Done(SessionLearner learner, string? message = null) => new(learner, null, message);

    public static LearnerResult Refuse(string reason) => new(null, reason);
}

public sealed record SessionResult(string? Refusal, IReadOnlyDictionary<string, string>? Errors)
{
    public static readonly SessionResult Ok = new(null, null);

    public bool IsDone => Refusal is null && Errors is null;

    public static SessionResult Refuse(string reason) => new(reason, null);

    public static SessionResult Invalid(IReadOnlyDictionary<string, string> errors) => new(null, errors);
}
