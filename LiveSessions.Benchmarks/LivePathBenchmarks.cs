using System.Collections.Concurrent;
using System.Diagnostics;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Attendance;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Benchmarks;

/// <summary>One measured figure: what, how much, in which unit, and how it was taken.</summary>
internal sealed record Figure(string What, double Value, string Unit, string How);

/// <summary>
/// The timings that used to sit in the test suite (live roster latency, trainer-to-trainer marks, 30 taps, the
/// registration burst), measured here at the feature handlers on the real SQLite file, where a loaded machine slows
/// a figure instead of failing a test.
/// </summary>
internal sealed class LivePathBenchmarks(IServiceProvider services, int courseId, CurrentUser admin)
{
    private int people;

    public async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var figures = new List<Figure>();
        figures.AddRange(await LiveRosterAsync());
        figures.AddRange(await AttendanceAsync());
        figures.AddRange(await RegistrationBurstAsync());
        return figures;
    }

    /// <summary>An admin's Update Status of 3 learners → the open views of the session are told (the notifier's handler runs).</summary>
    private async Task<IReadOnlyList<Figure>> LiveRosterAsync()
    {
        const int runs = 20;
        var session = await NewSessionAsync(capacity: runs * 3, waitingList: false);
        var emails = await NewPeopleAsync(runs * 3);
        var added = (await Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(emails), admin)).Value!.Added;
        var latencies = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var group = added.Skip(run * 3).Take(3).Select(l => l.Id).ToList();
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var view = Get<RosterChangeNotifier>().Subscribe(session.Id, change =>
            {
                if (group.All(id => change.Learners.Any(l => l.Id == id && l.Status == LearnerStatus.Registered)))
                {
                    seen.TrySetResult();
                }

                return Task.CompletedTask;
            });
            var watch = Stopwatch.StartNew();
            await Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest(group, LearnerStatus.Registered), admin);
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        return
        [
            new("Live roster: Update Status of 3 → open view told, median", Percentile(latencies, 50), "ms", $"{runs} runs, 1 subscribed view"),
            new("Live roster: Update Status of 3 → open view told, p95", Percentile(latencies, 95), "ms", $"{runs} runs, 1 subscribed view"),
        ];
    }

    /// <summary>A trainer's tap → the other trainer's form is told; 30 taps one by one; mark all remaining.</summary>
    private async Task<IReadOnlyList<Figure>> AttendanceAsync()
    {
        const int learners = 30;
        var oneByOne = await SeatedSessionAsync(learners);
        var tapLatencies = new List<double>();
        var whole = Stopwatch.StartNew();
        foreach (var learnerId in oneByOne.LearnerIds)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var otherTrainer = Get<RosterChangeNotifier>().Subscribe(oneByOne.SessionId, change =>
            {
                if (change.Learners.Any(l => l.Id == learnerId && l.Status == LearnerStatus.Attended))
                {
                    seen.TrySetResult();
                }

                return Task.CompletedTask;
            });
            var watch = Stopwatch.StartNew();
            var tap = new AttendanceTap(Guid.NewGuid().ToString("N"), learnerId, Attended: true, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var saved = (await Get<SaveTaps>().HandleAsync(oneByOne.SessionId, [tap], admin)).Single();
            if (saved.Result != TapResult.Saved)
            {
                throw new InvalidOperationException($"The tap was not saved: {saved.Result} {saved.Message}");
            }

            await seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
            tapLatencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        whole.Stop();
        var markAll = await SeatedSessionAsync(learners);
        var markAllWatch = Stopwatch.StartNew();
        await Get<MarkRemainingAttended>().HandleAsync(markAll.SessionId, admin);
        markAllWatch.Stop();

        return
        [
            new("Attendance: one trainer's tap → other trainer told, median", Percentile(tapLatencies, 50), "ms", $"{learners} taps"),
            new("Attendance: one trainer's tap → other trainer told, p95", Percentile(tapLatencies, 95), "ms", $"{learners} taps"),
            new($"Attendance: {learners} learners tapped one by one, all saved", whole.Elapsed.TotalMilliseconds, "ms", "sequential taps, each awaited"),
            new($"Attendance: mark all remaining ({learners} learners)", markAllWatch.Elapsed.TotalMilliseconds, "ms", "one unit of work"),
        ];
    }

    /// <summary>200 learners register at once for 10 seats: 10 seated, 190 queued in arrival order.</summary>
    private async Task<IReadOnlyList<Figure>> RegistrationBurstAsync()
    {
        const int crowd = 200;
        var session = await NewSessionAsync(capacity: 10, waitingList: true);
        var emails = await NewPeopleAsync(crowd);
        var register = Get<RegisterLearner>();
        var latencies = new ConcurrentBag<double>();
        var whole = Stopwatch.StartNew();
        await Task.WhenAll(emails.Select(email => Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            await register.HandleAsync(session.Id, new CurrentUser(email, email, new HashSet<string> { Roles.Learner }));
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        })));
        whole.Stop();
        var list = latencies.ToList();

        return
        [
            new($"Registration burst: {crowd} at once for 10 seats, all decided", whole.Elapsed.TotalMilliseconds, "ms", "concurrent RegisterLearner calls"),
            new("Registration burst: decisions per second", crowd / whole.Elapsed.TotalSeconds, "/s", $"{crowd} decisions"),
            new("Registration burst: one registration, p50", Percentile(list, 50), "ms", "from call to outcome"),
            new("Registration burst: one registration, p99", Percentile(list, 99), "ms", "from call to outcome"),
        ];
    }

    private async Task<(int SessionId, IReadOnlyList<int> LearnerIds)> SeatedSessionAsync(int count)
    {
        var session = await NewSessionAsync(capacity: count, waitingList: false);
        var ids = new List<int>();
        foreach (var email in await NewPeopleAsync(count))
        {
            var registered = await Get<RegisterLearner>().HandleAsync(session.Id, new CurrentUser(email, email, new HashSet<string> { Roles.Learner }));
            ids.Add(registered.Value!.Learner.Id);
        }

        return (session.Id, ids);
    }

    private async Task<SessionView> NewSessionAsync(int capacity, bool waitingList)
    {
        var start = DateTimeOffset.UtcNow.AddDays(10);
        var created = await Get<SaveSession>().CreateAsync(new SessionFields
        {
            CourseId = courseId, Title = $"Live bench {Guid.NewGuid():N}"[..20], Start = start, End = start.AddHours(2), MaxCapacity = capacity, EnableWaitingList = waitingList, EnableCalendar = false, RequiresApproval = false,
        }, admin);
        return (await Get<SetSessionStatus>().HandleAsync(created.Value!.Id, SessionStatus.Ready, admin)).Value!;
    }

    private async Task<List<string>> NewPeopleAsync(int count)
    {
        var emails = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref people);
            var email = $"live{n}@bench.example";
            await Get<EmployeeDirectory>().CreateAsync(new EmployeeFields($"Live {n:D5}", email, "Live", null), admin);
            emails.Add(email);
        }

        return emails;
    }

    private T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    public static double Percentile(IReadOnlyList<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
