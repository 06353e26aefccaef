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
/// Seat decisions through the real HTTP API on Kestrel: 64 clients ask for 1,000 learners of a 5,000-learner roster
/// to become Registered in a 50-seat session. Counts decisions per second, latency percentiles, how many were
/// seated, and every dropped connection or 5xx answer.
/// </summary>
internal sealed class ApiSeatBenchmark
{
    public const int Clients = 64;
    public const int Asks = 1_000;
    public const int Roster = 5_000;
    public const int Seats = 50;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "livesessions-apibench-" + Guid.NewGuid().ToString("N"));
        await using var host = new BenchHost(data);
        host.UseKestrel(0);
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        var admin = new CurrentUser(DemoSeeder.AdminEmail, "admin", new HashSet<string> { Roles.Admin });

        var sessionId = await NewRosterAsync(host.Services, admin);
        var ids = await host.Services.GetRequiredService<RosterPage>().IdsAsync(sessionId, null, null, admin);
        var asks = new ConcurrentQueue<int>(ids.Value!.Take(Asks));

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
            while (asks.TryDequeue(out var learnerId))
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    using var response = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/learners/status", new { learnerIds = new[] { learnerId }, status = "Registered" });
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
            seated = await db.Learners.CountAsync(l => l.SessionId == sessionId && l.Status == LearnerStatus.Registered);
        }

        var list = latencies.ToList();
        var how = $"{Clients} clients, {Asks:N0} asks, {Roster:N0}-learner roster, {Seats} seats, SQLite";
        return
        [
            new("API seat decisions per second", Asks / whole.Elapsed.TotalSeconds, "/s", how),
            new("API seat decision, p50", LivePathBenchmarks.Percentile(list, 50), "ms", how),
            new("API seat decision, p95", LivePathBenchmarks.Percentile(list, 95), "ms", how),
            new("API seat decision, p99", LivePathBenchmarks.Percentile(list, 99), "ms", how),
            new("API seat decisions: learners seated", seated, "", $"goal: exactly {Seats}"),
            new("API seat decisions: dropped connections + 5xx", dropped + serverErrors, "", "goal: 0"),
        ];
    }

    private static async Task<int> NewRosterAsync(IServiceProvider services, CurrentUser admin)
    {
        var factory = services.GetRequiredService<IDbContextFactory<LiveSessionsDbContext>>();
        int courseId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Courses.Add(new Course("API benchmark course", "", SessionType.InClass, TimeSpan.FromHours(2), Seats));
            for (var i = 0; i < Roster; i++)
            {
                db.Employees.Add(new Employee($"Seat Asker {i:D5}", $"asker{i}@apibench.example", $"Asker {i % 10}"));
            }

            await db.SaveChangesAsync();
            courseId = await db.Courses.Where(c => c.Title == "API benchmark course").Select(c => c.Id).SingleAsync();
        }

        var start = DateTimeOffset.UtcNow.AddDays(10);
        var session = (await services.GetRequiredService<SaveSession>().CreateAsync(new SessionFields
        {
            CourseId = courseId, Title = "API seats", Start = start, End = start.AddHours(2), MaxCapacity = Seats,
            EnableWaitingList = true, EnableCalendar = false, RequiresApproval = false,
        }, admin)).Value!;
        for (var d = 0; d < 10; d++)
        {
            await services.GetRequiredService<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(Department: $"Asker {d}"), admin);
        }

        await services.GetRequiredService<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, admin);
        return session.Id;
    }

    private sealed record Token(string TokenType, string AccessToken, int ExpiresIn, string RefreshToken);

    /// <summary>The real app on its own data folder (any type of the app's assembly names its entry point).</summary>
    private sealed class BenchHost(string data) : WebApplicationFactory<DemoSeeder>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("LiveSessions:DataDirectory", data);
            builder.UseSetting("LiveSessions:SeedDemoData", "true");
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
