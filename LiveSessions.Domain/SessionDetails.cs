namespace LiveSessions.Domain;

/// <summary>Every field an admin sets on a live session (SPEC.md "Live session").</summary>
public sealed record SessionDetails
{
    public required string Title { get; init; }

    public string Description { get; init; } = string.Empty;

    public SessionType Type { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>IANA time zone the session is shown in, e.g. "Europe/Paris".</summary>
    public string TimeZone { get; init; } = "UTC";

    public string Location { get; init; } = string.Empty;

    public required int MaxCapacity { get; init; }

    public bool EnableWaitingList { get; init; }

    public bool RequiresApproval { get; init; }

    public ApprovalFlow ApprovalFlow { get; init; }

    /// <summary>How many managers up the org chart a Hierarchic Manager approval goes (2 = the manager's manager); Direct Manager ignores it.</summary>
    public int ApprovalLevels { get; init; } = DefaultApprovalLevels;

    public bool EnableCalendar { get; init; }

    public AutomationSettings Automation { get; init; } = AutomationSettings.Default;

    /// <summary>The course's defaults for a new session starting at <paramref name="start"/>.</summary>
    public static SessionDetails FromCourse(Course course, DateTimeOffset start, string timeZone = "UTC") => new()
    {
        Title = course.Title,
        Description = course.Description,
        Type = course.Type,
        Start = start,
        End = start + course.DefaultDuration,
        TimeZone = timeZone,
        MaxCapacity = course.DefaultCapacity,
        EnableWaitingList = course.DefaultEnableWaitingList,
        RequiresApproval = course.DefaultRequiresApproval,
        ApprovalFlow = course.DefaultApprovalFlow,
        ApprovalLevels = course.DefaultApprovalLevels,
        EnableCalendar = course.DefaultEnableCalendar,
        Automation = course.DefaultAutomation,
    };

    /// <summary>The SPEC's default for Hierarchic Manager: the manager's manager.</summary>
    public const int DefaultApprovalLevels = 2;

    /// <summary>The limits of a session's fields (SPEC "Live session"); the forms and the API say them as field errors.</summary>
    public static class Limits
    {
        public const int Title = 200;
        public const int Description = 4_000;
        public const int Location = 500;
        public const int MaxCapacity = 10_000;

        /// <summary>The most levels up the org chart an approval goes (the least is 1, the direct manager).</summary>
        public const int ApprovalLevels = 10;

        public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public static readonly TimeSpan LongestSession = TimeSpan.FromDays(31);
        public static readonly TimeSpan LongestWait = TimeSpan.FromDays(60);
    }

    /// <summary>Every problem with these details, by field; empty when they are valid.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Title))
        {
            errors[nameof(Title)] = "The title is required.";
        }
        else if (Title.Length > 200)
        {
            errors[nameof(Title)] = "The title must be 200 characters or fewer.";
        }

        if ((Description ?? string.Empty).Length > Limits.Description)
        {
            errors[nameof(Description)] = $"The description must be {Limits.Description:N0} characters or fewer.";
        }

        if ((Location ?? string.Empty).Length > Limits.Location)
        {
            errors[nameof(Location)] = $"The location must be {Limits.Location} characters or fewer.";
        }

        if (Start < Limits.Earliest || Start >= Limits.Latest)
        {
            errors[nameof(Start)] = "The start must be a date between the years 2000 and 2099.";
        }
        else if (End <= Start)
        {
            errors[nameof(End)] = "The end must be after the start.";
        }
        else if (End - Start > Limits.LongestSession)
        {
            errors[nameof(End)] = "A session lasts at most 31 days: split a longer programme into sessions.";
        }

        if (MaxCapacity < 1 || MaxCapacity > Limits.MaxCapacity)
        {
            errors[nameof(MaxCapacity)] = $"The maximum capacity must be a whole number from 1 to {Limits.MaxCapacity:N0}.";
        }

        if (ApprovalLevelsError(ApprovalLevels) is { } levelsError)
        {
            errors[nameof(ApprovalLevels)] = levelsError;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? string.Empty, out _))
        {
            errors[nameof(TimeZone)] = $"'{TimeZone}' is not a known time zone (use an IANA name such as Europe/Paris).";
        }

        if (Automation.SeatOfferHoldTime <= TimeSpan.Zero || Automation.SeatOfferHoldTime > Limits.LongestWait)
        {
            errors["SeatOfferHoldTime"] = "The seat-offer hold time must be longer than zero and at most 60 days.";
        }

        if (Automation.AttendanceReminderBefore < TimeSpan.Zero || Automation.AttendanceReminderBefore > Limits.LongestWait)
        {
            errors["AttendanceReminderBefore"] = "The attendance reminder must come at most 60 days before the start.";
        }

        if (Automation.FeedbackReminderAfter < TimeSpan.Zero || Automation.FeedbackReminderAfter > Limits.LongestWait)
        {
            errors["FeedbackReminderAfter"] = "The feedback reminder must come at most 60 days after the end.";
        }

        return errors;
    }

    /// <summary>Why <paramref name="levels"/> cannot be a number of approval levels, or null when it can (sessions and course defaults alike).</summary>
    public static string? ApprovalLevelsError(int levels) => levels is < 1 or > Limits.ApprovalLevels
        ? $"The levels up the org chart must be a whole number from 1 to {Limits.ApprovalLevels}."
        : null;
}
