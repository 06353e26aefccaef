namespace LiveSessions.Domain;

/// <summary>What admins, learners and approvers do to learners: add, change by hand, copy, register, answer, approve, cancel.</summary>
public sealed partial class LiveSession
{
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

        // Not Invited or Invited, the learner is taken in as if added to the target: a Ready session that sends calendar
        // invitations invites them (and the invitation goes out); any other gives them nothing to answer yet, so Not Invited.
        if (requested is LearnerStatus.NotInvited or LearnerStatus.Invited)
        {
            to = Status == SessionStatus.Ready && EnableCalendar ? LearnerStatus.Invited : LearnerStatus.NotInvited;
            if (to != requested)
            {
                note += to == LearnerStatus.Invited
                    ? "; the target is Ready with calendar invitations, so they were invited"
                    : "; the target sends no invitation yet, so they are Not Invited";
            }
        }

        if (to.TakesSeat() && !overbook && !HasSeatForNewcomer(now))
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

    /// <summary>The learner accepts (a link, or a reply from their calendar: <paramref name="cause"/> says which).</summary>
    public LearnerResult AcceptInvitation(SessionLearner learner, Actor actor, DateTimeOffset now, string? cause = null)
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
            Move(learner, LearnerTrigger.InvitationAccepted, LearnerStatus.Registered, actor, now, null, cause);
            return LearnerResult.Done(learner);
        }

        if (!EnableWaitingList)
        {
            return LearnerResult.Refuse(FullMessage(now));
        }

        Move(learner, LearnerTrigger.InvitationAcceptedSessionFull, LearnerStatus.WaitingList, actor, now, null, cause);

        // An offer answered after it expired held a seat nobody has been offered yet: it goes to the head of the line.
        FillFreeSeats(actor, now);
        return LearnerResult.Done(learner, "The session is full, so you joined the waiting list.");
    }

    public LearnerResult DeclineInvitation(SessionLearner learner, Actor actor, DateTimeOffset now, string? cause = null)
    {
        var check = LearnerStatusMachine.Check(LearnerTrigger.InvitationDeclined, learner.Status, LearnerStatus.Declined);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        Move(learner, LearnerTrigger.InvitationDeclined, LearnerStatus.Declined, actor, now, null, cause);
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
    public LearnerResult Cancel(SessionLearner learner, Actor actor, DateTimeOffset now, string? cause = null)
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

        Move(learner, LearnerTrigger.LearnerCancelled, LearnerStatus.Cancelled, actor, now, null, cause);
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
}
