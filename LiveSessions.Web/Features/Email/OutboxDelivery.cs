using Hangfire;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LiveSessions.Web.Features.Email;

/// <summary>Hands queued emails to the sender: one Hangfire job per outbox row (a job that finds its row taken does nothing).</summary>
public sealed class OutboxDispatcher(IBackgroundJobClient jobs)
{
    public void Enqueue(IEnumerable<long> outboxIds)
    {
        foreach (var id in outboxIds)
        {
            jobs.Enqueue<SendOutboxEmail>(job => job.RunAsync(id, CancellationToken.None));
        }
    }
}

/// <summary>
/// Sends one outbox email through MailKit. The row is claimed first, so a job that runs twice (Hangfire runs jobs at
/// least once) sends once; a failure is recorded and rethrown so Hangfire retries with back-off.
/// </summary>
public sealed class SendOutboxEmail(IDbContextFactory<LiveSessionsDbContext> contextFactory, IOptions<SmtpOptions> smtp, IOptions<ImapOptions> replyMailbox, EmailComposer composer, SqliteWriteQueue writes, TimeProvider clock, IBackgroundJobClient jobs)
{
    /// <summary>How long one SMTP step (connect, authenticate, send) may take before the attempt fails.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(15);

    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [5, 15, 30, 60, 120, 300, 600, 1200])]
    public async Task RunAsync(long outboxId, CancellationToken cancellationToken)
    {
        var options = smtp.Value;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        int claimed;

        // A learner's calendar messages go out one at a time, in the order they were queued: an invitation and its
        // cancellation sent side by side could arrive the other way round and leave the event in the calendar. A
        // later one stays Queued; the earlier one hands it on once sent (and the sweep would, two minutes on).
        var calendarMessage = await db.Outbox.AsNoTracking().Where(o => o.Id == outboxId && o.CalendarMethod != null && o.LearnerId != null)
            .Select(o => new { o.SessionId, o.LearnerId }).FirstOrDefaultAsync(cancellationToken);
        if (calendarMessage is not null && await db.Outbox.AnyAsync(o => o.Id < outboxId && o.SessionId == calendarMessage.SessionId && o.LearnerId == calendarMessage.LearnerId
                && o.CalendarMethod != null && (o.State == OutboxState.Queued || o.State == OutboxState.Sending), cancellationToken))
        {
            return;
        }

        // Every write to SQLite takes its turn, so a send job never waits in SQLite's blocking busy-retry behind a
        // long decision (a Set Ready of thousands).
        using (await writes.EnterAsync(db, cancellationToken))
        {
            claimed = await db.Outbox
                .Where(o => o.Id == outboxId && (o.State == OutboxState.Queued || o.State == OutboxState.Failed))
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.State, OutboxState.Sending).SetProperty(o => o.Attempts, o => o.Attempts + 1).SetProperty(o => o.SendingSince, clock.GetUtcNow()), cancellationToken);
        }

        if (claimed == 0)
        {
            return;
        }

        var email = await db.Outbox.AsNoTracking().FirstAsync(o => o.Id == outboxId, cancellationToken);
        if (!email.IsRendered)
        {
            // Rendered here, outside the decision that queued it, and kept: a retry sends the very same email.
            await composer.RenderAsync(db, email, cancellationToken);
            using var turn = await writes.EnterAsync(db, cancellationToken);
            await db.Outbox.Where(o => o.Id == outboxId).ExecuteUpdateAsync(u => u
                .SetProperty(o => o.HtmlBody, email.HtmlBody)
                .SetProperty(o => o.Calendar, email.Calendar), cancellationToken);
        }

        if (!options.IsConfigured)
        {
            await SetStateAsync(db, outboxId, OutboxState.Kept, null, cancellationToken);
            await HandOnAsync(db, outboxId, calendarMessage?.SessionId, calendarMessage?.LearnerId);
            return;
        }

        try
        {
            // Each SMTP step gives up after SendTimeout, so a row Sending for longer than OutboxSweep.Interrupted was
            // left by a process that stopped, never by a send still in progress.
            using var client = new SmtpClient { Timeout = (int)SendTimeout.TotalMilliseconds };
            await client.ConnectAsync(options.Host!, options.Port, options.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
            if (!string.IsNullOrEmpty(options.UserName))
            {
                await client.AuthenticateAsync(options.UserName, options.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(ToMime(email, options, replyMailbox.Value.ReplyMailbox), cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await SetStateAsync(db, outboxId, OutboxState.Failed, ex.Message, cancellationToken);
            throw;
        }

        await SetStateAsync(db, outboxId, OutboxState.Sent, null, cancellationToken);
        await HandOnAsync(db, outboxId, calendarMessage?.SessionId, calendarMessage?.LearnerId);
    }

    /// <summary>The learner's next calendar message, waiting behind this one, goes now.</summary>
    private async Task HandOnAsync(LiveSessionsDbContext db, long outboxId, int? sessionId, int? learnerId)
    {
        if (learnerId is null)
        {
            return;
        }

        var next = await db.Outbox.Where(o => o.Id > outboxId && o.SessionId == sessionId && o.LearnerId == learnerId
                && o.CalendarMethod != null && o.State == OutboxState.Queued)
            .OrderBy(o => o.Id).Select(o => o.Id).FirstOrDefaultAsync(CancellationToken.None);
        if (next != 0)
        {
            jobs.Enqueue<SendOutboxEmail>(job => job.RunAsync(next, CancellationToken.None));
        }
    }

    /// <summary>The MIME message of a row; a calendar message's replies go to <paramref name="replyTo"/> (the mailbox the app reads), when set.</summary>
    public static MimeMessage ToMime(OutboxEmail email, SmtpOptions options, MailboxAddress? replyTo = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.TryParse(options.From, out var from) ? from : new MailboxAddress("LiveSessions", "no-reply@livesessions.local"));
        if (email.Calendar is not null && replyTo is not null)
        {
            message.ReplyTo.Add(replyTo);
        }

        message.To.Add(new MailboxAddress(EmailComposer.OneLine(email.ToName), email.To));
        message.Subject = EmailComposer.OneLine(email.Subject);
        message.MessageId = email.MessageId;
        message.Headers.Add("X-LiveSessions-Type", email.Type.ToString());
        var alternative = new MultipartAlternative
        {
            new TextPart(MimeKit.Text.TextFormat.Plain) { Text = email.TextBody },
            new TextPart(MimeKit.Text.TextFormat.Html) { Text = email.HtmlBody },
        };
        if (email.Calendar is { } ics)
        {
            // Calendar clients read the inline text/calendar part; the attachment is for everyone else.
            var inline = new TextPart("calendar") { Text = ics };
            inline.ContentType.Parameters.Add("method", email.CalendarMethod ?? CalendarInvites.Request);
            alternative.Add(inline);
            var mixed = new Multipart("mixed")
            {
                alternative,
                new MimePart("application", "ics")
                {
                    Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ics))),
                    ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                    ContentTransferEncoding = ContentEncoding.Base64,
                    FileName = "invite.ics",
                },
            };
            message.Body = mixed;
        }
        else
        {
            message.Body = alternative;
        }

        return message;
    }

    private async Task SetStateAsync(LiveSessionsDbContext db, long id, OutboxState state, string? error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        using var turn = await writes.EnterAsync(db, CancellationToken.None);
        await db.Outbox.Where(o => o.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(o => o.State, state)
            .SetProperty(o => o.Error, error)
            .SetProperty(o => o.SentAt, o => state == OutboxState.Sent || state == OutboxState.Kept ? now : o.SentAt), CancellationToken.None);
    }
}

