namespace LiveSessions.Web.Features.Shared;

/// <summary>How far a long operation has got: "Preparing emails", 200 of 512.</summary>
public sealed record WorkProgress(string Step, int Done, int Total);

public static class WorkProgressReports
{
    /// <summary>Reports every <paramref name="every"/> items and the last one: enough to move a bar, few enough not to flood a circuit.</summary>
    public static void Report(this IProgress<WorkProgress>? progress, string step, int done, int total, int every = 25)
    {
        if (progress is not null && (done == total || done % every == 0))
        {
            progress.Report(new WorkProgress(step, done, total));
        }
    }
}

/// <summary>
/// Hands each report to a callback (a component's InvokeAsync), without capturing a synchronization context the way
/// Progress&lt;T&gt; does: the work runs off the circuit, and the page stays usable while it runs.
/// </summary>
public sealed class ReportTo<T>(Func<T, Task> report) : IProgress<T>
{
    public void Report(T value) => _ = report(value);
}
