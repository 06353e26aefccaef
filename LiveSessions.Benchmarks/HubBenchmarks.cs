using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSessions.Web.Features.Roster;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LiveSessions.Benchmarks;

/// <summary>Hub clients of /hubs/roster (API.md "Live updates") in this process, each joined to one session.</summary>
internal sealed class HubCrowd(BenchApp app, int sessionId) : IAsyncDisposable
{
    private readonly List<HubConnection> connections = [];
    private long[] received = [];
    private int expectedLearner;
    private int pending;
    private TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => connections.Count;

    /// <summary>Connects more clients (WebSockets, bearer token as access_token), 25 at a time, each calling JoinSession.</summary>
    public async Task GrowToAsync(int size)
    {
        var token = await app.TokenAsync();
        var url = new Uri(app.BaseAddress, "hubs/roster");
        while (connections.Count < size)
        {
            var batch = Enumerable.Range(connections.Count, Math.Min(25, size - connections.Count)).Select(async index =>
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(url, options =>
                    {
                        options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                        options.Transports = HttpTransportType.WebSockets;
                        options.SkipNegotiation = true;
                    })
                    .Build();
                connection.ServerTimeout = TimeSpan.FromMinutes(5);
                connection.On<JsonElement>("RosterChanged", change => Heard(index, change));
                await connection.StartAsync();
                await connection.InvokeAsync("JoinSession", sessionId);
                return connection;
            }).ToList();
            connections.AddRange(await Task.WhenAll(batch));
        }

        received = new long[connections.Count];
    }

    /// <summary>Arms the crowd for the change of <paramref name="learnerId"/>; the task completes when every client heard it.</summary>
    public Task Expect(int learnerId)
    {
        Array.Fill(received, 0);
        all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref pending, connections.Count);
        Volatile.Write(ref expectedLearner, learnerId);
        return all.Task;
    }

    public IReadOnlyList<long> ReceivedAt => received;

    private void Heard(int index, JsonElement change)
    {
        var now = Stopwatch.GetTimestamp();
        var expected = Volatile.Read(ref expectedLearner);
        if (expected == 0 || index >= received.Length || received[index] != 0)
        {
            return;
        }

        foreach (var learner in change.GetProperty("learners").EnumerateArray())
        {
            if (learner.GetProperty("id").GetInt32() == expected)
            {
                received[index] = now;
                if (Interlocked.Decrement(ref pending) == 0)
                {
                    all.TrySetResult();
                }

                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var batch in connections.Chunk(50))
        {
            await Task.WhenAll(batch.Select(c => c.DisposeAsync().AsTask()));
        }

    }
}

