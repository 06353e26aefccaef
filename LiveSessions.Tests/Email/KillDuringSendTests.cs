using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveSessions.Domain;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Email;
using Microsoft.Data.Sqlite;
using MimeKit;
using netDumbster.smtp;

namespace LiveSessions.Tests.Email;

/// <summary>
/// The app as a real OS process on the default SQLite job storage, killed with SIGKILL while emails are in flight,
/// then restarted on the same data folder: every email goes out once, under the Message-ID of its first try.
/// </summary>
public sealed class KillDuringSendTests : IAsyncLifetime
{
    /// <summary>How long after the restart every interrupted email must have arrived.</summary>
    private static readonly TimeSpan AfterRestart = TimeSpan.FromMinutes(2);

    private const int Learners = 6;

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "livesessions-kill-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> log = new();
    private readonly List<ChildApp> apps = [];
    private BlackHoleSmtp? blackHole;
    private SimpleSmtpServer? smtp;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Emails_in_flight_when_the_process_is_killed_arrive_exactly_once_with_their_Message_ID_within_two_minutes_of_the_restart()
    {
        try
        {
            // 1. The first process talks to an SMTP server that accepts connections and never answers: each send
            //    claims its row (Sending), connects, and waits for a greeting that never comes.
            blackHole = new BlackHoleSmtp();
            var first = Start("first", blackHole.Port);
            var baseAddress = await first.Started;
            using var admin = await ChildApp.SignInAsAdminAsync(baseAddress);
            var sessionId = await ReadySessionWithInvitationsAsync(admin);

            // Two sends in progress (the app has at least two workers), the other invitations claimed or still queued.
            await blackHole.WaitForConnectionsAsync(2, Patience.Ceiling);
            first.Kill();

            // 2. What the killed process left in the database: the emails it had queued, none of them sent.
            var left = await OutboxAsync(Ct);
            Log($"[test] left by the killed process: {string.Join("; ", left.Select(r => r.ToString()))}");
            Assert.Equal(Learners, left.Count(r => r.SessionId == sessionId && r.Type == nameof(EmailType.Invitation)));
            Assert.Contains(left, r => r.State == nameof(OutboxState.Sending));
            Assert.DoesNotContain(left, r => r.State == nameof(OutboxState.Sent));
            blackHole.Dispose();

            // 3. Restarted on the same data folder with a working SMTP server.
            smtp = SimpleSmtpServer.Start(0);
            using var arrived = new SemaphoreSlim(0);
            smtp.MessageReceived += (_, _) => arrived.Release();
            using var databaseChanged = new DatabaseChanges(dataDirectory);
            using var ceiling = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            ceiling.CancelAfter(AfterRestart);
            var second = Start("second", EmailFixture.BoundPort(smtp));
            await second.Started.WaitAsync(ceiling.Token);

            var expected = left.ToDictionary(r => OutboxEmail.MessageIdFor(r.IdempotencyKey));
            await WaitForAsync(
                ReceivedAsync,
                messages => expected.Keys.All(id => messages.Any(m => m.MessageId == id)),
                arrived.WaitAsync,
                second,
                "every email left by the killed process to arrive",
                ceiling.Token);
            Log($"[test] all {expected.Count} emails arrived after the restart");

            // Sent is final (only Queued or Failed rows can be claimed): once every row says so, no copy can follow.
            var after = await WaitForAsync(
                () => OutboxAsync(ceiling.Token),
                rows => left.All(l => rows.Single(r => r.Id == l.Id).State == nameof(OutboxState.Sent)),
                databaseChanged.NextAsync,
                second,
                "every email left by the killed process to be Sent",
                ceiling.Token);
            var received = Received();

            foreach (var row in left)
            {
                var message = Assert.Single(received, m => m.MessageId == OutboxEmail.MessageIdFor(row.IdempotencyKey));
                Assert.Equal(row.To, Assert.Single(message.To.Mailboxes).Address);
                Assert.Equal(row.Type, message.Headers["X-LiveSessions-Type"]);
                Assert.Single(received, m => m.To.Mailboxes.Any(t => t.Address == row.To) && m.Headers["X-LiveSessions-Type"] == row.Type);

                // Claimed exactly once after the restart, whether the kill interrupted its send or it was still queued.
                Assert.Equal(row.Attempts + 1, after.Single(r => r.Id == row.Id).Attempts);
            }
        }
        finally
        {
            // The apps' own output, shown when the test fails (and in detailed runs).
            var output = TestContext.Current.TestOutputHelper;
            foreach (var line in log)
            {
                output?.WriteLine(line);
            }
        }
    }

