using System.Net;
using System.Net.Sockets;
using System.Reflection;
using MimeKit;
using netDumbster.smtp;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>The app wired to a real SMTP server (netDumbster) listening on a loopback port the OS chose.</summary>
public class EmailFixture : AppFixture
{
    private readonly SemaphoreSlim arrived = new(0);

    public SimpleSmtpServer Smtp { get; private set; } = null!;

    public int SmtpPort { get; private set; }

    public override ValueTask InitializeAsync()
    {
        // Port 0: the listener binds a free port and keeps it, so nothing can take it between picking and binding.
        Smtp = SimpleSmtpServer.Start(0);
        SmtpPort = BoundPort(Smtp);
        Smtp.MessageReceived += (_, _) => arrived.Release();
        return base.InitializeAsync();
    }

    protected override IEnumerable<(string Key, string Value)> ExtraSettings() =>
    [
        ("Smtp:Host", "127.0.0.1"),
        ("Smtp:Port", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Smtp:From", "LiveSessions <training@acme.example>"),
        ("LiveSessions:PublicBaseUrl", "http://links.test"),
    ];

    /// <summary>Messages to <paramref name="email"/> of one email type (the X-LiveSessions-Type header).</summary>
    public static Func<MimeMessage, bool> To(string email, string type) =>
        m => m.To.Mailboxes.Any(t => t.Address == email) && m.Headers["X-LiveSessions-Type"] == type;

    /// <summary>Every message received so far, parsed by MimeKit.</summary>
    public IReadOnlyList<MimeMessage> Received() =>
        Smtp.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();

    /// <summary>
    /// Waits until the messages matching <paramref name="match"/> reach <paramref name="count"/>: it looks again each time
    /// the server reports a message, and gives up only at <paramref name="timeout"/> (30 s by default), which bounds a hang.
    /// </summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<MimeMessage, bool> match, int count, TimeSpan? timeout = null)
    {
        using var ceiling = new CancellationTokenSource(timeout ?? Patience.Ceiling);
        while (true)
        {
            var found = Received().Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            try
            {
                // Any arrival (for this test or another in the collection) wakes us to look again.
                await arrived.WaitAsync(ceiling.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Expected {count} matching emails, got {Received().Count(match)}. {await DiagnosticsAsync()}");
            }
        }
    }

    /// <summary>What the outbox and the job server say, for a failure message.</summary>
    public async Task<string> DiagnosticsAsync()
    {
        await using var db = await Get<Microsoft.EntityFrameworkCore.IDbContextFactory<LiveSessions.Web.Persistence.LiveSessionsDbContext>>().CreateDbContextAsync();
        var rows = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Outbox.OrderByDescending(o => o.Id).Take(8));
        var stats = Get<Hangfire.JobStorage>().GetMonitoringApi().GetStatistics();
        return $"Outbox (newest first): {string.Join("; ", rows.Select(r => $"{r.Id} {r.Type} to {r.To} {r.State} x{r.Attempts} {r.Error}"))}. "
            + $"Jobs: enqueued {stats.Enqueued}, processing {stats.Processing}, succeeded {stats.Succeeded}, failed {stats.Failed}, scheduled {stats.Scheduled}, servers {stats.Servers}. SMTP received {Smtp.ReceivedEmailCount}.";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Smtp.Stop();
        Smtp.Dispose();
        arrived.Dispose();
    }

    /// <summary>
    /// A loopback port that refuses connections for as long as the returned socket lives: it is bound (so no one else
    /// gets it) but not listening.
    /// </summary>
    public static (Socket Holder, int Port) RefusingPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (socket, ((IPEndPoint)socket.LocalEndPoint!).Port);
    }

    /// <summary>The port netDumbster listens on (it keeps the asked-for 0 in its configuration; the bound one is on its listener).</summary>
    public static int BoundPort(SimpleSmtpServer server)
    {
        var field = typeof(SimpleSmtpServer).GetField("tcpListener", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("netDumbster no longer keeps its listener in 'tcpListener': read the bound port another way.");
        var listener = (TcpListener)field.GetValue(server)!;
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class EmailCollection : ICollectionFixture<EmailFixture>
{
    public const string Name = "email";
}
