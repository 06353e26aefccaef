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
    /// Reads <paramref name="read"/> until <paramref name="done"/> holds. For state that lives in a database and raises
    /// no event a test can await (an outbox row a job updates); it repeats a read, never an action.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> done, string what, CancellationToken cancellationToken)
    {
        using var ceiling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ceiling.CancelAfter(Ceiling);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var last = await read(cancellationToken);
        while (!done(last))
        {
            try
            {
                await tick.WaitForNextTickAsync(ceiling.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Waited {Ceiling.TotalSeconds:F0} s for {what}; last seen: {last}.");
            }

            last = await read(cancellationToken);
        }

        return last;
    }
}
