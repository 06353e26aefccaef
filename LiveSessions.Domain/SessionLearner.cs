namespace LiveSessions.Domain;

/// <summary>One employee in one live session. Its status moves only through <see cref="LiveSession"/>.</summary>
public sealed partial class SessionLearner
{
    private readonly List<StatusChange> history = [];

    private SessionLearner()
    {
    }

    internal SessionLearner(LiveSession session, Employee employee)
    {
        Session = session;
        Employee = employee;
        EmployeeId = employee.Id;
    }

    public int Id { get; private set; }

    public int SessionId { get; private set; }

    public LiveSession Session { get; private set; } = null!;

    public int EmployeeId { get; private set; }

    public Employee Employee { get; private set; } = null!;

    public LearnerStatus Status { get; private set; }

    public DateTimeOffset StatusChangedAt { get; private set; }

    /// <summary>The moment the learner joined the waiting list; with <see cref="WaitingListOrder"/> it fixes first come, first served.</summary>
    public DateTimeOffset? WaitingListJoinedAt { get; private set; }

    /// <summary>A per-session counter taken when joining the list: ties in time never reorder the line.</summary>
    public long? WaitingListOrder { get; private set; }

    /// <summary>A live seat offer holds a seat for this Invited learner until it expires.</summary>
    public DateTimeOffset? SeatOfferExpiresAt { get; private set; }

    public DateTimeOffset? RegisteredAt { get; private set; }

    public DateTimeOffset? AttendanceConfirmedAt { get; private set; }

    /// <summary>Bumped on every change; the UI uses it to see that a row changed under the viewer.</summary>
    public int Version { get; private set; }

    /// <summary>
    /// The UID of this learner's event (RFC 5545), set with their first calendar message. Random, so a reply to it
    /// (read from the app's mailbox) names exactly one learner and cannot be forged by guessing ids.
    /// </summary>
    public string? CalendarUid { get; private set; }

    /// <summary>The SEQUENCE of the last calendar message sent to this learner; -1 before the first.</summary>
    public int CalendarSequence { get; private set; } = -1;

    /// <summary>
    /// The SEQUENCE of the next calendar message to this learner (RFC 5546): higher than every one sent to them before,
    /// so a calendar applies an update or a cancellation over what it holds, and never below the session's own.
    /// </summary>
    public int NextCalendarSequence(int sessionSequence)
    {
        CalendarUid ??= $"{Guid.NewGuid():N}@livesessions";
        CalendarSequence = Math.Max(CalendarSequence + 1, sessionSequence);
        return CalendarSequence;
    }

    public IReadOnlyList<StatusChange> History => history;

    public bool HoldsSeatOffer(DateTimeOffset now) =>
        Status == LearnerStatus.Invited && SeatOfferExpiresAt is { } expiry && expiry > now;

    public bool TakesSeat => Status.TakesSeat();

    internal void MoveTo(LearnerStatus? from, LearnerStatus to, LearnerTrigger trigger, Actor actor, DateTimeOffset now, string? note, string? cause)
    {
        Status = to;
        StatusChangedAt = now;
        Version++;
        if (to != LearnerStatus.Invited)
        {
            SeatOfferExpiresAt = null;
        }

        if (to != LearnerStatus.WaitingList)
        {
            WaitingListJoinedAt = null;
            WaitingListOrder = null;
        }

        if (to == LearnerStatus.Registered && from != LearnerStatus.Registered)
        {
            RegisteredAt = now;
        }

        history.Add(new StatusChange(from, to, trigger, actor, now, note, cause));
    }

    internal void JoinWaitingList(DateTimeOffset now, long order)
    {
        WaitingListJoinedAt = now;
        WaitingListOrder = order;
    }

    internal void OfferSeat(DateTimeOffset expiresAt) => SeatOfferExpiresAt = expiresAt;

    internal void WithdrawSeatOffer() => SeatOfferExpiresAt = null;

    internal void ConfirmAttendance(DateTimeOffset now)
    {
        AttendanceConfirmedAt = now;
        Version++;
    }
}
