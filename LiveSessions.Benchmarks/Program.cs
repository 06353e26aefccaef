using System.Diagnostics;
using LiveSessions.Domain;
using LiveSessions.Web;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Measures the app's paths and prints each figure; nothing is asserted. Every scenario can run alone:
//   dotnet run -c Release --project LiveSessions.Benchmarks -- --only hub,export
// and the default runs them all. Each scenario's section of docs/benchmarks.md is replaced by the figures of the
// run (the sections of scenarios not run are kept as they were). "--api-only" is "--only api".
// Scenarios: roster, live, api, hub, watched, browser, ready, cancel, export, circuits, signin, and crossnode (two nodes on the
// empty PostgreSQL database of LIVESESSIONS_BENCH_POSTGRES; in the default run only when that is set).
string[] known = ["roster", "live", "api", "hub", "watched", "browser", "ready", "cancel", "export", "circuits", "signin", "crossnode"];
var all = Environment.GetEnvironmentVariable("LIVESESSIONS_BENCH_POSTGRES") is null ? known[..^1] : known;
var onlyIndex = Array.IndexOf(args, "--only");
var only = args.Contains("--api-only") ? ["api"]
    : onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    : all;
if (only.Except(known).ToList() is { Count: > 0 } unknown)
{
    Console.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", known)}.");
    return 1;
}

var learnerCount = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 5000;
var sections = new List<LiveSessions.Benchmarks.Section>();

async Task RunAsync(string key, string title, Func<Task<IReadOnlyList<LiveSessions.Benchmarks.Figure>>> scenario)
{
    if (!only.Contains(key))
    {
        return;
    }

    Console.WriteLine();
    Console.WriteLine($"== {title} ({key})");
    var watch = Stopwatch.StartNew();
    var load = LiveSessions.Benchmarks.BenchApp.Load();
    try
    {
        var figures = await scenario();
        LiveSessions.Benchmarks.HubBenchmarks.Print(figures);
        sections.Add(new(key, title, figures, watch.Elapsed, $"{load} at start, {LiveSessions.Benchmarks.BenchApp.Load()} at end"));
    }
    catch (Exception ex)
    {
        // One scenario failing leaves its old section in the report and lets the others run.
        Console.WriteLine($"Scenario {key} failed after {watch.Elapsed.TotalSeconds:F0} s: {ex}");
    }
}

if (only.Contains("roster") || only.Contains("live"))
{
    await RosterAndLiveAsync();
}

await RunAsync("api", "Seat decisions through the HTTP API", LiveSessions.Benchmarks.ApiSeatBenchmark.RunAsync);
await RunAsync("hub", "Status change → RosterChanged at 100 / 500 / 1,000 hub clients", LiveSessions.Benchmarks.HubBenchmarks.FanOutAsync);
await RunAsync("watched", "Seat decisions watched by 500 hub clients + 20 Blazor views vs nobody watching", LiveSessions.Benchmarks.HubBenchmarks.WatchedAsync);
await RunAsync("browser", "Status change → another browser's Blazor roster shows it", LiveSessions.Benchmarks.HubBenchmarks.BrowserAsync);
await RunAsync("ready", "Set Ready on a 5,000-learner session: write turn held, invitations queued", LiveSessions.Benchmarks.ServerBenchmarks.SetReadyAsync);
await RunAsync("cancel", "Cancellation → next in line Invited with the offer email queued", LiveSessions.Benchmarks.ServerBenchmarks.CancelAsync);
await RunAsync("export", "Export of 10,000 and 100,000 learners: the app vs MiniExcel directly", LiveSessions.Benchmarks.ServerBenchmarks.ExportAsync);
await RunAsync("circuits", "Server memory per open roster circuit", LiveSessions.Benchmarks.HubBenchmarks.CircuitsAsync);
await RunAsync("signin", "Refused sign-ins: known vs unknown email", LiveSessions.Benchmarks.ServerBenchmarks.SignInTimingAsync);
await RunAsync("crossnode", "Cross-node push on PostgreSQL: node A change → node B hub clients", LiveSessions.Benchmarks.HubBenchmarks.CrossNodeAsync);

var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
Console.WriteLine($"Peak working set: {peak} MiB");
LiveSessions.Benchmarks.Report.Write(sections, all, peak);
return 0;

