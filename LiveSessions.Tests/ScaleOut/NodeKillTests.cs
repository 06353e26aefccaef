using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using Npgsql;

namespace LiveSessions.Tests.ScaleOut;

/// <summary>
/// Two nodes as real processes on one PostgreSQL database. Node A is killed (SIGKILL) in the middle of a burst of seat
/// decisions: everything either node acknowledged is in the database, node B goes on deciding, and nobody is overbooked.
/// </summary>
public sealed class NodeKillTests : IAsyncLifetime
{
    private const int Capacity = 10;
    private readonly ConcurrentQueue<string> log = new();
    private readonly List<ChildApp> nodes = [];
    private readonly string root = Path.Combine(Path.GetTempPath(), "livesessions-nodes-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killing_a_node_during_a_burst_loses_nothing_acknowledged_and_the_other_node_carries_on()
    {
        var database = await PostgresServer.NewDatabaseAsync("nodekill");
        var a = Start("a", database);
        using var onA = await ChildApp.SignInAsAdminAsync(await a.Started);
        var b = Start("b", database);
        using var onB = await ChildApp.SignInAsAdminAsync(await b.Started);

        var (sessionId, _) = await SessionWithLearnersAsync(onA, 40);
        var learners = (await (await onA.GetAsync($"/api/sessions/{sessionId}/learners", Ct)).OkAsync<List<LearnerDto>>()).Select(l => l.Id).ToList();

        // Half of the decisions go to A, half to B, all at once; A is killed once three of its own are acknowledged.
        var seated = new ConcurrentBag<int>();
        var answeredByA = new SemaphoreSlim(0);
        var answeredByB = 0;
        async Task DecideAsync(HttpClient node, int learnerId, bool onNodeA)
        {
            try
            {
                using var response = await node.PostAsJsonAsync($"/api/sessions/{sessionId}/learners/status", new { learnerIds = new[] { learnerId }, status = "Registered" }, Ct);
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                foreach (var updated in body.GetProperty("updated").EnumerateArray())
                {
                    seated.Add(updated.GetProperty("id").GetInt32());
                }

                if (onNodeA)
                {
                    answeredByA.Release();
                }
                else
                {
                    Interlocked.Increment(ref answeredByB);
                }
            }
            catch (HttpRequestException) when (onNodeA)
            {
                // Killed under this request: it was never acknowledged.
            }
        }

        var burst = learners.Select((id, i) => Task.Run(() => DecideAsync(i % 2 == 0 ? onA : onB, id, i % 2 == 0))).ToList();
        for (var i = 0; i < 3; i++)
        {
            await answeredByA.WaitAsync(Patience.Ceiling, Ct);
        }

        a.Kill();
        await Task.WhenAll(burst);

        // B answered every request sent to it, and everything acknowledged by either node is there, within capacity.
        Assert.Equal(learners.Count / 2, answeredByB);
        var registered = await RegisteredAsync(database, sessionId);
        Assert.Subset(registered.ToHashSet(), seated.ToHashSet()); // every acknowledged learner is registered (xunit: superset first)
        Assert.True(registered.Count <= Capacity, $"{registered.Count} registered in a session of {Capacity} seats");
        Assert.Equal(Capacity, registered.Count);

        // Each node's structured log lines say which node wrote them.
        Assert.Contains(log, line => line.StartsWith("[b] ", StringComparison.Ordinal) && line.Contains("\"Node\":\"node-b\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_jobs_a_killed_node_had_taken_are_finished_by_another_node_and_every_email_goes_out_once()
    {
        // Node A talks to an SMTP server that never answers: its workers take send jobs and hang in them.
        var database = await PostgresServer.NewDatabaseAsync("jobkill");
        using var blackHole = new BlackHoleSmtp();
        var a = Start("a", database, "--Smtp:Host=127.0.0.1", $"--Smtp:Port={blackHole.Port}", "--Smtp:From=LiveSessions <training@acme.example>");
        using var onA = await ChildApp.SignInAsAdminAsync(await a.Started);
        await using var jobChanges = await JobStateChanges.ListenAsync(database);
        var invited = await ReadySessionWithInvitationsAsync(onA, 6);
        await blackHole.WaitForConnectionsAsync(2, Patience.Ceiling);
        a.Kill();
        var takenByA = await JobsAsync(database, "Processing");
        Assert.True(takenByA.Count >= 2, $"{takenByA.Count} jobs were processing when node A died");

        // Node B, with a working SMTP server, takes over A's jobs once their invisibility timeout passes.
        using var smtp = netDumbster.smtp.SimpleSmtpServer.Start(0);
        using var arrived = new SemaphoreSlim(0);
        smtp.MessageReceived += (_, _) => arrived.Release();
        var b = Start("b", database, "--Smtp:Host=127.0.0.1", $"--Smtp:Port={EmailFixture.BoundPort(smtp)}", "--Smtp:From=LiveSessions <training@acme.example>",
            "--LiveSessions:JobInvisibilitySeconds=20");
        await b.Started;

        // The jobs A had taken do not stay taken: B runs them once they are visible again (20 s).
        using var ceiling = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        ceiling.CancelAfter(TimeSpan.FromMinutes(4));
        // Taken again by B, each leaves Processing: done, or waiting for its retry (an SMTP hiccup).
        await jobChanges.UntilAsync(async () => !(await JobsAsync(database, "Processing")).Intersect(takenByA).Any(), ceiling.Token);

        // Every email of the outbox ends Sent and arrives once, the invitations and what A was sending when it died
        // (retried by B's outbox sweep a minute after A's claim). Each send ends a job, which wakes this wait.
        try
        {
            await jobChanges.UntilAsync(async () => await OutboxStatesAsync(database) is var all
                && all.All(r => r.State == "Sent") && invited.All(to => all.Any(r => r.To == to)), ceiling.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            var left = (await OutboxStatesAsync(database)).Where(r => r.State != "Sent").Select(r => $"{r.To} {r.State}");
            Assert.Fail($"Not every email was sent within the ceiling; left: {string.Join("; ", left)}; processing jobs: {string.Join(", ", await JobsAsync(database, "Processing"))}");
        }
        var rows = await OutboxStatesAsync(database);
        var received = smtp.ReceivedEmail.Select(m => MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data)))).ToList();
        Assert.Equal(rows.Count, received.Count);
        Assert.Equal(rows.Select(r => Web.Features.Email.OutboxEmail.MessageIdFor(r.IdempotencyKey)).Order(), received.Select(m => m.MessageId).Order());
        var missing = invited.Except(received.Select(m => m.To.Mailboxes.Single().Address)).ToList();
        Assert.True(missing.Count == 0, $"Not received: {string.Join(", ", missing)}; outbox: {string.Join("; ", rows.Select(r => $"{r.To} {r.State}"))}");
    }

    [Fact]
    public async Task A_node_asked_to_stop_says_it_is_not_ready_while_it_drains()
    {
        var database = await PostgresServer.NewDatabaseAsync("drain");
        var node = Start("a", database, "--LiveSessions:DrainSeconds=600");
        using var client = new HttpClient { BaseAddress = await node.Started };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/ready", Ct)).StatusCode);

        var draining = node.OutputAsync("Draining");
        node.Terminate();
        await draining;

        // The load balancer stops sending it traffic; what still reaches it is answered.
        using var ready = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await ready.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("checks").GetProperty("node").GetString());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/account/login", Ct)).StatusCode);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var line in log)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A node's last file handle; the temp folder is cleaned by the OS.
        }
    }

