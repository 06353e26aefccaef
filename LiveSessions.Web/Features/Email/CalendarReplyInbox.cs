using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace LiveSessions.Web.Features.Email;

/// <summary>
/// The Imap section of appsettings.json (Imap__Host… override it): the mailbox calendar replies go to. With an
/// <see cref="Address"/>, invitations name it as ORGANIZER and Reply-To, so a learner's Accept in Outlook or Google
/// Calendar lands there; with a <see cref="Host"/>, the app reads it every minute.
/// </summary>
public sealed class ImapOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 993;

    /// <summary>TLS on connect for 993, STARTTLS otherwise; false only for a server on loopback.</summary>
    public bool UseTls { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string Folder { get; set; } = "INBOX";

    /// <summary>The address of that mailbox, e.g. "LiveSessions &lt;calendar@acme.example&gt;".</summary>
    public string? Address { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public MimeKit.MailboxAddress? ReplyMailbox => MimeKit.MailboxAddress.TryParse(Address, out var mailbox) ? mailbox : null;
}

/// <summary>
/// The recurring job that reads the reply mailbox over IMAP: each unread message is handed to
/// <see cref="CalendarReplies"/> and then flagged Seen. A message whose handling fails stays unread and is read again
/// next minute; one read twice (two nodes, a crash before the flag) is recognised by its Message-ID.
/// </summary>
public sealed class CalendarReplyInbox(IOptions<ImapOptions> options, CalendarReplies replies, ILogger<CalendarReplyInbox> log)
{
    public const string JobId = "calendar-replies";

    [Hangfire.AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var imap = options.Value;
        if (!imap.IsConfigured)
        {
            return 0;
        }

        using var client = new ImapClient { Timeout = (int)TimeSpan.FromSeconds(30).TotalMilliseconds };
        var security = !imap.UseTls ? SecureSocketOptions.None : imap.Port == 993 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(imap.Host!, imap.Port, security, cancellationToken);
        await client.AuthenticateAsync(imap.UserName ?? string.Empty, imap.Password ?? string.Empty, cancellationToken);
        var folder = await client.GetFolderAsync(imap.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var unread = await folder.SearchAsync(SearchQuery.NotSeen, cancellationToken);
        foreach (var uid in unread)
        {
            // Fetched with BODY.PEEK: the message stays unread until it is handled.
            var message = await folder.GetMessageAsync(uid, cancellationToken);
            var receipt = await replies.ReceiveAsync(message, CalendarReplies.FromImap, cancellationToken);
            await folder.AddFlagsAsync(uid, MessageFlags.Seen, silent: true, cancellationToken);
            log.LogInformation("Calendar reply {MessageId}: {Outcome}", message.MessageId, receipt.Outcome);
        }

        await client.DisconnectAsync(true, cancellationToken);
        return unread.Count;
    }
}
