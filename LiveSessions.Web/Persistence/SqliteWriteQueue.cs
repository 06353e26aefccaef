using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Persistence;

/// <summary>
/// Writers on this node take turns here, asynchronously, before they open a write transaction on SQLite. SQLite has
/// one writer at a time; without this queue the others would wait inside Microsoft.Data.Sqlite, which retries a busy
/// database by blocking its thread in a sleep until the lock frees, so a burst of writers starves the thread pool.
/// PostgreSQL needs no queue: its row lock orders the writers of one session and lets other sessions run.
/// </summary>
public sealed class SqliteWriteQueue
{
    /// <summary>The app's meter; <see cref="TurnHeld"/> records how long each write turn was held.</summary>
    public static readonly Meter Meter = new("LiveSessions");

    /// <summary>Milliseconds from the moment a turn is granted to the moment it is given back.</summary>
    public static readonly Histogram<double> TurnHeld = Meter.CreateHistogram<double>("livesessions.write_turn.held", unit: "ms", description: "How long each SQLite write turn was held");

    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>Waits for this writer's turn when <paramref name="db"/> is SQLite; dispose the result to end the turn.</summary>
    public async ValueTask<Turn> EnterAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return default;
        }

        await turn.WaitAsync(cancellationToken);
        return new Turn(turn, Stopwatch.GetTimestamp());
    }

    public readonly struct Turn(SemaphoreSlim? held, long grantedAt) : IDisposable
    {
        public void Dispose()
        {
            if (held is null)
            {
                return;
            }

            TurnHeld.Record(Stopwatch.GetElapsedTime(grantedAt).TotalMilliseconds);
            held.Release();
        }
    }
}
