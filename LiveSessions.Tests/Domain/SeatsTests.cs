using LiveSessions.Domain;
using static LiveSessions.Domain.LearnerStatus;
using static LiveSessions.Domain.LearnerTrigger;

namespace LiveSessions.Tests.Domain;

// SPEC.md "Seats": fill rate, taken / held / free seats, the waiting list and the automation around them.
public sealed class SeatsTests
{
    private const string AutoPromoteCause = "Auto-promote the waiting list when a seat frees";

    private static SessionBuilder OneSeatWithWaitingList() => Build.Session().WithCapacity(1).WithWaitingList().Ready();

    private static LearnerStatusChanged Change(SessionLearner learner, LearnerStatus? from, LearnerStatus to, LearnerTrigger trigger, Actor actor) =>
        new(0, learner, from, to, trigger, actor);

    // ---- Fill rate and seat counts --------------------------------------------------------------------------------

    [Fact]
    public void FillRate_counts_Registered_GoShow_and_Attended_over_maximum_capacity()
    {
        var session = Build.Session().WithCapacity(4).Ready().Build();
        foreach (var status in Enum.GetValues<LearnerStatus>().Except([WaitingList]))
        {
            session.Put($"{status} Learner", status);
        }

        Assert.Equal(3, session.SeatsTaken);
        Assert.Equal(0.75, session.FillRate);
        Assert.Equal(1, session.SeatsFree(Fixed.Now));
    }

    [Fact]
    public void FillRate_passes_one_when_the_admin_overbooks()
    {
        var session = Build.Session().WithCapacity(2).Ready().Build();
        session.SeatLearners(3);

        Assert.Equal(1.5, session.FillRate);
        Assert.Equal(0, session.SeatsFree(Fixed.Now));
    }

    [Theory]
    [InlineData(0, 10, 0.0)]
    [InlineData(3, 4, 0.75)]
    [InlineData(12, 10, 1.2)]
    [InlineData(5, 0, 0.0)]
    public void FillRateOf_divides_seats_taken_by_capacity(int taken, int capacity, double expected)
    {
        Assert.Equal(expected, LiveSession.FillRateOf(taken, capacity), 10);
    }

    [Fact]
    public void Free_seats_are_capacity_minus_taken_minus_held_by_live_offers()
    {
        var session = Build.Session().WithCapacity(5).WithCalendar().Ready().Build();
        session.SeatLearners(2);
        var holder = Build.Employee("Hal Holder");
        session.Register(holder, Fixed.As(holder), Fixed.Now).MustBeDone();
        session.Put("Ivy Invited", Invited);

        Assert.Equal(2, session.SeatsTaken);
        Assert.Equal(1, session.SeatsHeld(Fixed.Now));
        Assert.Equal(2, session.SeatsFree(Fixed.Now));
        Assert.Equal(0.4, session.FillRate);
    }

    // ---- Seat offers ----------------------------------------------------------------------------------------------

