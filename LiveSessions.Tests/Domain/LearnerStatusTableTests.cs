using LiveSessions.Domain;
using static LiveSessions.Domain.LearnerStatus;
using static LiveSessions.Domain.LearnerTrigger;

namespace LiveSessions.Tests.Domain;

// One test per row of LearnerStatusMachine.Table, driven through the session's intent methods as the app drives them.
public sealed class LearnerStatusTableTests
{
    private const string AutoInviteCause = "Auto-invite on Ready";
    private const string AutoPromoteCause = "Auto-promote the waiting list when a seat frees";

    // ---- Admin adds a learner -----------------------------------------------------------------------------------

    [Theory]
    [InlineData(SessionStatus.Draft)]
    [InlineData(SessionStatus.Processing)]
    public void Nobody_to_NotInvited_when_admin_adds_learner_to_Draft_or_Processing_session(SessionStatus status)
    {
        // Calendar on: it only invites once the session is Ready.
        var session = Build.Session().WithCalendar().InStatus(status).Build();

        var result = session.AddLearner(Build.Employee("Lea Learner"), Fixed.Admin, Fixed.Now);

        var learner = DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, null, NotInvited, AddedToDraftSession, Fixed.Admin);
        Assert.Single(learner.History);
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void NotInvited_to_Invited_when_session_set_Ready()
    {
        var session = Build.Session().Build();
        var learner = session.Put("Lea Learner", NotInvited);

        var result = session.ChangeStatus(SessionStatus.Ready, Fixed.Admin, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, NotInvited, Invited, SessionSetReady, Actor.SystemJob, cause: AutoInviteCause);
        Assert.Null(learner.SeatOfferExpiresAt);
        DomainEvent[] expected =
        [
            new SessionStatusChanged(0, SessionStatus.Draft, SessionStatus.Ready, Fixed.Admin),
            new LearnerStatusChanged(0, learner, NotInvited, Invited, SessionSetReady, Actor.SystemJob),
        ];
        Assert.Equal(expected, session.DomainEvents);
    }

