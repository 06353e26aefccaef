using LiveSessions.Domain;

namespace LiveSessions.Web.Features.Email;

public enum OutboxState
{
    /// <summary>Written with the change that caused it; a job will send it.</summary>
    Queued,

    /// <summary>Claimed by a send job right now; a second run of the job leaves it alone.</summary>
    Sending,

    /// <summary>Delivered to the SMTP server.</summary>
    Sent,

    /// <summary>The last attempt failed; it is retried with back-off until the attempts run out.</summary>
    Failed,

    /// <summary>No SMTP server is configured: kept for the in-app Mailbox.</summary>
    Kept,
}

/// <summary>
/// One email, written in the same transaction as the change that caused it. The idempotency key makes the same
/// email (learner + type + session version) impossible to queue twice.
/// </summary>
public sealed class OutboxEmail
{
    public long Id { get; set; }

    public required string IdempotencyKey { get; set; }

    public int SessionId { get; set; }

    public int? LearnerId { get; set; }

    public required string To { get; set; }

    public string ToName { get; set; } = string.Empty;

    public EmailType Type { get; set; }

    public required string Subject { get; set; }

    /// <summary>Empty until the send job renders <see cref="Content"/>: rendering never happens inside a seat decision.</summary>
    public required string HtmlBody { get; set; }

    public required string TextBody { get; set; }

    /// <summary>The calendar attachment (.ics), built with the HTML by the send job when <see cref="CalendarMethod"/> is set.</summary>
    public string? Calendar { get; set; }

    /// <summary>What the email says (its words, links and session facts) as JSON, written with the change that caused it.</summary>
    public string? Content { get; set; }

    /// <summary>True once the HTML (and the .ics, if any) are rendered.</summary>
    public bool IsRendered => HtmlBody.Length > 0;

    public string? CalendarMethod { get; set; }

    /// <summary>The .ics SEQUENCE, fixed when the email is queued (the learner's next), so a retry sends the same.</summary>
    public int? CalendarSequence { get; set; }

    public OutboxState State { get; set; }

    public int Attempts { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When a send job claimed the row; a row still Sending long after this was interrupted by a crash.</summary>
    public DateTimeOffset? SendingSince { get; set; }

    /// <summary>
    /// The Message-ID given to SMTP: a SHA-256 of the idempotency key, the same in every process and on every
    /// attempt, so a resend after a crash carries the Message-ID of the first try and can be recognised as one email.
    /// </summary>
    public string MessageId => MessageIdFor(IdempotencyKey);

    public static string MessageIdFor(string idempotencyKey) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(idempotencyKey))) + "@livesessions";
}

public enum LinkPurpose
{
    AcceptInvitation,
    DeclineInvitation,
    ConfirmAttendance,
    DeclineAttendance,
    Approve,
    DeclineApproval,
    AcceptSeatOffer,
    DeclineSeatOffer,
    OpenForm,
}

/// <summary>
/// A signed email link's server-side record: it names one learner in one session, expires, and works once; the
/// links sent together (Accept and Decline of one email) share a group and are used up together.
/// </summary>
public sealed class EmailLink
{
    public Guid Id { get; set; }

    public Guid GroupId { get; set; }

    public LinkPurpose Purpose { get; set; }

    public int SessionId { get; set; }

    public int LearnerId { get; set; }

    /// <summary>Who the link was sent to (the learner, or the approver): the actor recorded when it is used.</summary>
    public string Recipient { get; set; } = string.Empty;

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public string? Outcome { get; set; }

    /// <summary>For an <see cref="LinkPurpose.OpenForm"/> link: which form it opens.</summary>
    public FormKind? Form { get; set; }
}
