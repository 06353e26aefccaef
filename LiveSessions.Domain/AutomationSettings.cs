namespace LiveSessions.Domain;

/// <summary>
/// The session's automation flow ("adapt the automation flow"); defaults come from the course.
/// </summary>
public sealed record AutomationSettings
{
    public bool AutoInviteOnReady { get; init; } = true;

    public bool AutoPromoteWaitingList { get; init; } = true;

    public TimeSpan SeatOfferHoldTime { get; init; } = TimeSpan.FromHours(48);

    public bool AttendanceReminderEnabled { get; init; } = true;

    public TimeSpan AttendanceReminderBefore { get; init; } = TimeSpan.FromHours(24);

    public bool MarkAbsentAfterEnd { get; init; }

    public bool SendFeedbackAfterEnd { get; init; } = true;

    public bool FeedbackReminderEnabled { get; init; } = true;

    public TimeSpan FeedbackReminderAfter { get; init; } = TimeSpan.FromDays(3);

    public static AutomationSettings Default { get; } = new();
}
