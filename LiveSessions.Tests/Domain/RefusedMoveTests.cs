using LiveSessions.Domain;
using static LiveSessions.Domain.LearnerStatus;

namespace LiveSessions.Tests.Domain;

// Every refused move: the reason a person reads, and nothing changed.
public sealed class RefusedMoveTests
{
    private readonly Employee lea = Build.Employee("Lea Learner");

    // One seat, taken, with a waiting list: a learner put on the list stays there instead of being offered a seat.
    private static LiveSession FullSession(Func<SessionBuilder, SessionBuilder>? configure = null)
    {
        var session = (configure ?? (b => b))(Build.Session().WithCapacity(1).WithWaitingList().Ready()).Build();
        session.SeatLearners(1);
        return session;
    }

    // ---- Attendance -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(NotInvited, "Not Invited")]
    [InlineData(Invited, "Invited")]
    [InlineData(Declined, "Declined")]
    [InlineData(NeedsApproval, "Needs Approval")]
    [InlineData(ApprovalDeclined, "Approval Declined")]
    [InlineData(WaitingList, "Waiting List")]
    [InlineData(Cancelled, "Cancelled")]
    [InlineData(GoShow, "Go Show")]
    public void MarkAttended_from_a_status_other_than_Registered_or_Absent_is_refused(LearnerStatus from, string shown)
    {
        var session = FullSession();
        var learner = session.Put(lea, from);

        DomainAssert.Refused(session, learner,
            () => session.MarkAttendance(learner, attended: true, Fixed.Trainer, Fixed.Now),
            $"Only Registered learners can be marked Attended; this learner is {shown}.");
    }

    [Theory]
    [InlineData(NotInvited, "Not Invited")]
    [InlineData(Invited, "Invited")]
    [InlineData(Declined, "Declined")]
    [InlineData(NeedsApproval, "Needs Approval")]
    [InlineData(ApprovalDeclined, "Approval Declined")]
    [InlineData(WaitingList, "Waiting List")]
    [InlineData(Cancelled, "Cancelled")]
    [InlineData(GoShow, "Go Show")]
    public void MarkAbsent_from_a_status_other_than_Registered_or_Attended_is_refused(LearnerStatus from, string shown)
    {
        var session = FullSession();
        var learner = session.Put(lea, from);

        DomainAssert.Refused(session, learner,
            () => session.MarkAttendance(learner, attended: false, Fixed.Trainer, Fixed.Now),
            $"Only Registered learners can be marked Absent; this learner is {shown}.");
    }

    [Theory]
    [InlineData(true, Attended)]
    [InlineData(false, Absent)]
    public void MarkAttendance_repeated_is_accepted_and_records_nothing_new(bool attended, LearnerStatus mark)
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put(lea, mark);
        var history = learner.History.Count;

        var result = session.MarkAttendance(learner, attended, Fixed.Trainer, Fixed.Now);

