using System.Text;

namespace LiveSessions.Domain;

/// <summary>The named events that move a learner's status: one per row of the status table, plus Manual.</summary>
public enum LearnerTrigger
{
    AddedToDraftSession,
    SessionSetReady,
    AddedToCalendarSession,
    AddedToReadySessionWithoutCalendar,
    InvitationAccepted,
    InvitationAcceptedSessionFull,
    InvitationDeclined,
    RegistrationNeedsApproval,
    Approved,
    ApprovedSessionFull,
    ApprovalDeclined,
    RegistrationCompleted,
    RegistrationHeldByCalendarInvitation,
    RegistrationWaitlisted,
    SeatOfferedFromWaitingList,
    SeatOfferExpired,
    MarkedAttended,
    MarkedAbsent,
    LearnerCancelled,
    AddedAsGoShow,
    SessionCancelled,
    CopiedFromSession,
    Manual,
}

/// <summary>One allowed move: from which statuses (null = not yet in the session), to which, on what trigger.</summary>
public sealed record LearnerTransition(LearnerTrigger Trigger, IReadOnlySet<LearnerStatus?> From, LearnerStatus To, string Description)
{
    public bool Allows(LearnerStatus? from) => From.Contains(from);
}

/// <summary>
/// The learner status table, readable top to bottom against the product page and SPEC.md.
/// Every status change goes through <see cref="Check"/>; nothing else moves a status.
/// </summary>
public static class LearnerStatusMachine
{
    private static readonly LearnerStatus?[] NotInSession = [null];

    /// <summary>Statuses that hold no seat: a Go Show may come from any of them.</summary>
    private static readonly LearnerStatus?[] SeatLess =
    [
        null, LearnerStatus.NotInvited, LearnerStatus.Invited, LearnerStatus.Declined, LearnerStatus.NeedsApproval,
        LearnerStatus.ApprovalDeclined, LearnerStatus.WaitingList, LearnerStatus.Cancelled,
    ];

    private static readonly LearnerStatus?[] CanStartRegistration =
        [null, LearnerStatus.NotInvited, LearnerStatus.Invited, LearnerStatus.Declined, LearnerStatus.Cancelled, LearnerStatus.ApprovalDeclined];

    public static IReadOnlyList<LearnerTransition> Table { get; } =
    [
        Row(LearnerTrigger.AddedToDraftSession, NotInSession, LearnerStatus.NotInvited,
            "Admin adds a learner to a session in Draft or Processing"),
        Row(LearnerTrigger.SessionSetReady, [LearnerStatus.NotInvited], LearnerStatus.Invited,
            "Session set to Ready: a calendar invitation goes to each Not Invited learner"),
        Row(LearnerTrigger.AddedToCalendarSession, NotInSession, LearnerStatus.Invited,
            "Admin adds a learner to a Ready session with Enable Calendar: invitation sent"),
        Row(LearnerTrigger.AddedToReadySessionWithoutCalendar, NotInSession, LearnerStatus.NotInvited,
            "Admin adds a learner to a Ready session without Enable Calendar"),
        Row(LearnerTrigger.InvitationAccepted, [LearnerStatus.Invited], LearnerStatus.Registered,
            "Learner accepts the invitation and a seat is free (or held for them)"),
        Row(LearnerTrigger.InvitationAcceptedSessionFull, [LearnerStatus.Invited], LearnerStatus.WaitingList,
            "Learner accepts the invitation of a full session with Enable Waiting List"),
        Row(LearnerTrigger.InvitationDeclined, [LearnerStatus.Invited], LearnerStatus.Declined,
            "Learner declines the invitation"),
        Row(LearnerTrigger.RegistrationNeedsApproval, CanStartRegistration, LearnerStatus.NeedsApproval,
            "Learner registers to a session that requires approval: approver emailed"),
        Row(LearnerTrigger.Approved, [LearnerStatus.NeedsApproval], LearnerStatus.Registered,
            "Approver approves and a seat is free"),
        Row(LearnerTrigger.ApprovedSessionFull, [LearnerStatus.NeedsApproval], LearnerStatus.WaitingList,
            "Approver approves but the session is full and has a waiting list"),
        Row(LearnerTrigger.RegistrationHeldByCalendarInvitation, [null, LearnerStatus.NotInvited, LearnerStatus.Declined, LearnerStatus.Cancelled, LearnerStatus.ApprovalDeclined, LearnerStatus.NeedsApproval], LearnerStatus.Invited,
            "Learner completes the registration flow (or is approved) with a free seat and Enable Calendar: the invitation holds the seat"),
        Row(LearnerTrigger.ApprovalDeclined, [LearnerStatus.NeedsApproval], LearnerStatus.ApprovalDeclined,
            "Approver declines"),
        Row(LearnerTrigger.RegistrationCompleted, CanStartRegistration, LearnerStatus.Registered,
            "Learner completes the registration flow with a free seat, no approval, calendar off"),
        Row(LearnerTrigger.RegistrationWaitlisted, CanStartRegistration, LearnerStatus.WaitingList,
            "Learner registers to a full session with Enable Waiting List"),
        Row(LearnerTrigger.SeatOfferedFromWaitingList, [LearnerStatus.WaitingList], LearnerStatus.Invited,
            "A seat frees up: the first learner on the waiting list is offered it"),
        Row(LearnerTrigger.SeatOfferExpired, [LearnerStatus.Invited], LearnerStatus.WaitingList,
            "The seat offer expires unanswered: back to the end of the waiting list"),
        Row(LearnerTrigger.MarkedAttended, [LearnerStatus.Registered, LearnerStatus.Absent], LearnerStatus.Attended,
            "Trainer marks the learner present (or corrects Absent)"),
        Row(LearnerTrigger.MarkedAbsent, [LearnerStatus.Registered, LearnerStatus.Attended], LearnerStatus.Absent,
            "Trainer marks the learner absent (or corrects Attended)"),
        Row(LearnerTrigger.LearnerCancelled, [LearnerStatus.Registered, LearnerStatus.WaitingList, LearnerStatus.NeedsApproval], LearnerStatus.Cancelled,
            "Learner cancels from a reminder or the portal (or leaves the waiting list or withdraws a request)"),
        Row(LearnerTrigger.AddedAsGoShow, SeatLess, LearnerStatus.GoShow,
            "Trainer adds, on the attendance form, someone who was not registered"),
        Row(LearnerTrigger.SessionCancelled, [LearnerStatus.Registered, LearnerStatus.Invited, LearnerStatus.WaitingList, LearnerStatus.NeedsApproval], LearnerStatus.Cancelled,
            "The session is cancelled: every learner still in play is cancelled"),
    ];

