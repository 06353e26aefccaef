using System.Security.Cryptography;
using Ical.Net;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace LiveSessions.Web.Features.Email;

/// <summary>What was done with one inbound message.</summary>
public sealed record CalendarReplyReceipt(long Id, CalendarReplyOutcome Outcome, string Detail, int? SessionId, int? LearnerId, LearnerStatus? Status, bool Duplicate);

/// <summary>The answer a calendar sent (RFC 5546 REPLY): the event's UID and SEQUENCE, who answered, and how.</summary>
public sealed record ItipReply(string Uid, string? Attendee, string? Answer, int Sequence);

/// <summary>
/// Calendar replies (iTIP METHOD:REPLY) from Outlook, Google Calendar and the like, read from the app's mailbox or
/// posted by a provider: matched to exactly one learner by the event's UID (random per learner) and attendee, then
/// run through the same status table as the email's links, with the cause "Calendar reply". Every message is
/// recorded with its outcome, once: the same message read again changes nothing.
/// </summary>
public sealed class CalendarReplies(IDbContextFactory<LiveSessionsDbContext> contextFactory, SessionUnitOfWork work, SqliteWriteQueue writes, TimeProvider clock, ILogger<CalendarReplies> log)
{
    public const string FromImap = "IMAP";
    public const string FromApi = "API";

    public async Task<CalendarReplyReceipt> ReceiveAsync(MimeMessage message, string source, CancellationToken cancellationToken)
    {
        var key = KeyOf(message);
        if (await FindAsync(key, cancellationToken) is { } seen)
        {
            return Receipt(seen, null, duplicate: true);
        }

        var reply = new CalendarReply
        {
            MessageKey = key,
            Source = source,
            ReceivedAt = clock.GetUtcNow(),
            From = Clip(message.From.Mailboxes.FirstOrDefault()?.Address, CalendarReply.MaxTextLength),
            Subject = Clip(message.Subject, CalendarReply.MaxTextLength),
        };

        try
        {
            var (recorded, status) = await DecideAsync(reply, Read(message), cancellationToken);
            if (recorded.NeedsAttention)
            {
                log.LogWarning("Calendar reply {MessageKey} from {From} changed nothing: {Outcome}, {Detail}", key, reply.From, recorded.Outcome, recorded.Detail);
            }

            return Receipt(recorded, status, duplicate: false);
        }
        catch (DbUpdateException)
        {
            // The same message read at once by two nodes (or by the mailbox and the API): the first one counts.
            if (await FindAsync(key, CancellationToken.None) is { } raced)
            {
                return Receipt(raced, null, duplicate: true);
            }

            throw;
        }
    }

    /// <summary>The calendar's answer in a message, or null when it carries no iTIP REPLY.</summary>
    public static ItipReply? Read(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            var isCalendar = part.ContentType.IsMimeType("text", "calendar") || part.ContentType.IsMimeType("application", "ics")
                || part.FileName?.EndsWith(".ics", StringComparison.OrdinalIgnoreCase) == true;
            if (!isCalendar)
            {
                continue;
            }

            Calendar? calendar;
            try
            {
                calendar = Calendar.Load(TextOf(part));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or System.Runtime.Serialization.SerializationException)
            {
                continue;
            }

            if (calendar is null || !string.Equals(calendar.Method, "REPLY", StringComparison.OrdinalIgnoreCase)
                || calendar.Events.FirstOrDefault(e => !string.IsNullOrWhiteSpace(e.Uid)) is not { } reply)
            {
                continue;
            }

            var attendee = reply.Attendees.FirstOrDefault();
            return new ItipReply(reply.Uid!.Trim(), AddressOf(attendee?.Value), attendee?.ParticipationStatus?.ToUpperInvariant(), Math.Max(0, reply.Sequence));
        }