    [Fact]
    public void Nobody_to_Invited_when_admin_adds_learner_to_Ready_calendar_session()
    {
        var session = Build.Session().WithCalendar().Ready().Build();

        var result = session.AddLearner(Build.Employee("Lea Learner"), Fixed.Admin, Fixed.Now);

        var learner = DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, null, Invited, AddedToCalendarSession, Fixed.Admin);
        Assert.Null(learner.SeatOfferExpiresAt);
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void Nobody_to_NotInvited_when_admin_adds_learner_to_Ready_session_without_calendar()
    {
        var session = Build.Session().Ready().Build();

        var result = session.AddLearner(Build.Employee("Lea Learner"), Fixed.Admin, Fixed.Now);

        var learner = DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, null, NotInvited, AddedToReadySessionWithoutCalendar, Fixed.Admin);
        Assert.Single(session.DomainEvents);
    }

    // ---- Invitations --------------------------------------------------------------------------------------------

    [Fact]
    public void Invited_to_Registered_when_learner_accepts_invitation_with_a_free_seat()
    {
        var session = Build.Session().WithCalendar().Ready().Build();
        var employee = Build.Employee("Lea Learner");
        var learner = session.Put(employee, Invited);

        var result = session.AcceptInvitation(learner, Fixed.As(employee), Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, Invited, Registered, InvitationAccepted, Fixed.As(employee));
        Assert.Equal(Fixed.Now, learner.RegisteredAt);
        Assert.Equal(1, session.SeatsTaken);
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void Invited_to_WaitingList_when_learner_accepts_invitation_of_full_session_with_waiting_list()
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList().WithCalendar().Ready().Build();
        session.SeatLearners(1);
        var employee = Build.Employee("Lea Learner");
        var learner = session.Put(employee, Invited);

        var result = session.AcceptInvitation(learner, Fixed.As(employee), Fixed.Now);

        DomainAssert.Done(result);
        Assert.Equal("The session is full, so you joined the waiting list.", result.Message);
        DomainAssert.Moved(session, learner, Invited, WaitingList, InvitationAcceptedSessionFull, Fixed.As(employee));
        Assert.Equal(1, session.WaitingListPosition(learner));
        Assert.Equal(Fixed.Now, learner.WaitingListJoinedAt);
    }

    [Fact]
    public void Invited_to_Declined_when_learner_declines_invitation()
    {
        var session = Build.Session().WithCalendar().Ready().Build();
        var employee = Build.Employee("Lea Learner");
        var learner = session.Put(employee, Invited);

        var result = session.DeclineInvitation(learner, Fixed.As(employee), Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, Invited, Declined, InvitationDeclined, Fixed.As(employee));
        Assert.Single(session.DomainEvents);
    }

    // ---- Approval -------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData(NotInvited)]
    [InlineData(Invited)]
    [InlineData(Declined)]
    [InlineData(Cancelled)]
    [InlineData(LearnerStatus.ApprovalDeclined)]
    public void From_new_or_unseated_to_NeedsApproval_when_learner_registers_to_session_requiring_approval(LearnerStatus? from)
    {
        var session = Build.Session().RequiringApproval().Ready().Build();
        var employee = Build.Employee("Lea Learner", manager: Build.Employee("Mia Manager"));
        var existing = from is { } status ? session.Put(employee, status) : null;

        var result = session.Register(employee, Fixed.As(employee), Fixed.Now);

        var learner = DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, from, NeedsApproval, RegistrationNeedsApproval, Fixed.As(employee));
        Assert.Same(existing ?? learner, learner);
        Assert.Single(session.Learners);
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void NeedsApproval_to_Registered_when_approver_approves_with_a_free_seat()
    {
        var session = Build.Session().RequiringApproval().Ready().Build();
        var learner = session.Put("Lea Learner", NeedsApproval);

        var result = session.Approve(learner, Fixed.Approver, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, NeedsApproval, Registered, Approved, Fixed.Approver);
        Assert.Equal(1, session.SeatsTaken);
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void NeedsApproval_to_WaitingList_when_approver_approves_but_session_is_full_with_waiting_list()
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList().RequiringApproval().Ready().Build();
        session.SeatLearners(1);
        var learner = session.Put("Lea Learner", NeedsApproval);

        var result = session.Approve(learner, Fixed.Approver, Fixed.Now);

        DomainAssert.Done(result);
        Assert.Equal("The session is full, so you joined the waiting list (position 1).", result.Message);
        DomainAssert.Moved(session, learner, NeedsApproval, WaitingList, ApprovedSessionFull, Fixed.Approver);
        Assert.Equal(1, session.WaitingListPosition(learner));
    }

    [Fact]
    public void NeedsApproval_to_Invited_with_seat_offer_when_approved_in_calendar_session()
    {
        var session = Build.Session().RequiringApproval().WithCalendar().Ready().Build();
        var learner = session.Put("Lea Learner", NeedsApproval);

        var result = session.Approve(learner, Fixed.Approver, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, NeedsApproval, Invited, RegistrationHeldByCalendarInvitation, Fixed.Approver);
        Assert.Equal(Fixed.Now + Fixed.HoldTime, learner.SeatOfferExpiresAt);
        Assert.Equal(1, session.SeatsHeld(Fixed.Now));
    }

    [Fact]
    public void NeedsApproval_to_ApprovalDeclined_when_approver_declines()
    {
        var session = Build.Session().RequiringApproval().Ready().Build();
        var learner = session.Put("Lea Learner", NeedsApproval);

        var result = session.DeclineApproval(learner, "  Budget frozen this quarter ", Fixed.Approver, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, NeedsApproval, LearnerStatus.ApprovalDeclined, LearnerTrigger.ApprovalDeclined, Fixed.Approver,
            note: "Budget frozen this quarter");
        Assert.Single(session.DomainEvents);
    }

    // ---- Registration flow ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData(NotInvited)]
    [InlineData(Invited)]
    [InlineData(Declined)]
    [InlineData(Cancelled)]
    [InlineData(LearnerStatus.ApprovalDeclined)]
    public void From_new_or_unseated_to_Registered_when_learner_completes_registration_with_a_free_seat(LearnerStatus? from)
    {
        var session = Build.Session().Ready().Build();
        var employee = Build.Employee("Lea Learner");
        var existing = from is { } status ? session.Put(employee, status) : null;

        var result = session.Register(employee, Fixed.As(employee), Fixed.Now);

        var learner = DomainAssert.Done(result);
        Assert.Null(result.Message);
        DomainAssert.Moved(session, learner, from, Registered, RegistrationCompleted, Fixed.As(employee));
        Assert.Same(existing ?? learner, learner);
        Assert.Equal(Fixed.Now, learner.RegisteredAt);
        Assert.Equal(1, session.SeatsTaken);
        Assert.Single(session.DomainEvents);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(NotInvited)]
    [InlineData(Declined)]
    [InlineData(Cancelled)]
    [InlineData(LearnerStatus.ApprovalDeclined)]
    public void From_new_or_unseated_to_Invited_with_seat_offer_when_learner_registers_to_calendar_session(LearnerStatus? from)
    {
        var session = Build.Session().WithCalendar().Ready().Build();
        var employee = Build.Employee("Lea Learner");
        if (from is { } status)
        {
            session.Put(employee, status);
        }

        var result = session.Register(employee, Fixed.As(employee), Fixed.Now);

        var learner = DomainAssert.Done(result);
        Assert.Equal("A calendar invitation holds your seat: accept it to confirm.", result.Message);
        DomainAssert.Moved(session, learner, from, Invited, RegistrationHeldByCalendarInvitation, Fixed.As(employee));
        Assert.Equal(Fixed.Now + Fixed.HoldTime, learner.SeatOfferExpiresAt);
        Assert.Equal(0, session.SeatsTaken);
        Assert.Equal(1, session.SeatsHeld(Fixed.Now));
        Assert.Equal(9, session.SeatsFree(Fixed.Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(NotInvited)]
    [InlineData(Invited)]
    [InlineData(Declined)]
    [InlineData(Cancelled)]
    [InlineData(LearnerStatus.ApprovalDeclined)]
    public void From_new_or_unseated_to_WaitingList_when_learner_registers_to_full_session_with_waiting_list(LearnerStatus? from)
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList().Ready().Build();
        session.SeatLearners(1);
        var employee = Build.Employee("Lea Learner");
        if (from is { } status)
        {
            session.Put(employee, status);
        }

        var result = session.Register(employee, Fixed.As(employee), Fixed.Now);

        var learner = DomainAssert.Done(result);
        Assert.Equal("The session is full, so you joined the waiting list (position 1).", result.Message);
        DomainAssert.Moved(session, learner, from, WaitingList, RegistrationWaitlisted, Fixed.As(employee));
        Assert.Equal(1, session.WaitingListPosition(learner));
        Assert.Equal(1, session.SeatsTaken);
        Assert.Single(session.DomainEvents);
    }

    // ---- Waiting list ---------------------------------------------------------------------------------------------

    [Fact]
    public void WaitingList_to_Invited_with_seat_offer_automatically_when_a_seat_frees()
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList().Ready().Build();
        var seated = session.SeatLearners(1)[0];
        var waiting = session.Waiting("Wes Waiting");

        var result = session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, waiting, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob,
            cause: AutoPromoteCause, note: "Seat freed by Seated Learner 1");
        Assert.Equal(Fixed.Now + Fixed.HoldTime, waiting.SeatOfferExpiresAt);
        Assert.Null(waiting.WaitingListOrder);
        Assert.Equal(2, session.DomainEvents.Count);
    }

    [Fact]
    public void WaitingList_to_Invited_with_seat_offer_when_admin_sends_waiting_learners_invitation()
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList()
            .WithAutomation(a => a with { AutoPromoteWaitingList = false }).Ready().Build();
        var seated = session.SeatLearners(1)[0];
        var waiting = session.Waiting("Wes Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();
        session.ClearDomainEvents();

        var result = session.OfferSeat(waiting, Fixed.Admin, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, waiting, WaitingList, Invited, SeatOfferedFromWaitingList, Fixed.Admin);
        Assert.Equal(Fixed.Now + Fixed.HoldTime, waiting.SeatOfferExpiresAt);
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void Invited_with_seat_offer_to_WaitingList_when_offer_expires_unanswered()
    {
        var clock = Fixed.Clock();
        var session = Build.Session().WithCapacity(1).WithWaitingList()
            .WithAutomation(a => a with { AutoPromoteWaitingList = false }).Ready().Build();
        var seated = session.SeatLearners(1)[0];
        var waiting = session.Waiting("Wes Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();
        session.OfferSeat(waiting, Fixed.Admin, Fixed.Now).MustBeDone();
        session.ClearDomainEvents();
        clock.Advance(Fixed.HoldTime);

        var expired = session.ExpireSeatOffers(clock.GetUtcNow());

        Assert.Equal(1, expired);
        DomainAssert.Moved(session, waiting, Invited, WaitingList, SeatOfferExpired, Actor.SystemJob,
            cause: "Seat-offer hold time (48 h)", at: clock.GetUtcNow());
        Assert.Null(waiting.SeatOfferExpiresAt);
        Assert.Equal(clock.GetUtcNow(), waiting.WaitingListJoinedAt);
        Assert.Single(session.DomainEvents);
    }

    // ---- Attendance -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(Registered)]
    [InlineData(Absent)]
    public void Registered_or_Absent_to_Attended_when_trainer_marks_learner_present(LearnerStatus from)
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Lea Learner", from);

        var result = session.MarkAttendance(learner, attended: true, Fixed.Trainer, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, from, Attended, MarkedAttended, Fixed.Trainer);
        Assert.Single(session.DomainEvents);
    }

    [Theory]
    [InlineData(Registered)]
    [InlineData(Attended)]
    public void Registered_or_Attended_to_Absent_when_trainer_marks_learner_absent(LearnerStatus from)
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Lea Learner", from);

        var result = session.MarkAttendance(learner, attended: false, Fixed.Trainer, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, from, Absent, MarkedAbsent, Fixed.Trainer);
        Assert.Single(session.DomainEvents);
    }

    [Theory]
    [InlineData(Registered)]
    [InlineData(WaitingList)]
    [InlineData(NeedsApproval)]
    public void Registered_WaitingList_or_NeedsApproval_to_Cancelled_when_learner_cancels(LearnerStatus from)
    {
        // Full before the learner is put in, so nothing is promoted and the only event is the cancellation.
        var session = Build.Session().WithCapacity(1).WithWaitingList().Ready().Build();
        session.SeatLearners(1);
        var employee = Build.Employee("Lea Learner");
        var learner = session.Put(employee, from);

        var result = session.Cancel(learner, Fixed.As(employee), Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, from, Cancelled, LearnerCancelled, Fixed.As(employee));
        Assert.Single(session.DomainEvents);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(NotInvited)]
    [InlineData(Invited)]
    [InlineData(Declined)]
    [InlineData(NeedsApproval)]
    [InlineData(LearnerStatus.ApprovalDeclined)]
    [InlineData(WaitingList)]
    [InlineData(Cancelled)]
    public void From_new_or_seatless_to_GoShow_when_trainer_adds_them_on_attendance_form(LearnerStatus? from)
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList().Ready().Build();
        session.SeatLearners(1);
        var employee = Build.Employee("Gus Goshow");
        if (from is { } status)
        {
            session.Put(employee, status);
        }

        var result = session.AddGoShow(employee, Fixed.Trainer, Fixed.Now);

        var learner = DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, from, GoShow, AddedAsGoShow, Fixed.Trainer);
        Assert.Equal(2, session.Learners.Count);
        Assert.Equal(2, session.SeatsTaken);
        Assert.Single(session.DomainEvents);
    }

    // ---- Session cancelled ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(Registered)]
    [InlineData(Invited)]
    [InlineData(WaitingList)]
    [InlineData(NeedsApproval)]
    public void Learner_in_play_to_Cancelled_when_session_is_cancelled(LearnerStatus from)
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList().Ready().Build();
        var seated = session.SeatLearners(1)[0];
        var learner = session.Put("Lea Learner", from);

        var result = session.ChangeStatus(SessionStatus.Cancelled, Fixed.Admin, Fixed.Now);

        DomainAssert.Done(result);
        Assert.Equal(SessionStatus.Cancelled, session.Status);
        DomainAssert.Moved(session, learner, from, Cancelled, SessionCancelled, Fixed.Admin);
        DomainAssert.Moved(session, seated, Registered, Cancelled, SessionCancelled, Fixed.Admin);
        Assert.Equal(new SessionStatusChanged(0, SessionStatus.Ready, SessionStatus.Cancelled, Fixed.Admin), session.DomainEvents[0]);
        Assert.Equal(3, session.DomainEvents.Count);
    }

    // ---- Outside the table: manual change and copy ------------------------------------------------------------

    [Theory]
    [InlineData(Cancelled, Registered)]
    [InlineData(Attended, NotInvited)]
    [InlineData(GoShow, Declined)]
    [InlineData(LearnerStatus.ApprovalDeclined, Absent)]
    public void Any_status_to_any_other_by_admin_manual_change_with_note(LearnerStatus from, LearnerStatus to)
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Lea Learner", from);

        var result = session.ChangeLearnerStatus(learner, to, "Phoned the training desk", overbook: false, Fixed.Admin, Fixed.Now);

        DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, from, to, Manual, Fixed.Admin, note: "Phoned the training desk");
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void Nobody_to_requested_status_when_admin_copies_learner_from_another_session()
    {
        var session = Build.Session().Ready().Build();

        var result = session.AddCopiedLearner(Build.Employee("Lea Learner"), Registered, overbook: false, "Forklift safety — February", Fixed.Admin, Fixed.Now);

        var learner = DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, null, Registered, CopiedFromSession, Fixed.Admin,
            note: "Copied from \"Forklift safety — February\" as Registered");
        Assert.Single(session.DomainEvents);
    }

    // ---- The table itself ---------------------------------------------------------------------------------------

    [Fact]
    public void Every_move_in_the_table_is_allowed_by_Check()
    {
        var moves = LearnerStatusMachine.Table.SelectMany(r => r.From.Select(from => (r.Trigger, From: from, r.To))).ToList();

        Assert.NotEmpty(moves);
        Assert.All(moves, m => Assert.True(LearnerStatusMachine.Check(m.Trigger, m.From, m.To).IsAllowed, m.ToString()));
        Assert.All(moves, m => Assert.True(LearnerStatusMachine.Can(m.Trigger, m.From), m.ToString()));
    }

    [Fact]
    public void Every_move_absent_from_the_table_is_refused_with_a_reason()
    {
        var inTable = LearnerStatusMachine.Table.SelectMany(r => r.From.Select(from => (r.Trigger, from, r.To))).ToHashSet();
        LearnerStatus?[] froms = [null, .. Enum.GetValues<LearnerStatus>().Select(s => (LearnerStatus?)s)];
        var absent = (
            from trigger in Enum.GetValues<LearnerTrigger>().Except([Manual, CopiedFromSession])
            from origin in froms
            from to in Enum.GetValues<LearnerStatus>()
            where !inTable.Contains((trigger, origin, to))
            select (trigger, origin, to)).ToList();

        Assert.NotEmpty(absent);
        Assert.All(absent, m =>
        {
            var check = LearnerStatusMachine.Check(m.trigger, m.origin, m.to);
            Assert.False(check.IsAllowed, m.ToString());
            Assert.False(string.IsNullOrWhiteSpace(check.Reason), m.ToString());
        });
    }

    [Fact]
    public void Every_named_trigger_has_a_row_and_only_Manual_and_Copy_have_none()
    {
        var withRows = LearnerStatusMachine.Table.Select(r => r.Trigger).ToHashSet();

        Assert.Equal(
            Enum.GetValues<LearnerTrigger>().Except([Manual, CopiedFromSession]).Order(),
            withRows.Order());
    }

    [Theory]
    [InlineData(MarkedAttended, Cancelled, Attended, "Only Registered learners can be marked Attended; this learner is Cancelled.")]
    [InlineData(InvitationDeclined, Invited, Cancelled, "Declining an invitation never leads to Cancelled.")]
    [InlineData(SessionSetReady, Declined, Invited, "Inviting on Ready applies to Not Invited learners only; this learner is Declined.")]
    [InlineData(AddedToDraftSession, NotInvited, NotInvited, "Added to draft session applies to new learners only; this learner is Not Invited.")]
    [InlineData(SeatOfferExpired, WaitingList, WaitingList, "Expiring a seat offer applies to Invited learners only; this learner is Waiting List.")]
    public void A_move_absent_from_the_table_is_refused_with_a_readable_reason(LearnerTrigger trigger, LearnerStatus from, LearnerStatus to, string reason)
    {
        var check = LearnerStatusMachine.Check(trigger, from, to);

        Assert.Equal(MoveCheck.Refuse(reason), check);
    }

    [Fact]
    public void A_new_learner_cannot_be_marked_Attended()
    {
        var check = LearnerStatusMachine.Check(MarkedAttended, null, Attended);

        Assert.Equal("Only Registered learners can be marked Attended; this learner is not in this session.", check.Reason);
    }

    [Fact]
    public void Mermaid_diagram_draws_every_move_of_the_table()
    {
        var diagram = LearnerStatusMachine.ToMermaid();

        Assert.StartsWith("stateDiagram-v2\n", diagram, StringComparison.Ordinal);
        Assert.Contains("    [*] --> NotInvited : AddedToDraftSession\n", diagram, StringComparison.Ordinal);
        Assert.Contains("    WaitingList --> Invited : SeatOfferedFromWaitingList\n", diagram, StringComparison.Ordinal);
        Assert.Equal(
            LearnerStatusMachine.Table.Sum(r => r.From.Count),
            diagram.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
    }
}