    private static readonly ILookup<LearnerTrigger, LearnerTransition> ByTrigger = Table.ToLookup(t => t.Trigger);

    /// <summary>Whether <paramref name="trigger"/> may move a learner from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static MoveCheck Check(LearnerTrigger trigger, LearnerStatus? from, LearnerStatus to)
    {
        if (trigger is LearnerTrigger.Manual or LearnerTrigger.CopiedFromSession)
        {
            return from == to
                ? MoveCheck.Refuse($"This learner is already {to.Display()}.")
                : MoveCheck.Allowed;
        }

        var rows = ByTrigger[trigger].Where(r => r.To == to).ToList();
        if (rows.Count == 0)
        {
            return MoveCheck.Refuse($"{Describe(trigger)} never leads to {to.Display()}.");
        }

        return rows.Any(r => r.Allows(from))
            ? MoveCheck.Allowed
            : MoveCheck.Refuse(RefusalReason(trigger, from, rows.SelectMany(r => r.From).Distinct().ToList()));
    }

    public static bool Can(LearnerTrigger trigger, LearnerStatus? from) => ByTrigger[trigger].Any(r => r.Allows(from));

    /// <summary>The trigger's name in the product's words ("Mark Attended").</summary>
    public static string Describe(LearnerTrigger trigger) => trigger switch
    {
        LearnerTrigger.MarkedAttended => "Marking Attended",
        LearnerTrigger.MarkedAbsent => "Marking Absent",
        LearnerTrigger.InvitationAccepted or LearnerTrigger.InvitationAcceptedSessionFull => "Accepting an invitation",
        LearnerTrigger.InvitationDeclined => "Declining an invitation",
        LearnerTrigger.Approved or LearnerTrigger.ApprovedSessionFull => "Approving",
        LearnerTrigger.ApprovalDeclined => "Declining approval",
        LearnerTrigger.LearnerCancelled => "Cancelling",
        LearnerTrigger.AddedAsGoShow => "Adding as Go Show",
        LearnerTrigger.SessionSetReady => "Inviting on Ready",
        LearnerTrigger.SeatOfferedFromWaitingList => "Offering a seat",
        LearnerTrigger.SeatOfferExpired => "Expiring a seat offer",
        _ => SplitWords(trigger.ToString()),
    };

    private static string RefusalReason(LearnerTrigger trigger, LearnerStatus? from, IReadOnlyList<LearnerStatus?> allowed)
    {
        var current = from is null ? "is not in this session" : $"is {from.Display()}";
        var who = string.Join(" or ", allowed.Select(s => s is null ? "new" : s.Display()));
        return trigger switch
        {
            LearnerTrigger.MarkedAttended => $"Only Registered learners can be marked Attended; this learner {current}.",
            LearnerTrigger.MarkedAbsent => $"Only Registered learners can be marked Absent; this learner {current}.",
            LearnerTrigger.InvitationAccepted or LearnerTrigger.InvitationAcceptedSessionFull or LearnerTrigger.InvitationDeclined =>
                $"Only Invited learners can answer an invitation; this learner {current}.",
            LearnerTrigger.Approved or LearnerTrigger.ApprovedSessionFull or LearnerTrigger.ApprovalDeclined =>
                $"Only learners who Need Approval can be approved or declined; this learner {current}.",
            LearnerTrigger.AddedAsGoShow => from is LearnerStatus.Registered
                ? "This learner is Registered: mark them Attended instead of adding them as Go Show."
                : $"Only learners without a seat can be added as Go Show; this learner {current}.",
            LearnerTrigger.LearnerCancelled => $"Only Registered, Waiting List or Needs Approval learners can cancel; this learner {current}.",
            _ => $"{Describe(trigger)} applies to {who} learners only; this learner {current}.",
        };
    }

    /// <summary>The table as a Mermaid state diagram, for docs/status-table.md.</summary>
    public static string ToMermaid()
    {
        var sb = new StringBuilder("stateDiagram-v2\n");
        foreach (var row in Table)
        {
            foreach (var from in row.From)
            {
                sb.Append("    ").Append(from is null ? "[*]" : from.ToString())
                    .Append(" --> ").Append(row.To).Append(" : ").Append(row.Trigger).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static LearnerTransition Row(LearnerTrigger trigger, LearnerStatus?[] from, LearnerStatus to, string description) =>
        new(trigger, from.ToHashSet(), to, description);

    private static string SplitWords(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && sb.Length > 0)
            {
                sb.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}

/// <summary>The answer of the status table: allowed, or refused with a reason a person can read.</summary>
public readonly record struct MoveCheck(bool IsAllowed, string? Reason)
{
    public static MoveCheck Allowed => new(true, null);

    public static MoveCheck Refuse(string reason) => new(false, reason);
}