        return null;
    }

    private async Task<(CalendarReply Reply, LearnerStatus? Status)> DecideAsync(CalendarReply reply, ItipReply? answer, CancellationToken cancellationToken)
    {
        if (answer is null)
        {
            return (await RecordAsync(reply, CalendarReplyOutcome.NotAReply, "The message holds no calendar reply (METHOD:REPLY).", cancellationToken), null);
        }

        reply.Uid = Clip(answer.Uid, CalendarReply.MaxTextLength);
        reply.Attendee = Clip(answer.Attendee, CalendarReply.MaxTextLength);
        reply.Answer = Clip(answer.Answer, 40);
        reply.Sequence = answer.Sequence;

        int sessionId, learnerId;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var match = await db.Learners.AsNoTracking().Where(l => l.CalendarUid == reply.Uid).Select(l => new { l.Id, l.SessionId }).FirstOrDefaultAsync(cancellationToken);
            if (match is null)
            {
                return (await RecordAsync(reply, CalendarReplyOutcome.Unmatched, "No learner's invitation has this event UID.", cancellationToken), null);
            }

            (sessionId, learnerId) = (match.SessionId, match.Id);
        }

        reply.SessionId = sessionId;
        reply.LearnerId = learnerId;
        var outcome = await work.RunAsync<(CalendarReply, LearnerStatus?)>(sessionId, RosterNeed.Learner(learnerId), scope =>
        {
            var recorded = Copy(reply);
            scope.Db.CalendarReplies.Add(recorded);
            var learner = scope.Session.FindLearnerById(learnerId)!;
            (recorded.Outcome, recorded.Detail) = Apply(scope, learner, answer);
            recorded.Detail = Clip(recorded.Detail, CalendarReply.MaxDetailLength);
            return Task.FromResult<Outcome<(CalendarReply, LearnerStatus?)>>((recorded, learner.Status));
        }, cancellationToken);
        return outcome.IsOk ? outcome.Value : (await RecordAsync(reply, CalendarReplyOutcome.Unmatched, outcome.Message ?? "The session is gone.", cancellationToken), null);
    }

    /// <summary>The answer, checked against the learner the UID names, through the same moves as the links.</summary>
    private static (CalendarReplyOutcome, string) Apply(SessionScope scope, SessionLearner learner, ItipReply answer)
    {
        if (!string.Equals(answer.Attendee, learner.Employee.Email, StringComparison.OrdinalIgnoreCase))
        {
            return (CalendarReplyOutcome.Forged, $"The event was sent to {learner.Employee.Email}, but the reply answers for {answer.Attendee ?? "nobody"}.");
        }

        if (answer.Sequence < learner.CalendarSequence)
        {
            return (CalendarReplyOutcome.Stale, $"It answers version {answer.Sequence} of the event; version {learner.CalendarSequence} was sent since. The learner is still {Words(learner.Status)}.");
        }

        var actor = Actor.Learner(learner.Employee.Email);
        var (result, already) = answer.Answer switch
        {
            "ACCEPTED" when learner.Status is LearnerStatus.Registered or LearnerStatus.WaitingList => (null, true),
            "ACCEPTED" => (scope.Session.AcceptInvitation(learner, actor, scope.Now, LiveSession.CalendarReplyCause), false),
            "DECLINED" when learner.Status is LearnerStatus.Declined or LearnerStatus.Cancelled => (null, true),

            // Declining the event of a seat already taken gives the seat up, as "Cancel my place" would.
            "DECLINED" when learner.Status is LearnerStatus.Registered or LearnerStatus.WaitingList => (scope.Session.Cancel(learner, actor, scope.Now, LiveSession.CalendarReplyCause), false),
            "DECLINED" => (scope.Session.DeclineInvitation(learner, actor, scope.Now, LiveSession.CalendarReplyCause), false),
            "TENTATIVE" => ((LearnerResult?)null, false),
            _ => (LearnerResult.Refuse($"The calendar answered {answer.Answer ?? "nothing"}; only accept, decline and tentative are read."), false),
        };

        if (already)
        {
            return (CalendarReplyOutcome.NoChange, $"{answer.Answer}: the learner is already {Words(learner.Status)}.");
        }

        if (result is null)
        {
            return (CalendarReplyOutcome.Tentative, $"Tentative: recorded; the learner stays {Words(learner.Status)}.");
        }

        return result.IsDone
            ? (CalendarReplyOutcome.Applied, $"{answer.Answer}: the learner is now {Words(learner.Status)}.")
            : (CalendarReplyOutcome.Refused, result.Refusal!);
    }

    private async Task<CalendarReply> RecordAsync(CalendarReply reply, CalendarReplyOutcome outcome, string detail, CancellationToken cancellationToken)
    {
        reply.Outcome = outcome;
        reply.Detail = Clip(detail, CalendarReply.MaxDetailLength);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        using var turn = await writes.EnterAsync(db, cancellationToken);
        db.CalendarReplies.Add(reply);
        await db.SaveChangesAsync(cancellationToken);
        return reply;
    }

    private async Task<CalendarReply?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.CalendarReplies.AsNoTracking().FirstOrDefaultAsync(r => r.MessageKey == key, cancellationToken);
    }

    private static CalendarReplyReceipt Receipt(CalendarReply reply, LearnerStatus? status, bool duplicate) =>
        new(reply.Id, reply.Outcome, duplicate ? $"Already handled: {reply.Detail}" : reply.Detail, reply.SessionId, reply.LearnerId, status, duplicate);

    /// <summary>The Message-ID, or a hash of the whole message when it has none.</summary>
    private static string KeyOf(MimeMessage message)
    {
        if (!string.IsNullOrWhiteSpace(message.MessageId) && message.MessageId.Length <= 300)
        {
            return message.MessageId.Trim();
        }

        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static string TextOf(MimePart part)
    {
        if (part is TextPart text)
        {
            return text.Text;
        }

        using var decoded = new MemoryStream();
        part.Content?.DecodeTo(decoded);
        return System.Text.Encoding.UTF8.GetString(decoded.ToArray());
    }

    private static string? AddressOf(Uri? attendee)
    {
        var value = attendee?.OriginalString.Trim();
        return value is not null && value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : value;
    }

    private static CalendarReply Copy(CalendarReply reply) => new()
    {
        MessageKey = reply.MessageKey,
        Source = reply.Source,
        ReceivedAt = reply.ReceivedAt,
        From = reply.From,
        Subject = reply.Subject,
        Uid = reply.Uid,
        Attendee = reply.Attendee,
        Answer = reply.Answer,
        Sequence = reply.Sequence,
        SessionId = reply.SessionId,
        LearnerId = reply.LearnerId,
    };

    private static string Words(LearnerStatus status) => status.Display();

    private static string Clip(string? value, int max) => value is null ? string.Empty : value.Length <= max ? value : value[..max];
}

