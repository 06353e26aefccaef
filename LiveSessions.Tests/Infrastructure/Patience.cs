using Hangfire.States;
using Hangfire.Storage;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>
/// How long a test waits for something that should happen. Waits end as soon as the event they wait for arrives;
/// the ceiling only bounds a hang, so it is generous enough for a loaded 2-core machine and never a speed goal
/// (speed lives in LiveSessions.Benchmarks).
/// </summary>
public static class Patience
{
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(30);

    public const float CeilingMs = 30_000;

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="done"/> holds, reading again each time a background job
    /// changes state (the only writers of such state: an outbox row a send job updates).
    /// </summary>
    public static async Task<T> UntilJobsMakeAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> done, string what, CancellationToken cancellationToken)
    {
        using var ceiling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ceiling.CancelAfter(Ceiling);
        while (true)
        {
            // Take the next signal before reading, so a job that finishes between the read and the wait still wakes us.
            var next = JobStateSignal.Next;
            var last = await read(cancellationToken);
            if (done(last))
            {
                return last;
            }

            try
            {
                await next.WaitAsync(ceiling.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Waited {Ceiling.TotalSeconds:F0} s for {what}; last seen: {last}.");
            }
        }
    }
}

/// <summary>A Hangfire filter that completes a task each time any job of any test app changes state.</summary>
public sealed class JobStateSignal : IApplyStateFilter
{
    private static TaskCompletionSource current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static int registered;

    /// <summary>Completes at the next job state change.</summary>
    public static Task Next => Volatile.Read(ref current).Task;

    /// <summary>Adds the filter to Hangfire's global filters once per test run.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            Hangfire.GlobalJobFilters.Filters.Add(new JobStateSignal());
        }
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction) =>
        Interlocked.Exchange(ref current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
