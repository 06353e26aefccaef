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

        var sessionId = await SessionWithLearnersAsync(onA, 40);
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
        Assert.Subset(registered.ToHashSet(), seated.ToHashSet());
        Assert.True(registered.Count <= Capacity, $"{registered.Count} registered in a session of {Capacity} seats");
        Assert.Equal(Capacity, registered.Count);

        // Each node's structured log lines say which node wrote them.
        Assert.Contains(log, line => line.StartsWith("[b] ", StringComparison.Ordinal) && line.Contains("\"Node\":\"node-b\"", StringComparison.Ordinal));
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

    private ChildApp Start(string name, string database)
    {
        var node = new ChildApp(name, ChildApp.WebAssembly(), log,
        [
            "--environment", "Development",
            "--urls", "http://127.0.0.1:0",
            $"--LiveSessions:DataDirectory={Path.Combine(root, name)}",
            "--LiveSessions:SeedDemoData=true",
            "--Database:Provider=PostgreSql",
            $"--ConnectionStrings:LiveSessions={database}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            "--Logging:Console:FormatterName=json",
            "--Logging:Console:FormatterOptions:IncludeScopes=true",
            $"--LiveSessions:NodeName=node-{name}",
        ]);
        nodes.Add(node);
        return node;
    }

    /// <summary>A Ready session of <see cref="Capacity"/> seats, no waiting list, with <paramref name="count"/> learners Not Invited.</summary>
    private static async Task<int> SessionWithLearnersAsync(HttpClient admin, int count)
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
        })).OkAsync<SessionDto>(System.Net.HttpStatusCode.Created);
        var added = await admin.AddLearnersAsync(session.Id, people.Select(p => p.Email));
        Assert.Equal(count, added.Added.Count);
        return session.Id;
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
}