/// <summary>
/// Safety net, every minute: an email committed but never enqueued (the process stopped in between), or left
/// Sending by a process that stopped mid-send, gets a job again. A send's SMTP steps time out well before
/// <see cref="Interrupted"/>, so a row Sending for longer was abandoned; with the sweep every minute it is retried
/// within two minutes of its claim. After a restart, <see cref="RunAfterStartAsync"/> sends what the stopped process
/// left within about <see cref="Interrupted"/>. Hangfire's own copy of the job may run too once its invisibility
/// timeout passes: the claim (Queued or Failed → Sending) lets only one of them send.
/// </summary>
public sealed class OutboxSweep(IDbContextFactory<LiveSessionsDbContext> contextFactory, IBackgroundJobClient jobs, SqliteWriteQueue writes, TimeProvider clock)
{
    public static readonly TimeSpan Interrupted = TimeSpan.FromSeconds(60);

    /// <summary>The minutely sweep: Queued rows two minutes old get a job again.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => SweepAsync(clock.GetUtcNow().AddMinutes(-2), cancellationToken);

    /// <summary>
    /// Once, <see cref="Interrupted"/> after a process started at <paramref name="startedAt"/>: a process killed before
    /// it left rows Sending (claimed before this start, so abandoned by now) and rows Queued whose job it had taken
    /// off the queue without claiming them (Hangfire hides such a job for 30 minutes). Both get a job now; a Queued
    /// row whose job is still alive gets a second one, which finds nothing to claim.
    /// </summary>
    public Task RunAfterStartAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var stale = clock.GetUtcNow().AddMinutes(-2);
        return SweepAsync(startedAt > stale ? startedAt : stale, cancellationToken);
    }

    private async Task SweepAsync(DateTimeOffset queuedBefore, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var abandoned = now - Interrupted;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var interrupted = await db.Outbox.Where(o => o.State == OutboxState.Sending && (o.SendingSince == null || o.SendingSince < abandoned))
            .OrderBy(o => o.Id).Select(o => o.Id).Take(500).ToListAsync(cancellationToken);
        if (interrupted.Count > 0)
        {
            using var turn = await writes.EnterAsync(db, cancellationToken);
            await db.Outbox.Where(o => interrupted.Contains(o.Id) && o.State == OutboxState.Sending)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.State, OutboxState.Queued).SetProperty(o => o.Error, "The send was interrupted; retrying."), cancellationToken);
        }

        var ids = await db.Outbox.Where(o => o.State == OutboxState.Queued && o.CreatedAt < queuedBefore).OrderBy(o => o.Id).Select(o => o.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in ids.Union(interrupted))
        {
            jobs.Enqueue<SendOutboxEmail>(job => job.RunAsync(id, CancellationToken.None));
        }
    }
}
