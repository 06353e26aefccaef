namespace LiveSessions.Domain;

/// <summary>Where a learner stands in one live session (the product page's status list).</summary>
public enum LearnerStatus
{
    NotInvited,
    Invited,
    Declined,
    NeedsApproval,
    ApprovalDeclined,
    WaitingList,
    Registered,
    Cancelled,
    Absent,
    Attended,
    GoShow,
}

/// <summary>The live session's own lifecycle: Draft → Processing → Ready → Completed, and Cancelled.</summary>
public enum SessionStatus
{
    Draft,
    Processing,
    Ready,
    Completed,
    Cancelled,
}

/// <summary>How a course's sessions are held; <see cref="SessionTypeText.Display(SessionType)"/> gives the product's words.</summary>
public enum SessionType
{
    InClass,
    VirtualClass,
    Conference,
    VirtualConference,
}

/// <summary>Who approves a registration when the session requires approval.</summary>
public enum ApprovalFlow
{
    DirectManager,
    HierarchicManager,
}

/// <summary>Who caused a status change.</summary>
public enum ActorKind
{
    Admin,
    Trainer,
    Approver,
    Learner,
    System,
}

public static class LearnerStatusText
{
    /// <summary>The product's words for a status ("Waiting List", "Go Show").</summary>
    public static string Display(this LearnerStatus status) => status switch
    {
        LearnerStatus.NotInvited => "Not Invited",
        LearnerStatus.NeedsApproval => "Needs Approval",
        LearnerStatus.ApprovalDeclined => "Approval Declined",
        LearnerStatus.WaitingList => "Waiting List",
        LearnerStatus.GoShow => "Go Show",
        _ => status.ToString(),
    };

    public static string Display(this LearnerStatus? status) => status is { } s ? s.Display() : "–";

    /// <summary>Attended, Absent and Go Show: the trainer has recorded the learner's attendance.</summary>
    public static bool IsMarked(this LearnerStatus status) =>
        status is LearnerStatus.Attended or LearnerStatus.Absent or LearnerStatus.GoShow;

    /// <summary>Registered, Go Show and Attended take a seat and count in the fill rate.</summary>
    public static bool TakesSeat(this LearnerStatus status) =>
        status is LearnerStatus.Registered or LearnerStatus.GoShow or LearnerStatus.Attended;
}

public static class SessionStatusText
{
    /// <summary>The product's words for a session's status.</summary>
    public static string Display(this SessionStatus status) => status switch
    {
        SessionStatus.Draft => "Draft",
        SessionStatus.Processing => "Processing",
        SessionStatus.Ready => "Ready",
        SessionStatus.Completed => "Completed",
        SessionStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };
}

public static class SessionTypeText
{
    /// <summary>The product's words for a session type ("In Class", "Virtual Conference").</summary>
    public static string Display(this SessionType type) => type switch
    {
        SessionType.InClass => "In Class",
        SessionType.VirtualClass => "Virtual Class",
        SessionType.Conference => "Conference",
        SessionType.VirtualConference => "Virtual Conference",
        _ => type.ToString(),
    };
}

public static class ApprovalFlowText
{
    /// <summary>The product's words for who approves ("Direct Manager", "Hierarchic Manager").</summary>
    public static string Display(this ApprovalFlow flow) => flow switch
    {
        ApprovalFlow.DirectManager => "Direct Manager",
        ApprovalFlow.HierarchicManager => "Hierarchic Manager",
        _ => flow.ToString(),
    };
}
