namespace LiveSessions.Domain;

/// <summary>A template for live sessions: its defaults pre-fill every new session.</summary>
public sealed class Course
{
    private Course()
    {
        Title = Description = string.Empty;
        DefaultAutomation = AutomationSettings.Default;
    }

    public Course(string title, string description, SessionType type, TimeSpan defaultDuration, int defaultCapacity)
        : this()
    {
        Update(title, description, type, defaultDuration, defaultCapacity);
    }

    public int Id { get; private set; }

    public string Title { get; private set; }

    public string Description { get; private set; }

    public SessionType Type { get; private set; }

    public TimeSpan DefaultDuration { get; private set; }

    public int DefaultCapacity { get; private set; }

    public bool DefaultRequiresApproval { get; private set; }

    public ApprovalFlow DefaultApprovalFlow { get; private set; }

    /// <summary>Levels up the org chart for a Hierarchic Manager approval, given to new sessions of the course.</summary>
    public int DefaultApprovalLevels { get; private set; } = SessionDetails.DefaultApprovalLevels;

    public bool DefaultEnableWaitingList { get; private set; } = true;

    public bool DefaultEnableCalendar { get; private set; } = true;

    public AutomationSettings DefaultAutomation { get; private set; }

    public void Update(string title, string description, SessionType type, TimeSpan defaultDuration, int defaultCapacity)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new DomainException("The course title is required.");
        }

        if (title.Trim().Length > SessionDetails.Limits.Title || (description ?? string.Empty).Trim().Length > SessionDetails.Limits.Description)
        {
            throw new DomainException($"The course title must be {SessionDetails.Limits.Title} characters or fewer and its description {SessionDetails.Limits.Description:N0}.");
        }

        if (defaultDuration <= TimeSpan.Zero || defaultDuration > SessionDetails.Limits.LongestSession)
        {
            throw new DomainException("The default duration must be longer than zero and at most 31 days.");
        }

        if (defaultCapacity < 1 || defaultCapacity > SessionDetails.Limits.MaxCapacity)
        {
            throw new DomainException($"The default capacity must be from 1 to {SessionDetails.Limits.MaxCapacity:N0}.");
        }

        Title = title.Trim();
        Description = description?.Trim() ?? string.Empty;
        Type = type;
        DefaultDuration = defaultDuration;
        DefaultCapacity = defaultCapacity;
    }

    /// <summary>Sets the defaults new sessions take; the automation and the approval levels keep their value when not given.</summary>
    public void SetDefaults(bool requiresApproval, ApprovalFlow approvalFlow, bool enableWaitingList, bool enableCalendar, AutomationSettings? automation = null, int? approvalLevels = null)
    {
        if (approvalLevels is { } levels && SessionDetails.ApprovalLevelsError(levels) is { } error)
        {
            throw new DomainException(error);
        }

        DefaultRequiresApproval = requiresApproval;
        DefaultApprovalFlow = approvalFlow;
        DefaultEnableWaitingList = enableWaitingList;
        DefaultEnableCalendar = enableCalendar;
        DefaultAutomation = automation ?? DefaultAutomation;
        DefaultApprovalLevels = approvalLevels ?? DefaultApprovalLevels;
    }
}