        Assert.Same(learner, DomainAssert.Done(result));
        Assert.Equal(mark, learner.Status);
        Assert.Equal(history, learner.History.Count);
        Assert.Empty(session.DomainEvents);
    }

    [Theory]
    [InlineData(SessionStatus.Draft)]
    [InlineData(SessionStatus.Processing)]
    public void MarkAttendance_on_a_session_not_yet_Ready_is_refused(SessionStatus status)
    {
        var session = Build.Session().InStatus(status).Build();
        var learner = session.Put(lea, Registered);

        DomainAssert.Refused(session, learner,
            () => session.MarkAttendance(learner, attended: true, Fixed.Trainer, Fixed.Now),
            $"Attendance can be taken for Ready or Completed sessions only; this session is {status}.");
    }

    [Fact]
    public void ConfirmAttendance_by_a_learner_not_Registered_is_refused()
    {
        var session = Build.Session().WithCalendar().Ready().Build();
        var learner = session.Put(lea, Invited);

        DomainAssert.Refused(session, learner,
            () => session.ConfirmAttendance(learner, Fixed.Now),
            "Only Registered learners can confirm their attendance; this learner is Invited.");
        Assert.Null(learner.AttendanceConfirmedAt);
    }

    // ---- Invitations ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(NotInvited, "Not Invited")]
    [InlineData(Declined, "Declined")]
    [InlineData(NeedsApproval, "Needs Approval")]
    [InlineData(ApprovalDeclined, "Approval Declined")]
    [InlineData(WaitingList, "Waiting List")]
    [InlineData(Registered, "Registered")]
    [InlineData(Cancelled, "Cancelled")]
    [InlineData(Absent, "Absent")]
    [InlineData(Attended, "Attended")]
    [InlineData(GoShow, "Go Show")]
    public void Answering_an_invitation_when_not_Invited_is_refused(LearnerStatus from, string shown)
    {
        var session = FullSession(b => b.WithCalendar());
        var learner = session.Put(lea, from);
        var reason = $"Only Invited learners can answer an invitation; this learner is {shown}.";

        DomainAssert.Refused(session, learner, () => session.AcceptInvitation(learner, Fixed.As(lea), Fixed.Now), reason);
        DomainAssert.Refused(session, learner, () => session.DeclineInvitation(learner, Fixed.As(lea), Fixed.Now), reason);
    }

    [Fact]
    public void Accepting_an_invitation_of_a_Completed_session_is_refused()
    {
        var session = Build.Session().WithCalendar().Ready().Build();
        var learner = session.Put(lea, Invited);
        session.ChangeStatus(SessionStatus.Completed, Fixed.Admin, Fixed.Now).MustBeDone();

        DomainAssert.Refused(session, learner,
            () => session.AcceptInvitation(learner, Fixed.As(lea), Fixed.Now),
            "This session is Completed; invitations can no longer be answered.");
    }

    [Fact]
    public void Accepting_an_invitation_of_a_full_session_without_waiting_list_is_refused()
    {
        var session = Build.Session().WithCapacity(1).WithCalendar().Ready().Build();
        session.SeatLearners(1);
        var learner = session.Put(lea, Invited);

        DomainAssert.Refused(session, learner,
            () => session.AcceptInvitation(learner, Fixed.As(lea), Fixed.Now),
            "This session is full (1 of 1 seats taken) and has no waiting list.");
    }

    [Fact]
    public void Accepting_an_invitation_when_the_last_seat_is_held_by_another_offer_is_refused_naming_the_held_seat()
    {
        var session = Build.Session().WithCapacity(1).WithCalendar().Ready().Build();
        var holder = Build.Employee("Hal Holder");
        session.Register(holder, Fixed.As(holder), Fixed.Now).MustBeDone();
        var learner = session.Put(lea, Invited);

        DomainAssert.Refused(session, learner,
            () => session.AcceptInvitation(learner, Fixed.As(lea), Fixed.Now),
            "This session is full (0 taken and 1 held of 1 seats) and has no waiting list.");
    }

    // ---- Approval -------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(NotInvited, "Not Invited")]
    [InlineData(Invited, "Invited")]
    [InlineData(Declined, "Declined")]
    [InlineData(ApprovalDeclined, "Approval Declined")]
    [InlineData(WaitingList, "Waiting List")]
    [InlineData(Registered, "Registered")]
    [InlineData(Cancelled, "Cancelled")]
    [InlineData(Absent, "Absent")]
    [InlineData(Attended, "Attended")]
    [InlineData(GoShow, "Go Show")]
    public void Approving_or_declining_a_learner_who_does_not_need_approval_is_refused(LearnerStatus from, string shown)
    {
        var session = FullSession(b => b.RequiringApproval());
        var learner = session.Put(lea, from);
        var reason = $"Only learners who Need Approval can be approved or declined; this learner is {shown}.";

        DomainAssert.Refused(session, learner, () => session.Approve(learner, Fixed.Approver, Fixed.Now), reason);
        DomainAssert.Refused(session, learner, () => session.DeclineApproval(learner, null, Fixed.Approver, Fixed.Now), reason);
    }

    [Fact]
    public void Approving_when_the_session_is_full_without_waiting_list_is_refused()
    {
        var session = Build.Session().WithCapacity(1).RequiringApproval().Ready().Build();
        session.SeatLearners(1);
        var learner = session.Put(lea, NeedsApproval);

        DomainAssert.Refused(session, learner,
            () => session.Approve(learner, Fixed.Approver, Fixed.Now),
            "This session is full (1 of 1 seats taken) and has no waiting list.");
    }

    [Fact]
    public void Approving_for_a_Completed_session_is_refused()
    {
        var session = Build.Session().RequiringApproval().Ready().Build();
        var learner = session.Put(lea, NeedsApproval);
        session.ChangeStatus(SessionStatus.Completed, Fixed.Admin, Fixed.Now).MustBeDone();

        DomainAssert.Refused(session, learner,
            () => session.Approve(learner, Fixed.Approver, Fixed.Now),
            "This session is Completed; requests can no longer be approved.");
    }

    // ---- Registration ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(SessionStatus.Draft)]
    [InlineData(SessionStatus.Processing)]
    [InlineData(SessionStatus.Completed)]
    [InlineData(SessionStatus.Cancelled)]
    public void Registering_to_a_session_that_is_not_Ready_is_refused(SessionStatus status)
    {
        var session = Build.Session().InStatus(status).Build();

        DomainAssert.Refused(session, null,
            () => session.Register(lea, Fixed.As(lea), Fixed.Now),
            $"This session is not open for registration (it is {status}).");
        Assert.Empty(session.Learners);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-90)]
    public void Registering_once_the_session_has_started_is_refused(int minutesFromNow)
    {
        var session = Build.Session().Starting(Fixed.Now.AddMinutes(minutesFromNow)).Ready().Build();
        var learner = session.Put(lea, NotInvited);

        DomainAssert.Refused(session, learner,
            () => session.Register(lea, Fixed.As(lea), Fixed.Now),
            "This session has already started; registration is closed.");
    }

    [Theory]
    [InlineData(Registered)]
    [InlineData(Attended)]
    [InlineData(GoShow)]
    public void Registering_again_when_already_seated_is_refused(LearnerStatus from)
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put(lea, from);

        DomainAssert.Refused(session, learner,
            () => session.Register(lea, Fixed.As(lea), Fixed.Now),
            "You are already registered to this session.");
    }

    [Fact]
    public void Registering_again_when_waiting_is_refused_with_the_position()
    {
        var session = FullSession();
        session.Waiting("Wes Waiting");
        var employee = Build.Employee("Val Waiting");
        var learner = session.Register(employee, Fixed.As(employee), Fixed.Now).MustBeDone();

        DomainAssert.Refused(session, learner,
            () => session.Register(employee, Fixed.As(employee), Fixed.Now),
            "You are already on the waiting list (position 2).");
    }

    [Fact]
    public void Registering_again_while_waiting_for_approval_is_refused()
    {
        var session = Build.Session().RequiringApproval().Ready().Build();
        var learner = session.Register(lea, Fixed.As(lea), Fixed.Now).MustBeDone();

        DomainAssert.Refused(session, learner,
            () => session.Register(lea, Fixed.As(lea), Fixed.Now),
            "Your registration is already waiting for approval.");
    }

    [Fact]
    public void Registering_again_after_being_marked_Absent_is_refused()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put(lea, Absent);

        DomainAssert.Refused(session, learner,
            () => session.Register(lea, Fixed.As(lea), Fixed.Now),
            "A learner who is Absent cannot register again.");
    }

    [Fact]
    public void Registering_a_newcomer_to_a_full_session_without_waiting_list_is_refused_and_adds_nobody()
    {
        var session = Build.Session().WithCapacity(1).Ready().Build();
        session.SeatLearners(1);

        DomainAssert.Refused(session, null,
            () => session.Register(lea, Fixed.As(lea), Fixed.Now),
            "This session is full (1 of 1 seats taken) and has no waiting list.");
        Assert.Null(session.FindLearner(lea));
    }

    [Theory]
    [InlineData(NotInvited)]
    [InlineData(Declined)]
    [InlineData(Cancelled)]
    public void Registering_a_known_learner_to_a_full_session_without_waiting_list_is_refused(LearnerStatus from)
    {
        var session = Build.Session().WithCapacity(1).Ready().Build();
        session.SeatLearners(1);
        var learner = session.Put(lea, from);

        DomainAssert.Refused(session, learner,
            () => session.Register(lea, Fixed.As(lea), Fixed.Now),
            "This session is full (1 of 1 seats taken) and has no waiting list.");
    }

    // ---- Cancelling -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(NotInvited, "Not Invited")]
    [InlineData(Invited, "Invited")]
    [InlineData(Declined, "Declined")]
    [InlineData(ApprovalDeclined, "Approval Declined")]
    [InlineData(Cancelled, "Cancelled")]
    [InlineData(Absent, "Absent")]
    [InlineData(Attended, "Attended")]
    [InlineData(GoShow, "Go Show")]
    public void Cancelling_from_a_status_that_holds_nothing_to_cancel_is_refused(LearnerStatus from, string shown)
    {
        var session = FullSession();
        var learner = session.Put(lea, from);

        DomainAssert.Refused(session, learner,
            () => session.Cancel(learner, Fixed.As(lea), Fixed.Now),
            $"Only Registered, Waiting List or Needs Approval learners can cancel; this learner is {shown}.");
    }

    [Fact]
    public void Cancelling_a_registration_of_a_Completed_session_is_refused()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put(lea, Registered);
        session.ChangeStatus(SessionStatus.Completed, Fixed.Admin, Fixed.Now).MustBeDone();

        DomainAssert.Refused(session, learner,
            () => session.Cancel(learner, Fixed.As(lea), Fixed.Now),
            "This session is Completed; there is nothing to cancel.");
    }

    // ---- Manual change and copy -----------------------------------------------------------------------------------

    [Theory]
    [InlineData(NotInvited, "Not Invited")]
    [InlineData(Invited, "Invited")]
    [InlineData(Declined, "Declined")]
    [InlineData(NeedsApproval, "Needs Approval")]
    [InlineData(ApprovalDeclined, "Approval Declined")]
    [InlineData(WaitingList, "Waiting List")]
    [InlineData(Registered, "Registered")]
    [InlineData(Cancelled, "Cancelled")]
    [InlineData(Absent, "Absent")]
    [InlineData(Attended, "Attended")]
    [InlineData(GoShow, "Go Show")]
    public void Manual_change_to_the_same_status_is_refused(LearnerStatus status, string shown)
    {
        var session = FullSession();
        var learner = session.Put(lea, status);

        DomainAssert.Refused(session, learner,
            () => session.ChangeLearnerStatus(learner, status, "again", overbook: true, Fixed.Admin, Fixed.Now),
            $"This learner is already {shown}.");
    }

    [Theory]
    [InlineData(Registered)]
    [InlineData(GoShow)]
    [InlineData(Attended)]
    public void Manual_change_into_a_seat_of_a_full_session_without_overbook_is_refused(LearnerStatus to)
    {
        var session = FullSession();
        var learner = session.Put(lea, NotInvited);

        DomainAssert.Refused(session, learner,
            () => session.ChangeLearnerStatus(learner, to, null, overbook: false, Fixed.Admin, Fixed.Now),
            "This session is full (1 taken and 0 held of 1); confirm overbooking to seat this learner anyway.");
    }

    [Fact]
    public void Manual_change_into_a_seat_held_by_someone_else_without_overbook_is_refused()
    {
        var session = Build.Session().WithCapacity(1).WithCalendar().Ready().Build();
        var holder = Build.Employee("Hal Holder");
        session.Register(holder, Fixed.As(holder), Fixed.Now).MustBeDone();
        var learner = session.Put(lea, Declined);

        DomainAssert.Refused(session, learner,
            () => session.ChangeLearnerStatus(learner, Registered, null, overbook: false, Fixed.Admin, Fixed.Now),
            "This session is full (0 taken and 1 held of 1); confirm overbooking to seat this learner anyway.");
    }

    [Fact]
    public void Manual_change_into_a_seat_of_a_full_session_with_overbook_seats_past_capacity()
    {
        var session = FullSession();
        var learner = session.Put(lea, NotInvited);

        var result = session.ChangeLearnerStatus(learner, Registered, "Director asked", overbook: true, Fixed.Admin, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, NotInvited, Registered, LearnerTrigger.Manual, Fixed.Admin, note: "Director asked");
        Assert.Equal(2, session.SeatsTaken);
        Assert.Equal(0, session.SeatsFree(Fixed.Now));
        Assert.Equal(2.0, session.FillRate);
    }

    [Fact]
    public void Adding_a_learner_already_in_the_session_is_refused()
    {
        var session = Build.Session().Build();
        var learner = session.Put(lea, NotInvited);

        DomainAssert.Refused(session, learner,
            () => session.AddLearner(lea, Fixed.Admin, Fixed.Now),
            "Lea Learner is already in this session (Not Invited).");
        Assert.Single(session.Learners);
    }

    [Fact]
    public void Copying_a_learner_already_in_the_target_session_is_refused()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put(lea, Registered);

        DomainAssert.Refused(session, learner,
            () => session.AddCopiedLearner(lea, Cancelled, overbook: false, "Forklift safety — February", Fixed.Admin, Fixed.Now),
            "Lea Learner is already in the target session (Registered).");
    }

    [Theory]
    [InlineData(SessionStatus.Completed)]
    [InlineData(SessionStatus.Cancelled)]
    public void Adding_or_copying_a_learner_to_a_finished_session_is_refused(SessionStatus status)
    {
        var session = Build.Session().InStatus(status).Build();

        DomainAssert.Refused(session, null,
            () => session.AddLearner(lea, Fixed.Admin, Fixed.Now),
            $"Learners cannot be added to a {status} session.");
        DomainAssert.Refused(session, null,
            () => session.AddCopiedLearner(lea, WaitingList, overbook: false, "Forklift safety — February", Fixed.Admin, Fixed.Now),
            $"The target session is {status}.");
        Assert.Empty(session.Learners);
    }

    [Fact]
    public void Copying_a_seated_learner_to_a_full_session_without_waiting_list_is_refused()
    {
        var session = Build.Session().WithCapacity(1).Ready().Build();
        session.SeatLearners(1);

        DomainAssert.Refused(session, null,
            () => session.AddCopiedLearner(lea, Registered, overbook: false, "Forklift safety — February", Fixed.Admin, Fixed.Now),
            "The target session is full (1 of 1 seats taken) and has no waiting list.");
    }

    // ---- Go Show --------------------------------------------------------------------------------------------------

    [Fact]
    public void Adding_a_Registered_learner_as_Go_Show_is_refused()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put(lea, Registered);

        DomainAssert.Refused(session, learner,
            () => session.AddGoShow(lea, Fixed.Trainer, Fixed.Now),
            "This learner is Registered: mark them Attended instead of adding them as Go Show.");
    }

    [Theory]
    [InlineData(Attended)]
    [InlineData(Absent)]
    public void Adding_an_Attended_or_Absent_learner_as_Go_Show_is_refused(LearnerStatus from)
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put(lea, from);

        DomainAssert.Refused(session, learner,
            () => session.AddGoShow(lea, Fixed.Trainer, Fixed.Now),
            $"Only learners without a seat can be added as Go Show; this learner is {from}.");
    }

    [Theory]
    [InlineData(SessionStatus.Draft)]
    [InlineData(SessionStatus.Processing)]
    [InlineData(SessionStatus.Cancelled)]
    public void Adding_a_Go_Show_to_a_session_that_is_not_Ready_or_Completed_is_refused(SessionStatus status)
    {
        var session = Build.Session().InStatus(status).Build();

        DomainAssert.Refused(session, null,
            () => session.AddGoShow(lea, Fixed.Trainer, Fixed.Now),
            $"Go Shows can be added to Ready or Completed sessions only; this session is {status}.");
    }

    [Fact]
    public void Adding_the_same_Go_Show_twice_records_one_move()
    {
        var session = Build.Session().Ready().Build();
        session.AddGoShow(lea, Fixed.Trainer, Fixed.Now).MustBeDone();
        session.ClearDomainEvents();

        var result = session.AddGoShow(lea, Fixed.Trainer, Fixed.Now);

        var learner = DomainAssert.Done(result);
        Assert.Single(learner.History);
        Assert.Single(session.Learners);
        Assert.Empty(session.DomainEvents);
    }

    // ---- Seat offers by the admin ---------------------------------------------------------------------------------

    [Fact]
    public void Offering_a_seat_to_a_learner_not_waiting_is_refused()
    {
        var session = Build.Session().WithWaitingList().Ready().Build();
        var learner = session.Put(lea, Declined);

        DomainAssert.Refused(session, learner,
            () => session.OfferSeat(learner, Fixed.Admin, Fixed.Now),
            "Only Waiting List learners can be offered a seat; this learner is Declined.");
    }

    [Fact]
    public void Offering_a_seat_when_none_is_free_is_refused()
    {
        var session = FullSession();
        var learner = session.Waiting("Wes Waiting");

        DomainAssert.Refused(session, learner,
            () => session.OfferSeat(learner, Fixed.Admin, Fixed.Now),
            "There is no free seat to offer: every seat is taken or held by another offer.");
    }

    [Fact]
    public void Offering_the_only_free_seat_to_the_second_in_line_is_refused()
    {
        var session = FullSession(b => b.WithAutomation(a => a with { AutoPromoteWaitingList = false }));
        var seated = session.Learners[0];
        session.Waiting("Wes Waiting");
        var second = session.Waiting("Val Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();

        DomainAssert.Refused(session, second,
            () => session.OfferSeat(second, Fixed.Admin, Fixed.Now),
            "Seats go first come, first served: this learner is position 2 on the waiting list and only 1 seat is free.");
    }

    // ---- Session status -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(SessionStatus.Completed, SessionStatus.Ready, "This session is Completed; its status can no longer change.")]
    [InlineData(SessionStatus.Completed, SessionStatus.Cancelled, "This session is Completed; its status can no longer change.")]
    [InlineData(SessionStatus.Cancelled, SessionStatus.Draft, "This session is Cancelled; its status can no longer change.")]
    [InlineData(SessionStatus.Ready, SessionStatus.Draft, "A Ready session can move to Completed, Cancelled only, not Draft.")]
    [InlineData(SessionStatus.Ready, SessionStatus.Processing, "A Ready session can move to Completed, Cancelled only, not Processing.")]
    [InlineData(SessionStatus.Ready, SessionStatus.Ready, "A Ready session can move to Completed, Cancelled only, not Ready.")]
    [InlineData(SessionStatus.Draft, SessionStatus.Completed, "A Draft session can move to Processing, Ready, Cancelled only, not Completed.")]
    [InlineData(SessionStatus.Draft, SessionStatus.Draft, "A Draft session can move to Processing, Ready, Cancelled only, not Draft.")]
    [InlineData(SessionStatus.Processing, SessionStatus.Completed, "A Processing session can move to Draft, Ready, Cancelled only, not Completed.")]
    public void Illegal_session_status_move_is_refused(SessionStatus from, SessionStatus to, string reason)
    {
        var session = Build.Session().InStatus(from).Build();
        var version = session.Version;

        var result = session.ChangeStatus(to, Fixed.Admin, Fixed.Now);

        Assert.False(result.IsDone);
        Assert.Equal(reason, result.Refusal);
        Assert.False(session.CanChangeStatus(to));
        Assert.Equal(from, session.Status);
        Assert.Equal(version, session.Version);
        Assert.Empty(session.DomainEvents);
    }

    [Fact]
    public void Editing_a_Completed_session_is_refused()
    {
        var builder = Build.Session().InStatus(SessionStatus.Completed);
        var session = builder.Build();

        var result = session.UpdateDetails(builder.WithCapacity(20).Details(), [], Fixed.Admin, Fixed.Now);

        Assert.Equal("This session is Completed and can no longer be edited.", result.Refusal);
        Assert.Equal(10, session.MaxCapacity);
        Assert.Empty(session.DomainEvents);
    }

    [Fact]
    public void Editing_a_session_to_a_capacity_below_one_is_refused_by_field()
    {
        var builder = Build.Session().Ready();
        var session = builder.Build();

        var result = session.UpdateDetails(builder.WithCapacity(0).Details(), [], Fixed.Admin, Fixed.Now);

        Assert.False(result.IsDone);
        Assert.NotNull(result.Errors);
        Assert.Equal("The maximum capacity must be a whole number from 1 to 10,000.", result.Errors["MaxCapacity"]);
        Assert.Equal(10, session.MaxCapacity);
    }
}
