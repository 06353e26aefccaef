using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hangfire.States;
using Hangfire.Storage;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LiveSessions.Benchmarks;

internal static class ServerBenchmarks
{
    /// <summary>Scenario "ready": Set Ready on a 5,000-learner session, the write turn it holds, and every invitation queued.</summary>
    public static async Task<IReadOnlyList<Figure>> SetReadyAsync()
    {
        const int roster = 5_000;
        await using var app = await BenchApp.StartAsync();
        await app.NewEmployeesAsync("Ready", roster, departments: 10);
        var sessionId = await app.NewSessionAsync(capacity: roster, waitingList: true, calendar: true, ready: false, title: "Ready bench");
        for (var d = 0; d < 10; d++)
        {
            await app.AddDepartmentAsync(sessionId, $"Ready {d}");
        }

        var turns = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "LiveSessions" && instrument.Name == "livesessions.write_turn.held")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (turns)
            {
                turns.Add(value);
            }
        });
        listener.Start();
        var enqueued = EnqueuedSends.Start();

        var startedAt = Stopwatch.GetTimestamp();
        var watch = Stopwatch.StartNew();
        await app.SetReadyAsync(sessionId);
        var handler = watch.Elapsed.TotalMilliseconds;
        List<double> held;
        lock (turns)
        {
            held = [.. turns];
        }

        int invitations;
        await using (var db = await app.Db())
        {
            invitations = await db.Outbox.CountAsync(o => o.SessionId == sessionId && o.Type == EmailType.Invitation);
        }

        var allQueued = await enqueued.WhenCountAsync(invitations, startedAt, TimeSpan.FromMinutes(5));
        var how = $"{roster:N0} NotInvited learners, calendar on (.ics per email), one SetSessionStatus(Ready) call; {BenchApp.Machine}";
        List<Figure> figures =
        [
            new($"Set Ready on {roster:N0} learners: the call, until it returns", handler, "ms", how),
            new($"Set Ready on {roster:N0} learners: write turn held (longest)", held.Count == 0 ? 0 : held.Max(), "ms", $"livesessions.write_turn.held via MeterListener; {held.Count} turn(s) during the call"),
            new($"Set Ready on {roster:N0} learners: write turns held (sum)", held.Sum(), "ms", $"{held.Count} turn(s)"),
            new($"Set Ready on {roster:N0} learners: every invitation queued (outbox row + Hangfire job enqueued)", allQueued, "ms", $"{invitations:N0} Invitation rows; last SendOutboxEmail job Enqueued, from the start of the call"),
        ];
        return figures;
    }

    /// <summary>Scenario "cancel": a registered learner cancels through the API → the head of the waiting list is Invited with the offer email queued.</summary>
    public static async Task<IReadOnlyList<Figure>> CancelAsync()
    {
        const int runs = 20;
        const int seats = 20;
        await using var app = await BenchApp.StartAsync();
        await app.NewEmployeesAsync("Cancel", seats + 2);
        using var learner = await app.ClientAsync(DemoSeeder.LearnerEmail);
        var notifier = app.Get<RosterChangeNotifier>();
        var register = app.Get<RegisterLearner>();
        var total = new List<double>();
        var api = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            // A full session: the demo learner and 19 others Registered, two people on the waiting list.
            var sessionId = await app.NewSessionAsync(capacity: seats, waitingList: true, title: $"Cancel {run}");
            var registrants = new List<string> { DemoSeeder.LearnerEmail };
            registrants.AddRange(Enumerable.Range(0, seats + 1).Select(i => BenchApp.EmailOf("Cancel", i)));
            var rows = new List<LearnerRow>();
            foreach (var email in registrants)
            {
                var outcome = await register.HandleAsync(sessionId, new CurrentUser(email, email, new HashSet<string> { Roles.Learner }));
                rows.Add(outcome.Value?.Learner ?? throw new InvalidOperationException(outcome.Message));
            }

            var head = rows.First(r => r.Status == LearnerStatus.WaitingList).Id;
            if (rows.Count(r => r.Status == LearnerStatus.Registered) != seats)
            {
                throw new InvalidOperationException("The session is not full.");
            }

            var invited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var view = notifier.Subscribe(sessionId, change =>
            {
                if (change.Learners.Any(l => l.Id == head && l.Status == LearnerStatus.Invited))
                {
                    invited.TrySetResult();
                }

                return Task.CompletedTask;
            });
            var watch = Stopwatch.StartNew();
            using (var response = await learner.DeleteAsync($"/api/me/registrations/{sessionId}"))
            {
                api.Add(watch.Elapsed.TotalMilliseconds);
                response.EnsureSuccessStatusCode();
            }

            await invited.Task.WaitAsync(TimeSpan.FromMinutes(2));
            await using var db = await app.Db();
            while (!await db.Outbox.AnyAsync(o => o.LearnerId == head && o.Type == EmailType.WaitingLearnersInvitation))
            {
                await Task.Delay(2);
            }

            total.Add(watch.Elapsed.TotalMilliseconds);
        }

        var how = $"{runs} runs, each on a new full {seats}-seat session with 2 on the waiting list; DELETE /api/me/registrations/{{id}} as the learner; {BenchApp.Machine}";
        List<Figure> figures =
        [
            new("Cancellation → next in line Invited + WaitingLearnersInvitation row, p50", LivePathBenchmarks.Percentile(total, 50), "ms", how),
            new("Cancellation → next in line Invited + WaitingLearnersInvitation row, p95", LivePathBenchmarks.Percentile(total, 95), "ms", "from the API call sent to the notifier's Invited + the outbox row read back"),
            new("Cancellation → next in line Invited + WaitingLearnersInvitation row, p99", LivePathBenchmarks.Percentile(total, 99), "ms", $"{runs} runs"),
            new("Cancellation: the API call itself, p50", LivePathBenchmarks.Percentile(api, 50), "ms", $"{runs} calls"),
            new("Cancellation: the API call itself, p95", LivePathBenchmarks.Percentile(api, 95), "ms", $"{runs} calls"),
        ];
        return figures;
    }

    /// <summary>Scenario "export": the app's ExportLearners vs MiniExcel writing the same rows directly, same run.</summary>
    public static async Task<IReadOnlyList<Figure>> ExportAsync()
    {
        int[] sizes = [10_000, 100_000];
        await using var app = await BenchApp.StartAsync();
        var sessions = new Dictionary<int, int>();
        foreach (var size in sizes)
        {
            var prefix = $"Export{size}";
            await app.NewEmployeesAsync(prefix, size);
            var id = await app.NewSessionAsync(capacity: size, waitingList: false, ready: false, title: $"Export {size}");
            await app.AddLearnersBySqlAsync(id, $"{prefix} %", LearnerStatus.Registered);
            sessions[size] = id;
        }

        var export = app.Get<ExportLearners>();
        async Task<long> AppExportAsync(int sessionId)
        {
            var file = (await export.HandleAsync(sessionId, null, BenchApp.Admin)).Value!;
            var length = new FileInfo(file.Path).Length;
            File.Delete(file.Path);
            return length;
        }

        async Task<long> DirectAsync(List<DirectRow> rows)
        {
            var path = Path.Combine(Path.GetTempPath(), $"livesessions-direct-{Guid.NewGuid():N}.xlsx");
            await Task.Run(() => MiniExcel.SaveAs(path, rows, sheetName: "Learners"));
            var length = new FileInfo(path).Length;
            File.Delete(path);
            return length;
        }

        // Warm-up of both paths (JIT, MiniExcel's type cache, EF's compiled query).
        var warmRows = await LoadRowsAsync(app, sessions[sizes[0]]);
        await AppExportAsync(sessions[sizes[0]]);
        await DirectAsync(warmRows);
        warmRows = null;

        var figures = new List<Figure>();
        foreach (var size in sizes)
        {
            // Interleaved repetitions (direct, app, direct, app, ...); each figure is the median of its repetitions.
            var repetitions = size <= 10_000 ? 7 : 3;
            var rows = await LoadRowsAsync(app, sessions[size]);
            var directRuns = new List<Measured>();
            var appRuns = new List<Measured>();
            for (var r = 0; r < repetitions; r++)
            {
                directRuns.Add(await MeasureAsync(() => DirectAsync(rows)));
                appRuns.Add(await MeasureAsync(() => AppExportAsync(sessions[size])));
            }

            rows = null;
            var direct = Median(directRuns);
            var appRun = Median(appRuns);
            var ratios = appRuns.Zip(directRuns, (a, d) => a.Ms / d.Ms).ToList();
            const double mib = 1024 * 1024;
            var how = $"{size:N0} Registered learners, 9 columns, median of {repetitions} interleaved runs, same process; {BenchApp.Machine}";
            figures.Add(new($"Export {size:N0}: the app's ExportLearners (query + sheet rows + MiniExcel to a file)", appRun.Ms, "ms", how + $"; {appRun.Bytes / 1024.0:F0} KiB file"));
            figures.Add(new($"Export {size:N0}: MiniExcel writing the same rows directly (rows already in memory)", direct.Ms, "ms", $"typed records, {direct.Bytes / 1024.0:F0} KiB file; median of {repetitions}"));
            figures.Add(new($"Export {size:N0}: time ratio app / direct", LivePathBenchmarks.Percentile(ratios, 50), "×", $"median of the {repetitions} pairwise ratios (min {ratios.Min():F2}, max {ratios.Max():F2})"));
            figures.Add(new($"Export {size:N0}: managed allocations, app", appRun.Allocated / mib, "MiB", $"direct: {direct.Allocated / mib:F1} MiB; extra: {(appRun.Allocated - direct.Allocated) / mib:F1} MiB (GC.GetTotalAllocatedBytes, whole process, median)"));
            figures.Add(new($"Export {size:N0}: peak working set over the settled baseline, app", appRun.PeakExtra / mib, "MiB", $"direct: {direct.PeakExtra / mib:F1} MiB; extra: {(appRun.PeakExtra - direct.PeakExtra) / mib:F1} MiB (sampled every 5 ms after a full GC; the direct rows are already in the baseline)"));
            Console.WriteLine($"  export: {size} done");
        }

        return figures;
    }

    private static async Task<Measured> MeasureAsync(Func<Task<long>> action)
    {
        var baseline = BenchApp.SettledMemory().WorkingSet;
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                try
                {
                    await Task.Delay(5, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var bytes = await action();
        var ms = watch.Elapsed.TotalMilliseconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        await stop.CancelAsync();
        await sampler;
        return new Measured(ms, allocated, peak - baseline, bytes);
    }

    private static async Task<List<DirectRow>> LoadRowsAsync(BenchApp app, int sessionId)
    {
        await using var db = await app.Db();
        var rows = await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId).OrderBy(l => l.Employee.Name)
            .Select(l => new { l.Employee.Name, l.Employee.Email, l.Employee.Department, Manager = l.Employee.Manager != null ? l.Employee.Manager.Name : string.Empty, l.Status, l.StatusChangedAt, l.RegisteredAt })
            .ToListAsync();
        return rows.Select(r => new DirectRow(r.Name, r.Email, r.Department, r.Manager, r.Status.Display(),
            r.StatusChangedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), null,
            r.RegisteredAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, string.Empty)).ToList();
    }

    private static Measured Median(List<Measured> runs) => new(
        LivePathBenchmarks.Percentile(runs.Select(r => r.Ms).ToList(), 50),
        (long)LivePathBenchmarks.Percentile(runs.Select(r => (double)r.Allocated).ToList(), 50),
        (long)LivePathBenchmarks.Percentile(runs.Select(r => (double)r.PeakExtra).ToList(), 50),
        runs[0].Bytes);

    private sealed record Measured(double Ms, long Allocated, long PeakExtra, long Bytes);

    internal sealed record DirectRow(string Name, string Email, string Department, string Manager, string Status, string StatusChangedAt, int? WaitingListPosition, string RegisteredAt, string Attended);

    /// <summary>
    /// Refused sign-ins, 50 with a known email and 50 with an unknown one, interleaved: the medians must not tell
    /// which emails have accounts (goal: within 10 ms). Each try comes from its own client address (X-Forwarded-For
    /// from loopback, which the app trusts), so the sign-in limits do not step in.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> SignInTimingAsync()
    {
        await using var app = await BenchApp.StartAsync();
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var tries = 0;
        async Task<double> RefuseAsync(string email)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = System.Net.Http.Json.JsonContent.Create(new { email, password = "not-the-password" }) };
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{++tries % 250 + 1}");
            var watch = Stopwatch.StartNew();
            using var answer = await client.SendAsync(request);
            watch.Stop();
            if (answer.StatusCode != System.Net.HttpStatusCode.Unauthorized)
            {
                throw new InvalidOperationException($"A refused sign-in answered {(int)answer.StatusCode}.");
            }

            return watch.Elapsed.TotalMilliseconds;
        }

        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            known.Add(await RefuseAsync(DemoSeeder.TrainerEmail));
            unknown.Add(await RefuseAsync($"ghost{i}@bench.example"));
        }

        var (knownMedian, unknownMedian) = (LivePathBenchmarks.Percentile(known, 50), LivePathBenchmarks.Percentile(unknown, 50));
        const string how = "50 refused sign-ins each, interleaved, one client";
        return
        [
            new("Refused sign-in, known email, median", knownMedian, "ms", how),
            new("Refused sign-in, unknown email, median", unknownMedian, "ms", how),
            new("Refused sign-in: difference of the medians", Math.Abs(knownMedian - unknownMedian), "ms", "goal: under 10 ms"),
        ];
    }
}

