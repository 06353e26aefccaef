using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Benchmarks;

/// <summary>
/// Seat decisions through the real HTTP API on Kestrel: 64 clients ask for 1,000 learners of 5,000 to become
/// Registered, in one 50-seat session (every ask on one lock) or spread over 16 sessions of 50 seats (the asks of
/// different sessions decide in parallel on PostgreSQL). On SQLite, and on PostgreSQL beside it when
/// LIVESESSIONS_BENCH_POSTGRES names an empty database. Counts decisions per second, latency percentiles, how many
/// were seated, and every dropped connection or 5xx answer.
/// </summary>
internal sealed class ApiSeatBenchmark
{
    public const int Clients = 64;
    public const int Asks = 1_000;
    public const int Roster = 5_000;
    public const int Seats = 50;

    public const int SpreadSessions = 16;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("LIVESESSIONS_BENCH_POSTGRES");
        var figures = new List<Figure>();
        foreach (var sessions in new[] { 1, SpreadSessions })
        {
            figures.AddRange(await RunAsync(null, sessions));
            if (postgres is not null)
            {
                figures.AddRange(await RunAsync(postgres, sessions));
            }
        }

        return figures;
    }

    private static async Task<IReadOnlyList<Figure>> RunAsync(string? postgres, int sessions)
    {
        var data = Path.Combine(Path.GetTempPath(), "livesessions-apibench-" + Guid.NewGuid().ToString("N"));
        await using var host = new BenchHost(data, postgres);
        host.UseKestrel(0);
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        var admin = new CurrentUser(DemoSeeder.AdminEmail, "admin", new HashSet<string> { Roles.Admin });

        var run = Guid.NewGuid().ToString("N")[..8];
        var sessionIds = await NewRostersAsync(host.Services, admin, sessions, run);
        var askedOf = new List<(int Session, int Learner)>();
        foreach (var sessionId in sessionIds)
        {
            var ids = await host.Services.GetRequiredService<RosterPage>().IdsAsync(sessionId, null, null, admin);
            askedOf.AddRange(ids.Value!.Take(Asks / sessions).Select(id => (sessionId, id)));
        }

        // Interleaved, so the clients ask of every session at once.
        var asks = new ConcurrentQueue<(int Session, int Learner)>(askedOf.OrderBy(a => a.Learner % (Asks / sessions)).ThenBy(a => a.Session));

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = DemoSeeder.AdminEmail, password = DemoSeeder.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<Token>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var latencies = new ConcurrentBag<double>();
        var dropped = 0;
        var serverErrors = 0;
        var whole = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (asks.TryDequeue(out var ask))
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    using var response = await client.PostAsJsonAsync($"/api/sessions/{ask.Session}/learners/status", new { learnerIds = new[] { ask.Learner }, status = "Registered" });
                    if ((int)response.StatusCode >= 500)
                    {
                        Interlocked.Increment(ref serverErrors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref dropped);
                }

                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
        })));
        whole.Stop();

        int seated;
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync())
        {
            seated = await db.Learners.CountAsync(l => sessionIds.Contains(l.SessionId) && l.Status == LearnerStatus.Registered);
        }

        var list = latencies.ToList();
        var where = $"{(sessions == 1 ? "one session" : $"{sessions} sessions")}, {(postgres is null ? "SQLite" : "PostgreSQL")}";
        var how = $"{Clients} clients, {askedOf.Count:N0} asks, {Roster:N0}-learner roster, {Seats} seats a session";
        return
        [
            new($"API seat decisions per second ({where})", askedOf.Count / whole.Elapsed.TotalSeconds, "/s", how),
            new($"API seat decision, p50 ({where})", LivePathBenchmarks.Percentile(list, 50), "ms", how),
            new($"API seat decision, p95 ({where})", LivePathBenchmarks.Percentile(list, 95), "ms", how),
            new($"API seat decision, p99 ({where})", LivePathBenchmarks.Percentile(list, 99), "ms", how),
            new($"API seat decisions: learners seated ({where})", seated, "", $"goal: exactly {Seats * sessions}"),
            new($"API seat decisions: dropped connections + 5xx ({where})", dropped + serverErrors, "", "goal: 0"),
        ];
    }

    /// <summary>Ready sessions of <see cref="Seats"/> seats sharing <see cref="Roster"/> learners between them.</summary>
    private static async Task<List<int>> NewRostersAsync(IServiceProvider services, CurrentUser admin, int sessions, string run)
    {
        var factory = services.GetRequiredService<IDbContextFactory<LiveSessionsDbContext>>();
        var course = $"API benchmark course {run}";
        int courseId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Courses.Add(new Course(course, "", SessionType.InClass, TimeSpan.FromHours(2), Seats));
            for (var i = 0; i < Roster; i++)
            {
                db.Employees.Add(new Employee($"Seat Asker {i:D5}", $"asker{i}.{run}@apibench.example", $"Asker {run} {i % sessions}"));
            }

            await db.SaveChangesAsync();
            courseId = await db.Courses.Where(c => c.Title == course).Select(c => c.Id).SingleAsync();
        }

        var ids = new List<int>();
        var start = DateTimeOffset.UtcNow.AddDays(10);
        for (var s = 0; s < sessions; s++)
        {
            var session = (await services.GetRequiredService<SaveSession>().CreateAsync(new SessionFields
            {
                CourseId = courseId, Title = $"API seats {s + 1}", Start = start, End = start.AddHours(2), MaxCapacity = Seats,
                EnableWaitingList = true, EnableCalendar = false, RequiresApproval = false,
            }, admin)).Value!;
            await services.GetRequiredService<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(Department: $"Asker {run} {s}"), admin);
            await services.GetRequiredService<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, admin);
            ids.Add(session.Id);
        }

        return ids;
    }

    private sealed record Token(string TokenType, string AccessToken, int ExpiresIn, string RefreshToken);

    /// <summary>The real app on its own data folder (any type of the app's assembly names its entry point).</summary>
    private sealed class BenchHost(string data, string? postgres) : WebApplicationFactory<DemoSeeder>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            if (postgres is not null)
            {
                builder.UseSetting("Database:Provider", "PostgreSql");
                builder.UseSetting("ConnectionStrings:LiveSessions", postgres);
            }

            builder.UseEnvironment("Production");
            builder.UseSetting("LiveSessions:DataDirectory", data);
            builder.UseSetting("LiveSessions:SeedDemoData", "true");
            builder.UseSetting("LiveSessions:DemoShowcase", "false");
            builder.UseSetting("LiveSessions:JobStorage", "InMemory");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
