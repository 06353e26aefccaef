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
        EnableCalendar = course.DefaultEnableCalendar,
        Automation = course.DefaultAutomation,
    };

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

        if (End <= Start)
        {
            errors[nameof(End)] = "The end must be after the start.";
        }

        if (MaxCapacity < 1)
        {
            errors[nameof(MaxCapacity)] = "The maximum capacity must be a whole number of at least 1.";
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? string.Empty, out _))
        {
            errors[nameof(TimeZone)] = $"'{TimeZone}' is not a known time zone (use an IANA name such as Europe/Paris).";
        }

        if (Automation.SeatOfferHoldTime <= TimeSpan.Zero)
        {
            errors["SeatOfferHoldTime"] = "The seat-offer hold time must be longer than zero.";
        }

        return errors;
    }
}
