namespace LiveSessions.Web.Features.Shared;

/// <summary>How far a long operation has got: "Preparing emails", 200 of 512.</summary>
public sealed record WorkProgress(string Step, int Done, int Total);

public static class WorkProgressReports
{
    /// <summary>
    /// Reports every <paramref name="every"/> items (at most a hundred times in all) and the last one: enough to move a
    /// bar, few enough not to flood a circuit with renders.
    /// </summary>
    public static void Report(this IProgress<WorkProgress>? progress, string step, int done, int total, int every = 25)
    {
        var step100 = Math.Max(every, (total + 99) / 100);
        if (progress is not null && (done == total || done % step100 == 0))
        {
            progress.Report(new WorkProgress(step, done, total));
        }
    }

    /// <summary>
    /// Reports for a component running work off its circuit: each one is handed to <paramref name="show"/> and rendered
    /// in the component's own turn (pass the component's InvokeAsync and StateHasChanged).
    /// </summary>
    public static IProgress<WorkProgress> OnScreen(Func<Action, Task> invokeAsync, Action<WorkProgress> show, Action render) =>
        new ReportTo<WorkProgress>(p => invokeAsync(() =>
        {
            show(p);
            render();
        }));
}

/// <summary>
/// Hands each report to a callback (a component's InvokeAsync), without capturing a synchronization context the way
/// Progress&lt;T&gt; does: the work runs off the circuit, and the page stays usable while it runs.
/// </summary>
public sealed class ReportTo<T>(Func<T, Task> report) : IProgress<T>
{
    /// <summary>A screen needs no more than ten updates a second; the rest would only queue renders.</summary>
    private const long MinimumGapMs = 100;
    private long lastAt = long.MinValue / 2;

    public void Report(T value)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref lastAt);
        var finished = value is WorkProgress p && p.Done == p.Total;
        if (!finished && now - last < MinimumGapMs)
        {
            return;
        }

        Interlocked.Exchange(ref lastAt, now);
        _ = report(value);
    }
}
