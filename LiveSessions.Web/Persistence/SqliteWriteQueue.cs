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
    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>Waits for this writer's turn when <paramref name="db"/> is SQLite; dispose the result to end the turn.</summary>
    public async ValueTask<Turn> EnterAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return default;
        }

        await turn.WaitAsync(cancellationToken);
        return new Turn(turn);
    }

    public readonly struct Turn(SemaphoreSlim? held) : IDisposable
    {
        public void Dispose() => held?.Release();
    }
}