    [Fact]
    public void A_seat_offer_holds_the_seat_until_it_expires()
    {
        var clock = Fixed.Clock();
        var session = Build.Session().WithCapacity(1).WithCalendar().Ready().Build();
        var holder = Build.Employee("Hal Holder");
        var lea = Build.Employee("Lea Learner");
        session.Register(holder, Fixed.As(holder), clock.GetUtcNow()).MustBeDone();

        clock.Advance(Fixed.HoldTime - TimeSpan.FromSeconds(1));
        Assert.Equal(1, session.SeatsHeld(clock.GetUtcNow()));
        Assert.Equal(0, session.SeatsFree(clock.GetUtcNow()));
        Assert.Equal("This session is full (0 taken and 1 held of 1 seats) and has no waiting list.",
            session.Register(lea, Fixed.As(lea), clock.GetUtcNow()).Refusal);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, session.SeatsHeld(clock.GetUtcNow()));
        Assert.Equal(1, session.SeatsFree(clock.GetUtcNow()));
        var learner = session.Register(lea, Fixed.As(lea), clock.GetUtcNow()).MustBeDone();
        Assert.Equal(Invited, learner.Status);
        Assert.Equal(clock.GetUtcNow() + Fixed.HoldTime, learner.SeatOfferExpiresAt);
    }

    [Fact]
    public void The_holder_of_a_seat_offer_registers_on_accepting_although_no_seat_is_free_for_others()
    {
        var session = Build.Session().WithCapacity(1).WithCalendar().Ready().Build();
        var holder = Build.Employee("Hal Holder");
        var learner = session.Register(holder, Fixed.As(holder), Fixed.Now).MustBeDone();
        Assert.Equal(0, session.SeatsFree(Fixed.Now));

        DomainAssert.Done(session.AcceptInvitation(learner, Fixed.As(holder), Fixed.Now));

        Assert.Equal(Registered, learner.Status);
        Assert.Null(learner.SeatOfferExpiresAt);
        Assert.Equal(1, session.SeatsTaken);
        Assert.Equal(0, session.SeatsHeld(Fixed.Now));
    }

    [Fact]
    public void Manual_change_of_the_offer_holder_into_a_seat_uses_their_held_seat_without_overbook()
    {
        var session = Build.Session().WithCapacity(1).WithCalendar().Ready().Build();
        var holder = Build.Employee("Hal Holder");
        var learner = session.Register(holder, Fixed.As(holder), Fixed.Now).MustBeDone();

        DomainAssert.Done(session.ChangeLearnerStatus(learner, Registered, null, overbook: false, Fixed.Admin, Fixed.Now));

        Assert.Equal(1, session.SeatsTaken);
        Assert.Equal(1.0, session.FillRate);
    }

    // ---- Waiting list order ---------------------------------------------------------------------------------------

    [Fact]
    public void Waiting_list_is_first_come_first_served_with_positions()
    {
        var session = OneSeatWithWaitingList().Build();
        session.SeatLearners(1);
        var wes = session.Waiting("Wes Waiting");
        var val = session.Waiting("Val Waiting");
        var zoe = session.Waiting("Zoe Waiting");

        Assert.Equal([wes, val, zoe], session.WaitingList);
        Assert.Equal([1, 2, 3], new[] { wes, val, zoe }.Select(session.WaitingListPosition));

        DomainAssert.Done(session.Cancel(val, Fixed.As(val.Employee), Fixed.Now));

        Assert.Equal([wes, zoe], session.WaitingList);
        Assert.Equal(1, session.WaitingListPosition(wes));
        Assert.Equal(2, session.WaitingListPosition(zoe));
        Assert.Null(session.WaitingListPosition(val));
    }

    [Fact]
    public void Newcomer_joins_the_end_of_the_waiting_list_even_when_a_seat_is_free()
    {
        var session = OneSeatWithWaitingList().WithAutomation(a => a with { AutoPromoteWaitingList = false }).Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();
        Assert.Equal(1, session.SeatsFree(Fixed.Now));
        var lea = Build.Employee("Lea Learner");

        var result = session.Register(lea, Fixed.As(lea), Fixed.Now);

        var learner = DomainAssert.Done(result);
        Assert.Equal(WaitingList, learner.Status);
        Assert.Equal("The session is full, so you joined the waiting list (position 2).", result.Message);
        Assert.Equal([wes, learner], session.WaitingList);
    }

    [Fact]
    public void Invited_learner_accepting_does_not_jump_the_waiting_list_for_a_free_seat()
    {
        var session = OneSeatWithWaitingList().WithCalendar().WithAutomation(a => a with { AutoPromoteWaitingList = false }).Build();
        var seated = session.SeatLearners(1)[0];
        var ivy = session.Put("Ivy Invited", Invited);
        var wes = session.Waiting("Wes Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();

        DomainAssert.Done(session.AcceptInvitation(ivy, Fixed.As(ivy.Employee), Fixed.Now));

        Assert.Equal(WaitingList, ivy.Status);
        Assert.Equal([wes, ivy], session.WaitingList);
    }

    [Fact]
    public void Newcomer_does_not_take_a_seat_held_by_an_offer_to_the_waiting_list()
    {
        var session = OneSeatWithWaitingList().Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();
        var lea = Build.Employee("Lea Learner");

        var learner = session.Register(lea, Fixed.As(lea), Fixed.Now).MustBeDone();

        Assert.Equal(Invited, wes.Status);
        Assert.Equal(WaitingList, learner.Status);
        Assert.Equal(1, session.WaitingListPosition(learner));
    }

    // ---- A freed seat goes to the head of the list in the same call --------------------------------------------

    [Fact]
    public void Cancelling_a_registration_offers_the_seat_to_the_head_of_the_waiting_list()
    {
        var session = OneSeatWithWaitingList().Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");
        var val = session.Waiting("Val Waiting");
        var cancelledBy = Fixed.As(seated.Employee);

        DomainAssert.Done(session.Cancel(seated, cancelledBy, Fixed.Now));

        DomainAssert.Moved(session, wes, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob,
            cause: AutoPromoteCause, note: "Seat freed by Seated Learner 1");
        Assert.Equal(Fixed.Now + Fixed.HoldTime, wes.SeatOfferExpiresAt);
        Assert.Equal(WaitingList, val.Status);
        Assert.Equal(1, session.WaitingListPosition(val));
        DomainEvent[] expected =
        [
            Change(seated, Registered, Cancelled, LearnerCancelled, cancelledBy),
            Change(wes, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob),
        ];
        Assert.Equal(expected, session.DomainEvents);
    }

    [Fact]
    public void Declining_a_seat_offer_passes_the_seat_to_the_next_in_line()
    {
        var session = OneSeatWithWaitingList().Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");
        var val = session.Waiting("Val Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();
        session.ClearDomainEvents();

        DomainAssert.Done(session.DeclineInvitation(wes, Fixed.As(wes.Employee), Fixed.Now));

        Assert.Equal(Declined, wes.Status);
        Assert.Null(wes.SeatOfferExpiresAt);
        DomainAssert.Moved(session, val, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob,
            cause: AutoPromoteCause, note: "Seat freed by Wes Waiting");
        Assert.Empty(session.WaitingList);
        Assert.Equal(2, session.DomainEvents.Count);
    }

    [Fact]
    public void Raising_capacity_by_two_offers_two_seats_in_waiting_list_order()
    {
        var builder = OneSeatWithWaitingList();
        var session = builder.Build();
        session.SeatLearners(1);
        var wes = session.Waiting("Wes Waiting");
        var val = session.Waiting("Val Waiting");
        var zoe = session.Waiting("Zoe Waiting");

        DomainAssert.Done(session.UpdateDetails(builder.WithCapacity(3).Details(), [], Fixed.Admin, Fixed.Now));

        DomainAssert.Moved(session, wes, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob,
            cause: AutoPromoteCause, note: "Seat freed by Ada Admin");
        DomainAssert.Moved(session, val, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob,
            cause: AutoPromoteCause, note: "Seat freed by Ada Admin");
        Assert.Equal([zoe], session.WaitingList);
        Assert.Equal(2, session.SeatsHeld(Fixed.Now));
        Assert.Equal(0, session.SeatsFree(Fixed.Now));
        DomainEvent[] expected =
        [
            Change(wes, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob),
            Change(val, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob),
        ];
        Assert.Equal(expected, session.DomainEvents.OfType<LearnerStatusChanged>());
    }

    [Fact]
    public void Manual_change_out_of_a_seat_offers_it_to_the_head_of_the_waiting_list()
    {
        var session = OneSeatWithWaitingList().Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");

        DomainAssert.Done(session.ChangeLearnerStatus(seated, Declined, "Changed team", overbook: false, Fixed.Admin, Fixed.Now));

        DomainAssert.Moved(session, wes, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob,
            cause: AutoPromoteCause, note: "Seat freed by Ada Admin");
        Assert.Equal(2, session.DomainEvents.Count);
    }

    [Fact]
    public void Freed_seat_waits_for_the_admin_when_auto_promote_is_off()
    {
        var session = OneSeatWithWaitingList().WithAutomation(a => a with { AutoPromoteWaitingList = false }).Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");

        DomainAssert.Done(session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now));

        Assert.Equal(WaitingList, wes.Status);
        Assert.Equal(1, session.SeatsFree(Fixed.Now));
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void Marking_a_learner_Absent_does_not_offer_their_seat_to_the_waiting_list()
    {
        var session = OneSeatWithWaitingList().Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");

        DomainAssert.Done(session.MarkAttendance(seated, attended: false, Fixed.Trainer, Fixed.Now));

        Assert.Equal(Absent, seated.Status);
        Assert.Equal(WaitingList, wes.Status);
        Assert.Equal(1, session.WaitingListPosition(wes));
        Assert.Single(wes.History);
        Assert.Equal(0.0, session.FillRate);
        Assert.Single(session.DomainEvents);
    }

    // ---- Expiry ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Expired_offer_goes_to_the_end_of_the_waiting_list_and_the_next_in_line_gets_the_offer()
    {
        var clock = Fixed.Clock();
        var session = OneSeatWithWaitingList().Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");
        var val = session.Waiting("Val Waiting");
        var zoe = session.Waiting("Zoe Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();
        session.ClearDomainEvents();

        clock.Advance(Fixed.HoldTime - TimeSpan.FromMinutes(1));
        Assert.Equal(0, session.ExpireSeatOffers(clock.GetUtcNow()));
        Assert.Equal(Invited, wes.Status);
        Assert.Empty(session.DomainEvents);

        clock.Advance(TimeSpan.FromMinutes(1));
        var expired = session.ExpireSeatOffers(clock.GetUtcNow());

        Assert.Equal(1, expired);
        var at = clock.GetUtcNow();
        DomainAssert.Moved(session, wes, Invited, WaitingList, SeatOfferExpired, Actor.SystemJob,
            cause: "Seat-offer hold time (48 h)", at: at);
        DomainAssert.Moved(session, val, WaitingList, Invited, SeatOfferedFromWaitingList, Actor.SystemJob,
            cause: AutoPromoteCause, at: at);
        Assert.Equal(at + Fixed.HoldTime, val.SeatOfferExpiresAt);
        Assert.Equal([zoe, wes], session.WaitingList);
        Assert.Equal(2, session.WaitingListPosition(wes));
    }

    [Fact]
    public void Answering_an_offer_after_it_expired_joins_the_end_of_the_line_and_the_seat_goes_to_the_head_at_once()
    {
        // Found by the interleaving soak: the late answer cleared the expired offer without anyone being offered the
        // seat it had held, so learners waited while a seat stood free until the next expiry run.
        var clock = Fixed.Clock();
        var session = OneSeatWithWaitingList().Build();
        var seated = session.SeatLearners(1)[0];
        var wes = session.Waiting("Wes Waiting");
        var val = session.Waiting("Val Waiting");
        session.Cancel(seated, Fixed.As(seated.Employee), Fixed.Now).MustBeDone();
        Assert.Equal(Invited, wes.Status);
        clock.Advance(Fixed.HoldTime + TimeSpan.FromMinutes(1));
        session.ClearDomainEvents();

        var late = session.AcceptInvitation(wes, Fixed.As(wes.Employee), clock.GetUtcNow());

        late.MustBeDone();
        Assert.Equal(WaitingList, wes.Status);
        Assert.Equal(Invited, val.Status);
        Assert.Equal(clock.GetUtcNow() + Fixed.HoldTime, val.SeatOfferExpiresAt);
        Assert.Equal([wes], session.WaitingList);
        Assert.Equal(1, session.SeatsHeld(clock.GetUtcNow()));
    }

    [Fact]
    public void Expired_calendar_offer_without_waiting_list_frees_the_seat_once()
    {
        var clock = Fixed.Clock();
        var session = Build.Session().WithCapacity(1).WithCalendar().Ready().Build();
        var holder = Build.Employee("Hal Holder");
        var learner = session.Register(holder, Fixed.As(holder), Fixed.Now).MustBeDone();
        session.ClearDomainEvents();
        clock.Advance(Fixed.HoldTime);

        Assert.Equal(1, session.ExpireSeatOffers(clock.GetUtcNow()));

        Assert.Equal(Invited, learner.Status);
        Assert.Null(learner.SeatOfferExpiresAt);
        Assert.Single(learner.History);
        Assert.Equal(1, session.SeatsFree(clock.GetUtcNow()));
        Assert.Empty(session.DomainEvents);

        // The job runs every minute: an offer already expired must not be counted (nor the session touched) again.
        var version = session.Version;
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, session.ExpireSeatOffers(clock.GetUtcNow()));
        Assert.Equal(version, session.Version);
    }

    // ---- Copy -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Copy_as_Registered_to_a_full_session_with_waiting_list_joins_the_waiting_list()
    {
        var session = OneSeatWithWaitingList().Build();
        session.SeatLearners(1);

        var result = session.AddCopiedLearner(Build.Employee("Lea Learner"), Registered, overbook: false, "Forklift safety — February", Fixed.Admin, Fixed.Now);

        var learner = DomainAssert.Done(result);
        DomainAssert.Moved(session, learner, null, WaitingList, CopiedFromSession, Fixed.Admin,
            note: "Copied from \"Forklift safety — February\" as Registered; the target is full, so they joined its waiting list");
        Assert.Equal(1, session.WaitingListPosition(learner));
    }

    [Fact]
    public void Copy_as_Registered_to_a_full_session_with_overbook_takes_a_seat_past_capacity()
    {
        var session = Build.Session().WithCapacity(1).Ready().Build();
        session.SeatLearners(1);

        var result = session.AddCopiedLearner(Build.Employee("Lea Learner"), Registered, overbook: true, "Forklift safety — February", Fixed.Admin, Fixed.Now);

        Assert.Equal(Registered, DomainAssert.Done(result).Status);
        Assert.Equal(2.0, session.FillRate);
    }

    // ---- Session status automation ----------------------------------------------------------------------------

    [Fact]
    public void Cancelling_the_session_cancels_every_learner_still_in_play_and_nobody_else()
    {
        var session = Build.Session().WithCapacity(2).WithWaitingList().WithCalendar().Ready().Build();
        var registered = session.Put("Reg Registered", Registered);
        var holder = Build.Employee("Hal Holder");
        var holding = session.Register(holder, Fixed.As(holder), Fixed.Now).MustBeDone();
        var waiting = session.Waiting("Wes Waiting");
        var needsApproval = session.Put("Nia Approval", NeedsApproval);
        LearnerStatus[] outOfPlay = [NotInvited, Declined, LearnerStatus.ApprovalDeclined, Cancelled];
        var others = outOfPlay.Select(s => session.Put($"{s} Learner", s)).ToList();
        var histories = others.Select(l => l.History.Count).ToList();

        DomainAssert.Done(session.ChangeStatus(SessionStatus.Cancelled, Fixed.Admin, Fixed.Now));

        Assert.All([registered, holding, waiting, needsApproval], l =>
        {
            Assert.Equal(Cancelled, l.Status);
            Assert.Equal(SessionCancelled, l.History[^1].Trigger);
        });
        Assert.Null(holding.SeatOfferExpiresAt);
        Assert.Equal(outOfPlay, others.Select(l => l.Status));
        Assert.Equal(histories, others.Select(l => l.History.Count));
        Assert.Equal(0, session.SeatsTaken);
        Assert.Equal(0, session.SeatsHeld(Fixed.Now));
        Assert.Equal(5, session.DomainEvents.Count);
    }

    [Fact]
    public void Completing_with_mark_absent_after_end_marks_still_Registered_learners_Absent()
    {
        var session = Build.Session().WithAutomation(a => a with { MarkAbsentAfterEnd = true }).Ready().Build();
        var registered = session.Put("Reg Registered", Registered);
        var attended = session.Put("Att Attended", Attended);
        var goShow = session.Put("Gus Goshow", GoShow);

        DomainAssert.Done(session.ChangeStatus(SessionStatus.Completed, Fixed.Admin, Fixed.Now));

        DomainAssert.Moved(session, registered, Registered, Absent, MarkedAbsent, Actor.SystemJob,
            cause: "Mark still-Registered learners Absent after the end");
        Assert.Equal(Attended, attended.Status);
        Assert.Equal(GoShow, goShow.Status);
        Assert.Equal(2, session.DomainEvents.Count);
    }

    [Fact]
    public void Completing_without_mark_absent_after_end_leaves_Registered_learners_alone()
    {
        var session = Build.Session().Ready().Build();
        var registered = session.Put("Reg Registered", Registered);

        DomainAssert.Done(session.ChangeStatus(SessionStatus.Completed, Fixed.Admin, Fixed.Now));

        Assert.Equal(Registered, registered.Status);
        Assert.Equal([new SessionStatusChanged(0, SessionStatus.Ready, SessionStatus.Completed, Fixed.Admin)], session.DomainEvents);
    }

    [Theory]
    [InlineData(SessionStatus.Draft)]
    [InlineData(SessionStatus.Processing)]
    public void Setting_Ready_with_auto_invite_invites_Not_Invited_learners_only(SessionStatus from)
    {
        var session = Build.Session().InStatus(from).Build();
        var notInvited = session.Put("Nat Notinvited", NotInvited);
        var declined = session.Put("Dec Declined", Declined);

        DomainAssert.Done(session.ChangeStatus(SessionStatus.Ready, Fixed.Admin, Fixed.Now));

        Assert.Equal(Invited, notInvited.Status);
        Assert.Equal(Declined, declined.Status);
        Assert.Equal(2, session.DomainEvents.Count);
    }

    [Fact]
    public void Setting_Ready_without_auto_invite_leaves_Not_Invited_learners_alone()
    {
        var session = Build.Session().WithAutomation(a => a with { AutoInviteOnReady = false }).Build();
        var notInvited = session.Put("Nat Notinvited", NotInvited);

        DomainAssert.Done(session.ChangeStatus(SessionStatus.Ready, Fixed.Admin, Fixed.Now));

        Assert.Equal(NotInvited, notInvited.Status);
        Assert.Single(notInvited.History);
        Assert.Single(session.DomainEvents);
    }

    [Fact]
    public void Setting_Ready_offers_free_seats_to_learners_waiting_since_Processing()
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList().InStatus(SessionStatus.Processing).Build();
        var wes = session.Put("Wes Waiting", WaitingList);
        var val = session.Put("Val Waiting", WaitingList);

        DomainAssert.Done(session.ChangeStatus(SessionStatus.Ready, Fixed.Admin, Fixed.Now));

        Assert.Equal(Invited, wes.Status);
        Assert.Equal(Fixed.Now + Fixed.HoldTime, wes.SeatOfferExpiresAt);
        Assert.Equal([val], session.WaitingList);
    }
}
