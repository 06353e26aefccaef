using System.Net;
using System.Net.Sockets;
using MimeKit;
using netDumbster.smtp;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>The app wired to a real SMTP server (netDumbster) on a free loopback port.</summary>
public sealed class EmailFixture : AppFixture
{
    private readonly int port = FreePort();

    public SimpleSmtpServer Smtp { get; private set; } = null!;

    public int SmtpPort => port;

    public override ValueTask InitializeAsync()
    {
        Smtp = SimpleSmtpServer.Start(port);
        return base.InitializeAsync();
    }

    protected override IEnumerable<(string Key, string Value)> ExtraSettings() =>
    [
        ("Smtp:Host", "127.0.0.1"),
        ("Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Smtp:From", "LiveSessions <training@acme.example>"),
        ("LiveSessions:PublicBaseUrl", "http://links.test"),
    ];

    /// <summary>Every message received so far, parsed by MimeKit.</summary>
    public IReadOnlyList<MimeMessage> Received() =>
        Smtp.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();

    /// <summary>Waits (bounded) until the messages matching <paramref name="match"/> reach <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<MimeMessage, bool> match, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = Received().Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Expected {count} matching emails, got {found.Count}. {await DiagnosticsAsync()}");
            }

            await Task.Delay(100);
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
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var p = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return p;
    }
}

[CollectionDefinition(Name)]
public sealed class EmailCollection : ICollectionFixture<EmailFixture>
{
    public const string Name = "email";
}