internal static class HubBenchmarks
{
    /// <summary>
    /// Scenario "crossnode": two nodes on one PostgreSQL database (LIVESESSIONS_BENCH_POSTGRES, an empty database);
    /// a status change through node A's API → RosterChanged at 500 hub clients connected to node B.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> CrossNodeAsync()
    {
        const int runs = 20;
        const int clients = 500;
        var postgres = Environment.GetEnvironmentVariable("LIVESESSIONS_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("Set LIVESESSIONS_BENCH_POSTGRES to the connection string of an empty PostgreSQL database.");
        await using var a = await BenchApp.StartAsync(postgres);
        await using var b = await BenchApp.StartAsync(postgres);
        var sessionId = await a.NewSessionAsync(capacity: 100, waitingList: false);
        List<string> emails;
        await using (var db = await a.Db())
        {
            emails = await db.Employees.Where(e => !e.Email.EndsWith("@demo.local")).OrderBy(e => e.Id).Take(runs).Select(e => e.Email).ToListAsync();
        }

        var added = await a.Get<AddLearners>().HandleAsync(sessionId, new AddLearnersRequest(emails), BenchApp.Admin);
        var learners = added.Value!.Added.Select(l => l.Id).ToList();
        using var client = await a.ClientAsync();
        await using var crowd = new HubCrowd(b, sessionId);
        await crowd.GrowToAsync(clients);
        var receive = new List<double>();
        var api = new List<double>();
        foreach (var learnerId in learners)
        {
            var heard = crowd.Expect(learnerId);
            var sent = Stopwatch.GetTimestamp();
            using (var response = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/learners/status", new { learnerIds = new[] { learnerId }, status = "Registered" }))
            {
                api.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                response.EnsureSuccessStatusCode();
            }

            await heard.WaitAsync(TimeSpan.FromMinutes(2));
            receive.AddRange(crowd.ReceivedAt.Select(t => Stopwatch.GetElapsedTime(sent, t).TotalMilliseconds));
        }

        var how = $"{clients} hub clients on node B, {runs} changes through node A's API, both nodes in this process on one PostgreSQL (woken by NOTIFY); {BenchApp.Machine}";
        return
        [
            new("Cross-node push: node A change → node B hub client, p50", LivePathBenchmarks.Percentile(receive, 50), "ms", how),
            new("Cross-node push: node A change → node B hub client, p95", LivePathBenchmarks.Percentile(receive, 95), "ms", how),
            new("Cross-node push: node A change → node B hub client, p99", LivePathBenchmarks.Percentile(receive, 99), "ms", how),
            new("Cross-node push: node A's API call itself, p50", LivePathBenchmarks.Percentile(api, 50), "ms", $"{runs} calls"),
        ];
    }

    /// <summary>Scenario "hub": a status change through the API → RosterChanged at every connected hub client.</summary>
    public static async Task<IReadOnlyList<Figure>> FanOutAsync()
    {
        const int runs = 20;
        int[] sizes = [100, 500, 1_000];
        await using var app = await BenchApp.StartAsync();
        await app.NewEmployeesAsync("Hub", runs * sizes.Length);
        var sessionId = await app.NewSessionAsync(capacity: 100, waitingList: false);
        var learners = await app.AddDepartmentAsync(sessionId, "Hub 0");
        using var client = await app.ClientAsync();
        await using var crowd = new HubCrowd(app, sessionId);
        var figures = new List<Figure>();
        var next = 0;
        foreach (var size in sizes)
        {
            var connect = Stopwatch.StartNew();
            await crowd.GrowToAsync(size);
            Console.WriteLine($"  hub: {size} clients connected and joined ({connect.Elapsed.TotalSeconds:F1} s)");
            var receive = new List<double>();
            var last = new List<double>();
            var api = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var learnerId = learners[next++];
                var heard = crowd.Expect(learnerId);
                var sent = Stopwatch.GetTimestamp();
                using (var response = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/learners/status", new { learnerIds = new[] { learnerId }, status = "Registered" }))
                {
                    api.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    response.EnsureSuccessStatusCode();
                }

                await heard.WaitAsync(TimeSpan.FromMinutes(2));
                var times = crowd.ReceivedAt.Select(t => Stopwatch.GetElapsedTime(sent, t).TotalMilliseconds).ToList();
                receive.AddRange(times);
                last.Add(times.Max());
            }

            var how = $"{size:N0} WebSocket hub clients joined to the session (in the benchmark process), {runs} status changes, every client's receive time; {BenchApp.Machine}";
            figures.Add(new($"Hub fan-out at {size:N0} clients: API sent → RosterChanged received, p50", LivePathBenchmarks.Percentile(receive, 50), "ms", how));
            figures.Add(new($"Hub fan-out at {size:N0} clients: API sent → RosterChanged received, p95", LivePathBenchmarks.Percentile(receive, 95), "ms", how));
            figures.Add(new($"Hub fan-out at {size:N0} clients: API sent → RosterChanged received, p99", LivePathBenchmarks.Percentile(receive, 99), "ms", how));
            figures.Add(new($"Hub fan-out at {size:N0} clients: last client received, median of runs", LivePathBenchmarks.Percentile(last, 50), "ms", $"{runs} runs"));
            figures.Add(new($"Hub fan-out at {size:N0} clients: the API call itself, p50", LivePathBenchmarks.Percentile(api, 50), "ms", $"POST learners/status of 1 learner, {runs} calls"));
            figures.Add(new($"Hub fan-out at {size:N0} clients: the API call itself, p95", LivePathBenchmarks.Percentile(api, 95), "ms", $"{runs} calls"));
            figures.Add(new($"Hub fan-out at {size:N0} clients: the API call itself, p99", LivePathBenchmarks.Percentile(api, 99), "ms", $"{runs} calls"));
            Console.WriteLine($"  hub: {size} clients done");
        }

        return figures;
    }

    /// <summary>
    /// Scenario "watched": the same API seat decisions on two identical sessions, first with nobody watching, then with
    /// 500 hub clients and 20 Blazor roster pages open on the session.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> WatchedAsync()
    {
        const int roster = 500;
        const int seats = 50;
        const int asks = 200;
        const int clients = 4;
        const int hubClients = 500;
        const int pages = 20;
        await using var app = await BenchApp.StartAsync();
        await app.NewEmployeesAsync("Watch", roster * 4, departments: 4);
        using var client = await app.ClientAsync(connections: clients);

        async Task<List<double>> DecideAsync(int sessionId, IReadOnlyList<int> learnerIds)
        {
            var queue = new ConcurrentQueue<int>(learnerIds.Take(asks));
            var latencies = new ConcurrentBag<double>();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                while (queue.TryDequeue(out var learnerId))
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/learners/status", new { learnerIds = new[] { learnerId }, status = "Registered" });
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    response.EnsureSuccessStatusCode();
                }
            })));
            return [.. latencies];
        }

        async Task<(int Id, IReadOnlyList<int> Learners)> SessionAsync(int department)
        {
            var id = await app.NewSessionAsync(capacity: seats, waitingList: true, title: $"Watched {department}");
            return (id, await app.AddDepartmentAsync(id, $"Watch {department}"));
        }

        var warmUp = await SessionAsync(0);
        var quiet = await SessionAsync(1);
        var watched = await SessionAsync(2);
        var hubOnly = await SessionAsync(3);
        await DecideAsync(warmUp.Id, warmUp.Learners);
        var alone = await DecideAsync(quiet.Id, quiet.Learners);
        Console.WriteLine($"  watched: nobody watching p50 {LivePathBenchmarks.Percentile(alone, 50):F1} ms");

        // The hub clients alone first, so the cost of the browser pages (which share the machine's cores) shows apart.
        List<double> heardByHub;
        await using (var hubCrowd = new HubCrowd(app, hubOnly.Id))
        {
            await hubCrowd.GrowToAsync(hubClients);
            heardByHub = await DecideAsync(hubOnly.Id, hubOnly.Learners);
        }

        await using var crowd = new HubCrowd(app, watched.Id);
        await crowd.GrowToAsync(hubClients);
        await using var browser = await BenchBrowser.LaunchAsync(app);
        var anyEmail = BenchApp.EmailOf("Watch", 2);
        for (var c = 0; c < 4; c++)
        {
            var context = await browser.NewContextAsync();
            for (var p = 0; p < pages / 4; p++)
            {
                await BenchBrowser.OpenSessionAsync(await context.NewPageAsync(), watched.Id, anyEmail);
            }
        }

        Console.WriteLine($"  watched: {hubClients} hub clients and {pages} pages open");
        var busy = await DecideAsync(watched.Id, watched.Learners);
        var how = $"{asks} POST learners/status → Registered from {clients} concurrent API clients, {roster}-learner roster, {seats} seats + waiting list; {BenchApp.Machine}";
        var watchers = $"{hubClients} hub clients + {pages} Playwright pages (4 contexts) on the session page";
        List<Figure> figures =
        [
            new("Seat decision, nobody watching, p50", LivePathBenchmarks.Percentile(alone, 50), "ms", how),
            new("Seat decision, nobody watching, p95", LivePathBenchmarks.Percentile(alone, 95), "ms", how),
            new("Seat decision, 500 hub clients only, p50", LivePathBenchmarks.Percentile(heardByHub, 50), "ms", $"{hubClients} hub clients on an identical session, no pages"),
            new("Seat decision, 500 hub clients only, p95", LivePathBenchmarks.Percentile(heardByHub, 95), "ms", $"{hubClients} hub clients on an identical session, no pages"),
            new("Seat decision 500 hub clients only / nobody watching, p50 ratio", LivePathBenchmarks.Percentile(heardByHub, 50) / LivePathBenchmarks.Percentile(alone, 50), "×", "same decisions on an identical session"),
            new("Seat decision, watched, p50", LivePathBenchmarks.Percentile(busy, 50), "ms", watchers),
            new("Seat decision, watched, p95", LivePathBenchmarks.Percentile(busy, 95), "ms", watchers),
            new("Seat decision watched / nobody watching, p50 ratio", LivePathBenchmarks.Percentile(busy, 50) / LivePathBenchmarks.Percentile(alone, 50), "×", "same decisions on an identical session"),
            new("Seat decision watched / nobody watching, p95 ratio", LivePathBenchmarks.Percentile(busy, 95) / LivePathBenchmarks.Percentile(alone, 95), "×", "same decisions on an identical session"),
            new("Seat decisions over 1 s, watched", busy.Count(l => l > 1000), "", $"of {asks}; nobody watching: {alone.Count(l => l > 1000)}; slowest watched {busy.Max():F0} ms, slowest alone {alone.Max():F0} ms"),
        ];
        return figures;
    }

    /// <summary>Scenario "browser": a status change through the API → another browser's Blazor roster shows it.</summary>
    public static async Task<IReadOnlyList<Figure>> BrowserAsync()
    {
        const int runs = 20;
        await using var app = await BenchApp.StartAsync();
        await app.NewEmployeesAsync("Seen", runs);
        var sessionId = await app.NewSessionAsync(capacity: runs, waitingList: false);
        var learners = await app.AddDepartmentAsync(sessionId, "Seen 0");
        using var client = await app.ClientAsync();
        await using var browser = await BenchBrowser.LaunchAsync(app);
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await BenchBrowser.OpenSessionAsync(page, sessionId, BenchApp.EmailOf("Seen", 0));

        var inBrowser = new List<double>();
        var fromClient = new List<double>();
        using var db = await app.Db();
        for (var run = 0; run < runs; run++)
        {
            var email = BenchApp.EmailOf("Seen", run);
            var learnerId = learners[run];

            // A MutationObserver stamps the wall-clock moment the row's status chip says Registered.
            await page.EvaluateAsync("""
                email => {
                    window.__seenAt = null;
                    const shows = () => [...document.querySelectorAll('[aria-label="Status: Registered"]')]
                        .some(chip => chip.closest('tr')?.textContent.includes(email));
                    const observer = new MutationObserver(() => {
                        if (window.__seenAt === null && shows()) {
                            window.__seenAt = performance.timeOrigin + performance.now();
                            observer.disconnect();
                        }
                    });
                    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
                }
                """, email);
            var sentAt = DateTimeOffset.UtcNow.Ticks / (double)TimeSpan.TicksPerMillisecond - DateTimeOffset.UnixEpoch.Ticks / (double)TimeSpan.TicksPerMillisecond;
            var watch = Stopwatch.StartNew();
            using (var response = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/learners/status", new { learnerIds = new[] { learnerId }, status = "Registered" }))
            {
                response.EnsureSuccessStatusCode();
            }

            await page.WaitForFunctionAsync("() => window.__seenAt !== null", null, new() { Timeout = 120_000, PollingInterval = 5 });
            fromClient.Add(watch.Elapsed.TotalMilliseconds);
            inBrowser.Add(await page.EvaluateAsync<double>("() => window.__seenAt") - sentAt);
        }

        var how = $"{runs} runs, 1 learner per change, 1 headless Chromium page on the session page, {runs}-learner roster; {BenchApp.Machine}";
        List<Figure> figures =
        [
            new("API status change → other browser's roster shows it, p50 (stamped in the browser)", LivePathBenchmarks.Percentile(inBrowser, 50), "ms", how + "; MutationObserver, performance.timeOrigin + now() vs the client's clock at send"),
            new("API status change → other browser's roster shows it, p95 (stamped in the browser)", LivePathBenchmarks.Percentile(inBrowser, 95), "ms", how),
            new("API status change → other browser's roster shows it, p50 (seen from the client)", LivePathBenchmarks.Percentile(fromClient, 50), "ms", "around the awaited API call + WaitForFunction (5 ms polling, CDP round trips)"),
            new("API status change → other browser's roster shows it, p95 (seen from the client)", LivePathBenchmarks.Percentile(fromClient, 95), "ms", "around the awaited API call + WaitForFunction"),
        ];
        return figures;
    }

    /// <summary>Scenario "circuits": the server's resident memory per open roster page (Blazor circuit).</summary>
    public static async Task<IReadOnlyList<Figure>> CircuitsAsync()
    {
        const int pages = 50;
        const int sessions = 5;
        const int roster = 200;
        await using var app = await BenchApp.StartAsync();
        await app.NewEmployeesAsync("Circuit", roster * sessions, departments: sessions);
        var ids = new List<int>();
        for (var s = 0; s < sessions; s++)
        {
            var id = await app.NewSessionAsync(capacity: roster, waitingList: false, title: $"Circuits {s}");
            await app.AddDepartmentAsync(id, $"Circuit {s}");
            ids.Add(id);
        }

        await using var browser = await BenchBrowser.LaunchAsync(app);

        // One page first, so the first render's one-off costs (compiled queries, component types, MudBlazor statics) are in the baseline.
        var contexts = new List<IBrowserContext> { await browser.NewContextAsync() };
        var warm = await contexts[0].NewPageAsync();
        await BenchBrowser.OpenSessionAsync(warm, ids[0], BenchApp.EmailOf("Circuit", 0));
        await Task.Delay(1000);
        var before = BenchApp.SettledMemory();
        for (var p = 0; p < pages; p++)
        {
            if (p % 10 == 0 && p > 0)
            {
                contexts.Add(await browser.NewContextAsync());
            }

            var page = await contexts[^1].NewPageAsync();
            var s = p % sessions;
            await BenchBrowser.OpenSessionAsync(page, ids[s], BenchApp.EmailOf("Circuit", s));
        }

        await Task.Delay(1000);
        var after = BenchApp.SettledMemory();
        const double mib = 1024 * 1024;
        var how = $"{pages} Playwright pages (5 contexts, 1 headless Chromium) on {sessions} sessions of {roster} learners, after a forced full GC; server in the benchmark process; {BenchApp.Machine}";
        List<Figure> figures =
        [
            new("Server working set per open roster circuit", (after.WorkingSet - before.WorkingSet) / (double)pages / 1024, "KiB", how),
            new("Server GC heap per open roster circuit", (after.Heap - before.Heap) / (double)pages / 1024, "KiB", how),
            new($"Server working set before / after {pages} pages", after.WorkingSet / mib, "MiB", $"before: {before.WorkingSet / mib:F0} MiB"),
            new($"Server GC heap before / after {pages} pages", after.Heap / mib, "MiB", $"before: {before.Heap / mib:F0} MiB"),
        ];
        return figures;
    }

    public static void Print(IEnumerable<Figure> figures)
    {
        foreach (var figure in figures)
        {
            Console.WriteLine($"{figure.What,-90} {figure.Value,10:F2} {figure.Unit}");
        }
    }
}
