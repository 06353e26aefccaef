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

// Measures the roster paths on a 5,000-learner session against a real SQLite file, the live paths, and seat
// decisions through the HTTP API; prints figures, asserts nothing, and writes docs/benchmarks.md.
// "--api-only" runs the API scenario alone and writes nothing.
if (args.Contains("--api-only"))
{
    foreach (var figure in await LiveSessions.Benchmarks.ApiSeatBenchmark.RunAsync())
    {
        Console.WriteLine($"{figure.What,-70} {figure.Value,10:F1} {figure.Unit}  ({figure.How})");
    }

    return;
}

var learnerCount = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 5000;
var data = Path.Combine(Path.GetTempPath(), "livesessions-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(data);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
builder.Configuration["LiveSessions:DataDirectory"] = data;
builder.Configuration["LiveSessions:SeedDemoData"] = "false";
builder.Configuration["LiveSessions:JobStorage"] = "InMemory";
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddLiveSessions(builder.Configuration, builder.Environment);
builder.Services.AddRazorComponents();
await using var app = builder.Build();
await app.Services.PrepareDatabaseAsync(app.Configuration, app.Environment);
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

Console.WriteLine();
Console.WriteLine("Live paths (timings moved out of the test suite):");
var live = await new LiveSessions.Benchmarks.LivePathBenchmarks(app.Services, courseId, admin).RunAsync();
foreach (var figure in live)
{
    Console.WriteLine($"{figure.What,-70} {figure.Value,10:F1} {figure.Unit}");
}

Console.WriteLine();
Console.WriteLine("Seat decisions through the HTTP API:");
var api = await LiveSessions.Benchmarks.ApiSeatBenchmark.RunAsync();
foreach (var figure in api)
{
    Console.WriteLine($"{figure.What,-70} {figure.Value,10:F1} {figure.Unit}");
}

live = [.. live, .. api];
var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
Console.WriteLine($"Peak working set: {peak} MiB");
WriteReport(results, live, learnerCount, peak, pageTimes);
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
try
{
    Directory.Delete(data, true);
}
catch (IOException)
{
}

// docs/benchmarks.md beside the solution, when run from the checkout (dotnet run --project LiveSessions.Benchmarks).
static void WriteReport(List<(string What, double Ms)> roster, IReadOnlyList<LiveSessions.Benchmarks.Figure> live, int learnerCount, long peakMiB, List<double> pageTimes)
{
    var root = new DirectoryInfo(Directory.GetCurrentDirectory());
    while (root is not null && !File.Exists(Path.Combine(root.FullName, "LiveSessions.slnx")))
    {
        root = root.Parent;
    }

    if (root is null)
    {
        Console.WriteLine("Not run from the checkout: docs/benchmarks.md left as it is.");
        return;
    }

    var inv = System.Globalization.CultureInfo.InvariantCulture;
    var lines = new List<string>
    {
        "# Benchmarks",
        "",
        "Written by `dotnet run -c Release --project LiveSessions.Benchmarks` (figures from the last run; a 2-core machine unless noted).",
        "Tests assert outcomes only; every speed figure lives here.",
        "",
        $"Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, SQLite file, Hangfire in memory.",
        "",
        $"## Roster paths on a {learnerCount:N0}-learner session",
        "",
        "| What | ms |",
        "|---|---:|",
    };
    lines.AddRange(roster.Select(r => $"| {r.What} | {r.Ms.ToString("F0", inv)} |"));
    lines.Add($"| Roster page of 50 (search/sort/page), median of 20 | {pageTimes[pageTimes.Count / 2].ToString("F1", inv)} |");
    lines.AddRange(["", "## Live paths and seat decisions", "", "| What | Value | How |", "|---|---:|---|"]);
    lines.AddRange(live.Select(f => $"| {f.What} | {f.Value.ToString("F1", inv)} {f.Unit} | {f.How} |"));
    lines.AddRange(["", $"Peak working set of the benchmark process: {peakMiB} MiB.", ""]);
    lines.AddRange(["Before/after comparisons of changes, and what limits each figure, are kept by hand in [benchmarks-history.md](benchmarks-history.md).", ""]);
    File.WriteAllLines(Path.Combine(root.FullName, "docs", "benchmarks.md"), lines);
    Console.WriteLine($"Wrote {Path.Combine(root.FullName, "docs", "benchmarks.md")}");
}