    private ChildApp Start(string name, string database, params string[] settings)
    {
        var node = new ChildApp(name, ChildApp.WebAssembly(), log,
        [
            "--environment", "Development",
            "--urls", "http://127.0.0.1:0",
            $"--LiveSessions:DataDirectory={Path.Combine(root, name)}",
            "--LiveSessions:SeedDemoData=true",
            "--LiveSessions:DemoShowcase=false",
            "--Database:Provider=PostgreSql",
            $"--ConnectionStrings:LiveSessions={database}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            "--Logging:Console:FormatterName=json",
            "--Logging:Console:FormatterOptions:IncludeScopes=true",
            $"--LiveSessions:NodeName=node-{name}",
            .. settings,
        ]);
        nodes.Add(node);
        return node;
    }

    /// <summary>A new (not yet Ready) session of <see cref="Capacity"/> seats, no waiting list, with <paramref name="count"/> learners Not Invited.</summary>
    private static async Task<(int SessionId, List<string> Emails)> SessionWithLearnersAsync(HttpClient admin, int count, bool calendar = false)
    {
        var course = (await (await admin.GetAsync("/api/courses", Ct)).OkAsync<List<CourseDto>>())[0];
        var people = (await (await admin.GetAsync("/api/employees?pageSize=100", Ct)).OkAsync<EmployeePageDto>()).Items
            .Where(e => !e.Email.EndsWith("@demo.local", StringComparison.Ordinal)).Take(count).ToList();
        Assert.Equal(count, people.Count);
        var start = DateTimeOffset.UtcNow.AddDays(30);
        var session = await (await admin.PostJsonAsync("/api/sessions", new
        {
            courseId = course.Id,
            title = "Node killed mid-burst",
            start,
            end = start.AddHours(2),
            timeZone = "UTC",
            maxCapacity = Capacity,
            enableWaitingList = false,
            requiresApproval = false,
            enableCalendar = calendar,
            location = "Room 1",
        })).OkAsync<SessionDto>(System.Net.HttpStatusCode.Created);
        var added = await admin.AddLearnersAsync(session.Id, people.Select(p => p.Email));
        Assert.Equal(count, added.Added.Count);
        return (session.Id, [.. people.Select(p => p.Email)]);
    }