/// <summary>Counts SendOutboxEmail jobs entering the Enqueued state (a Hangfire global filter, added once per process).</summary>
internal sealed class EnqueuedSends : IApplyStateFilter
{
    private static readonly EnqueuedSends Instance = new();
    private static int registered;
    private int count;
    private long lastAt;

    public static EnqueuedSends Start()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            Hangfire.GlobalJobFilters.Filters.Add(Instance);
        }

        Interlocked.Exchange(ref Instance.count, 0);
        return Instance;
    }

    /// <summary>Milliseconds from <paramref name="startedAt"/> at the moment the <paramref name="target"/>th job was enqueued.</summary>
    public async Task<double> WhenCountAsync(int target, long startedAt, TimeSpan ceiling)
    {
        var limit = Stopwatch.StartNew();
        while (Volatile.Read(ref count) < target)
        {
            if (limit.Elapsed > ceiling)
            {
                throw new TimeoutException($"Only {count} of {target} send jobs were enqueued.");
            }

            await Task.Delay(5);
        }

        return Stopwatch.GetElapsedTime(startedAt, Volatile.Read(ref lastAt)).TotalMilliseconds;
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is EnqueuedState && context.BackgroundJob.Job?.Type == typeof(SendOutboxEmail))
        {
            Volatile.Write(ref lastAt, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref count);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
