namespace LiveSessions.Web.Features.Email;

/// <summary>What became of one calendar reply read from the app's mailbox or posted to the API.</summary>
public enum CalendarReplyOutcome
{
    /// <summary>The learner's status moved, as the link in the email would have moved it.</summary>
    Applied,

    /// <summary>TENTATIVE: recorded, the status stays.</summary>
    Tentative,

    /// <summary>The learner is already where the answer would put them (a calendar sends a reply on every edit).</summary>
    NoChange,

    /// <summary>The status table or the seat rules refused the move; the reason says why.</summary>
    Refused,

    /// <summary>Its UID names no learner of ours.</summary>
    Unmatched,

    /// <summary>Its attendee is not the learner the event was sent to.</summary>
    Forged,

    /// <summary>It answers an older version of the event (a lower SEQUENCE than the learner's last calendar message).</summary>
    Stale,

    /// <summary>The message holds no iTIP REPLY (an out-of-office, a question written to the organizer…).</summary>
    NotAReply,
}

/// <summary>
/// One inbound email that reached the calendar-reply mailbox, with what was done with it: every message is kept, so
/// admins see the replies that changed nothing and why.
/// </summary>
public sealed class CalendarReply
{
    public const int MaxTextLength = 320;
    public const int MaxDetailLength = 1000;

    public long Id { get; set; }

    /// <summary>The Message-ID, or a hash of the message without one: the same message read twice is handled once.</summary>
    public required string MessageKey { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>"IMAP" or "API".</summary>
    public required string Source { get; set; }

    public string From { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    public string? Uid { get; set; }

    public string? Attendee { get; set; }

    /// <summary>ACCEPTED, DECLINED, TENTATIVE… as the calendar sent it.</summary>
    public string? Answer { get; set; }

    public int? Sequence { get; set; }

    public int? SessionId { get; set; }

    public int? LearnerId { get; set; }

    public CalendarReplyOutcome Outcome { get; set; }

    public string Detail { get; set; } = string.Empty;

    /// <summary>Replies an admin should look at: they changed nothing and the learner may think they did.</summary>
    public bool NeedsAttention => Outcome is CalendarReplyOutcome.Refused or CalendarReplyOutcome.Unmatched or CalendarReplyOutcome.Forged
        or CalendarReplyOutcome.Stale or CalendarReplyOutcome.NotAReply;
}