// The roster paths on a 5,000-learner session and the live paths, at the feature handlers (no HTTP).
async Task RosterAndLiveAsync()
{
    var rosterWatch = Stopwatch.StartNew();
    var rosterLoad = LiveSessions.Benchmarks.BenchApp.Load();
    var data = Path.Combine(Path.GetTempPath(), "livesessions-bench-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(data);
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
    builder.Configuration["LiveSessions:DataDirectory"] = data;
    builder.Configuration["LiveSessions:SeedDemoData"] = "false";
    builder.Configuration["LiveSessions:JobStorage"] = "InMemory";
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddLiveSessions(builder.Configuration, builder.Environment);
    builder.Services.AddRazorComponents();
    builder.Configuration["urls"] = "http://127.0.0.1:0";
    await using var app = builder.Build();
    await app.Services.PrepareDatabaseAsync(app.Configuration, app.Environment);

    // Started, so its background services run: views are told from the change feed by its dispatcher.
    await app.StartAsync();
    var admin = new CurrentUser("bench@acme.example", "bench", new HashSet<string> { Roles.Admin });
    var factory = app.Services.GetRequiredService<IDbContextFactory<LiveSessionsDbContext>>();
    await using (var db = await factory.CreateDbContextAsync())
    {
        db.Courses.Add(new Course("Benchmark course", "", SessionType.InClass, TimeSpan.FromHours(2), learnerCount));
        for (var i = 0; i < learnerCount; i++)
        {
            db.Employees.Add(new Employee($"Learner {i:D5}", $"learner{i}@bench.example", $"Dept {i % 20}"));
        }

        await db.SaveChangesAsync();
    }

    int courseId;
    await using (var db = await factory.CreateDbContextAsync())
    {
        courseId = await db.Courses.Select(c => c.Id).FirstAsync();
    }

    var start = DateTimeOffset.UtcNow.AddDays(10);
    var session = (await app.Services.GetRequiredService<SaveSession>().CreateAsync(new SessionFields
    {
        CourseId = courseId, Title = "Bench", Start = start, End = start.AddHours(2), MaxCapacity = learnerCount, EnableWaitingList = true, EnableCalendar = true,
    }, admin)).Value!;

    var results = new List<(string What, double Ms)>();
    async Task<T> Time<T>(string what, Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var value = await action();
        watch.Stop();
        results.Add((what, watch.Elapsed.TotalMilliseconds));
        Console.WriteLine($"{what,-60} {watch.Elapsed.TotalMilliseconds,10:F0} ms");
        return value;
    }

    await Time($"Add {learnerCount} learners by department x20", async () =>
    {
        for (var d = 0; d < 20; d++)
        {
            await app.Services.GetRequiredService<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(Department: $"Dept {d}"), admin);
        }

        return 0;
    });

    var page = app.Services.GetRequiredService<RosterPage>();
    await page.GetAsync(session.Id, new RosterQuery(), admin);
    var pageTimes = new List<double>();
    for (var i = 0; i < 20; i++)
    {
        var watch = Stopwatch.StartNew();
        await page.GetAsync(session.Id, new RosterQuery(Search: i % 2 == 0 ? null : "Learner 01", SortBy: (RosterSort)(i % 6), Page: i % 5, PageSize: 50), admin);
        pageTimes.Add(watch.Elapsed.TotalMilliseconds);
    }

    pageTimes.Sort();
    Console.WriteLine($"{"Roster page of 50 (search/sort/page), median of 20",-60} {pageTimes[pageTimes.Count / 2],10:F1} ms (max {pageTimes[^1]:F1})");
    await Time("Select all filtered (ids)", async () => (await page.IdsAsync(session.Id, null, null, admin)).Value!.Count);

    var ready = await Time($"Set Ready: invite {learnerCount} (outbox rows + .ics rendered)", async () => await app.Services.GetRequiredService<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, admin));
    Console.WriteLine($"  -> {ready.Value?.Counts[LearnerStatus.Invited]} invited");

    var ids = (await page.IdsAsync(session.Id, null, null, admin)).Value!;
    await Time($"Update Status of {ids.Count} learners to Registered", async () =>
        (await app.Services.GetRequiredService<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest(ids, LearnerStatus.Registered), admin)).Value!.Updated.Count);

    var export = await Time($"Export {ids.Count} learners to .xlsx", async () => (await app.Services.GetRequiredService<ExportLearners>().HandleAsync(session.Id, null, admin)).Value!);
    Console.WriteLine($"  -> {new FileInfo(export.Path).Length / 1024.0:F0} KiB");
    File.Delete(export.Path);

    var live = await new LiveSessions.Benchmarks.LivePathBenchmarks(app.Services, courseId, admin).RunAsync();
    foreach (var figure in live)
    {
        Console.WriteLine($"{figure.What,-70} {figure.Value,10:F1} {figure.Unit}");
    }

    var how = $"{learnerCount:N0}-learner session, feature handlers, SQLite file, Production environment; {LiveSessions.Benchmarks.BenchApp.Machine}";
    var rosterFigures = results.Select(r => new LiveSessions.Benchmarks.Figure(r.What, r.Ms, "ms", how)).ToList();
    rosterFigures.Add(new("Roster page of 50 (search/sort/page), median of 20", pageTimes[pageTimes.Count / 2], "ms", $"max {pageTimes[^1]:F1} ms"));
    if (only.Contains("roster"))
    {
        sections.Add(new("roster", $"Roster paths on a {learnerCount:N0}-learner session", rosterFigures, rosterWatch.Elapsed, $"{rosterLoad} at start, {LiveSessions.Benchmarks.BenchApp.Load()} at end"));
    }

    if (only.Contains("live"))
    {
        sections.Add(new("live", "Live paths at the feature handlers", live.Select(f => f with { How = f.How + "; " + LiveSessions.Benchmarks.BenchApp.Machine }).ToList(), rosterWatch.Elapsed, $"{rosterLoad} at start, {LiveSessions.Benchmarks.BenchApp.Load()} at end"));
    }

    // Stopped first: its background services (the change feed's dispatcher) must not find the folder gone.
    await app.StopAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    try
    {
        Directory.Delete(data, true);
    }
    catch (IOException)
    {
    }
}