    /// <summary>A calendar session with <paramref name="count"/> learners set Ready: that many invitations queued at once.</summary>
    private static async Task<List<string>> ReadySessionWithInvitationsAsync(HttpClient admin, int count)
    {
        var (sessionId, emails) = await SessionWithLearnersAsync(admin, count, calendar: true);
        var ready = await admin.PostJsonAsync($"/api/sessions/{sessionId}/status", new { status = "Ready" });
        Assert.True(ready.IsSuccessStatusCode, await ready.Content.ReadAsStringAsync(Ct));
        return emails;
    }

    private static async Task<List<(string IdempotencyKey, string To, string State)>> OutboxStatesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""SELECT "IdempotencyKey", "To", "State" FROM "Outbox" """, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, string, string)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    /// <summary>The ids of Hangfire's jobs in the given state.</summary>
    private static async Task<List<long>> JobsAsync(string database, string state)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT id FROM hangfire.job WHERE statename = @state", connection);
        command.Parameters.AddWithValue("state", state);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task<List<int>> RegisteredAsync(string database, int sessionId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""SELECT "Id" FROM "SessionLearners" WHERE "SessionId" = @s AND "Status" = 'Registered'""", connection);
        command.Parameters.AddWithValue("s", sessionId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<int>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }

    /// <summary>
    /// Wakes the test each time a Hangfire job changes state: a trigger on the job table (created by the test, in the
    /// test's database) notifies, and the test listens.
    /// </summary>
    private sealed class JobStateChanges : IAsyncDisposable
    {
        private readonly NpgsqlConnection connection;
        private readonly CancellationTokenSource stop = new();
        private Task listening = Task.CompletedTask;
        private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private JobStateChanges(NpgsqlConnection connection)
        {
            this.connection = connection;
            connection.Notification += (_, _) => Interlocked.Exchange(ref changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public static async Task<JobStateChanges> ListenAsync(string database)
        {
            var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(Ct);
            await using (var create = new NpgsqlCommand("""
                CREATE OR REPLACE FUNCTION test_job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('test_job_changed', ''); RETURN NULL; END $$;
                CREATE TRIGGER test_job_changed AFTER INSERT OR UPDATE ON hangfire.job FOR EACH STATEMENT EXECUTE FUNCTION test_job_changed();
                LISTEN test_job_changed;
                """, connection))
            {
                await create.ExecuteNonQueryAsync(Ct);
            }

            var changes = new JobStateChanges(connection);
            changes.listening = changes.WaitForNotificationsAsync();
            return changes;
        }

        /// <summary>Checks <paramref name="done"/> now and after every job change until it holds.</summary>
        public async Task UntilAsync(Func<Task<bool>> done, CancellationToken cancellationToken)
        {
            while (true)
            {
                var next = Volatile.Read(ref changed).Task;
                if (await done())
                {
                    return;
                }

                await next.WaitAsync(cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await listening;
            await connection.DisposeAsync();
            stop.Dispose();
        }

        private async Task WaitForNotificationsAsync()
        {
            try
            {
                while (true)
                {
                    await connection.WaitAsync(stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or NpgsqlException or ObjectDisposedException or InvalidOperationException)
            {
                // The test is over, or the connection was lost: a wait must then fail now, not sleep to its ceiling.
                if (!stop.IsCancellationRequested)
                {
                    Volatile.Read(ref changed).TrySetException(new InvalidOperationException("The test lost its job-change notifications connection.", ex));
                }
            }
        }
    }
}