    [Fact]
    public async Task Every_seat_decision_acknowledged_before_a_kill_is_there_after_the_restart()
    {
        blackHole = new BlackHoleSmtp();
        var first = Start("first", blackHole.Port);
        using var admin = await ChildApp.SignInAsAdminAsync(await first.Started);
        var sessionId = await ReadySessionWithInvitationsAsync(admin);
        var learners = (await (await admin.GetAsync($"/api/sessions/{sessionId}/learners", Ct)).OkAsync<List<LearnerDto>>()).Select(l => l.Id).ToList();

        // Decisions from several clients at once; the process is killed the moment the last answer arrives.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Task.WhenAll(learners.Select(async id =>
        {
            var response = await admin.PostJsonAsync($"/api/sessions/{sessionId}/learners/status", new { learnerIds = new[] { id }, status = "Registered" });
            if (response.IsSuccessStatusCode)
            {
                acknowledged.Add(id);
            }
        }));
        first.Kill();
        await first.Exited;
        Assert.Equal(learners.Count, acknowledged.Count);

        var second = Start("second", blackHole.Port);
        await second.Started;
        Assert.Equal(acknowledged.Order(), await RegisteredAsync(sessionId));
    }

    private async Task<List<int>> RegisteredAsync(int sessionId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "livesessions.db")};Pooling=False;Default Timeout=60");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT "Id" FROM "SessionLearners" WHERE "SessionId" = {sessionId} AND "Status" = 'Registered' ORDER BY "Id" """;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<int>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        blackHole?.Dispose();
        smtp?.Stop();
        smtp?.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The temp folder is cleaned by the OS.
        }
    }

    private ChildApp Start(string name, int smtpPort)
    {
        var app = new ChildApp(name, ChildApp.WebAssembly(), log,
        [
            "--environment", "Development",
            "--urls", "http://127.0.0.1:0",
            $"--LiveSessions:DataDirectory={dataDirectory}",
            "--LiveSessions:SeedDemoData=true",
            "--LiveSessions:DemoShowcase=false",
            "--LiveSessions:PublicBaseUrl=http://links.test",
            "--Smtp:Host=127.0.0.1",
            $"--Smtp:Port={smtpPort}",
            "--Smtp:From=LiveSessions <training@acme.example>",
            "--Logging:LogLevel:Default=Warning",
        ]);
        apps.Add(app);
        return app;
    }

    /// <summary>A calendar session with six learners set Ready: six invitations queued in one commit.</summary>
    private static async Task<int> ReadySessionWithInvitationsAsync(HttpClient admin)
    {
        var course = (await (await admin.GetAsync("/api/courses", Ct)).OkAsync<List<CourseDto>>())[0];
        var people = (await (await admin.GetAsync("/api/employees?pageSize=100", Ct)).OkAsync<EmployeePageDto>()).Items
            .Where(e => !e.Email.EndsWith("@demo.local", StringComparison.Ordinal)).Take(Learners).ToList();
        Assert.Equal(Learners, people.Count);
        var start = DateTimeOffset.UtcNow.AddDays(30);
        var session = await (await admin.PostJsonAsync("/api/sessions", new
        {
            courseId = course.Id,
            title = "Killed mid-send",
            start,
            end = start.AddHours(2),
            timeZone = "UTC",
            location = "Room 1",
            maxCapacity = 20,
            enableCalendar = true,
        })).OkAsync<SessionDto>(HttpStatusCode.Created);
        var added = await admin.AddLearnersAsync(session.Id, people.Select(p => p.Email));
        Assert.Equal(Learners, added.Added.Count);
        var ready = await admin.PostJsonAsync($"/api/sessions/{session.Id}/status", new { status = "Ready" });
        Assert.True(ready.IsSuccessStatusCode, await ready.Content.ReadAsStringAsync(Ct));
        return session.Id;
    }

    /// <summary>
    /// Reads until <paramref name="done"/> holds, reading again each time <paramref name="next"/> signals (taken
    /// before each read, so a change between the read and the wait still wakes it); fails at the ceiling or when the
    /// app exits.
    /// </summary>
    private async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<CancellationToken, Task> next, ChildApp app, string what, CancellationToken ceiling)
    {
        while (true)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ceiling);
            var signal = next(stop.Token);
            var last = await read();
            if (done(last))
            {
                await stop.CancelAsync();
                return last;
            }

            var woke = await Task.WhenAny(signal, app.Exited);
            if (woke == app.Exited)
            {
                Assert.Fail($"The {app.Name} process exited while waiting for {what}.");
            }

            if (signal.IsCanceled)
            {
                Assert.Fail($"Waited {AfterRestart.TotalSeconds:F0} s after the restart for {what}; SMTP received {smtp?.ReceivedEmailCount}; outbox: "
                    + string.Join("; ", (await OutboxAsync(CancellationToken.None)).Select(r => r.ToString())));
            }
        }
    }

    private IReadOnlyList<MimeMessage> Received() =>
        smtp!.ReceivedEmail.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();

    private Task<IReadOnlyList<MimeMessage>> ReceivedAsync() => Task.FromResult(Received());

    private async Task<List<OutboxRow>> OutboxAsync(CancellationToken cancellationToken)
    {
        // A connection of its own, not pooled: the test holds no handle on the app's database between reads.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "livesessions.db")};Pooling=False;Default Timeout=60");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Id", "SessionId", "IdempotencyKey", "To", "Type", "State", "Attempts" FROM "Outbox" ORDER BY "Id" """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6)));
        }

        return rows;
    }

    private void Log(string line) => log.Enqueue(line);

    private sealed record OutboxRow(long Id, int SessionId, string IdempotencyKey, string To, string Type, string State, int Attempts)
    {
        public override string ToString() => $"{Id} {Type} to {To} {State} x{Attempts}";
    }

    /// <summary>Signals each time the app writes its database (the WAL file changes).</summary>
    private sealed class DatabaseChanges : IDisposable
    {
        private readonly FileSystemWatcher watcher;
        private TaskCompletionSource current = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DatabaseChanges(string directory)
        {
            watcher = new FileSystemWatcher(directory, "livesessions.db*") { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName };
            watcher.Changed += (_, _) => Signal();
            watcher.Created += (_, _) => Signal();
            watcher.EnableRaisingEvents = true;
        }

        /// <summary>Completes at the next write.</summary>
        public Task NextAsync(CancellationToken cancellationToken) => Volatile.Read(ref current).Task.WaitAsync(cancellationToken);

        public void Dispose() => watcher.Dispose();

        private void Signal() =>
            Interlocked.Exchange(ref current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