/// <summary>One recorded reply as admins see it, with the learner and session it named (if any).</summary>
public sealed record CalendarReplyRow(long Id, DateTimeOffset ReceivedAt, string Source, string From, string? Attendee, string? Answer, int? Sequence,
    int? SessionId, string? SessionTitle, int? LearnerId, string? LearnerName, CalendarReplyOutcome Outcome, string Detail, bool NeedsAttention);

/// <summary>The replies page and GET /api/calendar-replies: newest first, optionally only those an admin should look at.</summary>
public sealed class CalendarReplyQueries(IDbContextFactory<LiveSessionsDbContext> contextFactory)
{
    private static readonly CalendarReplyOutcome[] Attention =
        [CalendarReplyOutcome.Refused, CalendarReplyOutcome.Unmatched, CalendarReplyOutcome.Forged, CalendarReplyOutcome.Stale, CalendarReplyOutcome.NotAReply];

    public async Task<Outcome<IReadOnlyList<CalendarReplyRow>>> ListAsync(bool needsAttention, int take, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can read calendar replies.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.CalendarReplies.AsNoTracking();
        if (needsAttention)
        {
            query = query.Where(r => Attention.Contains(r.Outcome));
        }

        var rows = await query.OrderByDescending(r => r.Id).Take(Math.Clamp(take, 1, 500))
            .Select(r => new
            {
                Reply = r,
                SessionTitle = db.Sessions.Where(s => s.Id == r.SessionId).Select(s => s.Title).FirstOrDefault(),
                LearnerName = db.Learners.Where(l => l.Id == r.LearnerId).Select(l => l.Employee.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(x => new CalendarReplyRow(x.Reply.Id, x.Reply.ReceivedAt, x.Reply.Source, x.Reply.From, x.Reply.Attendee, x.Reply.Answer, x.Reply.Sequence,
            x.Reply.SessionId, x.SessionTitle, x.Reply.LearnerId, x.LearnerName, x.Reply.Outcome, x.Reply.Detail, x.Reply.NeedsAttention)).ToList();
    }
}
