using LiveSessions.Web.Features.Automation;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Live;

/// <summary>
/// Reads the committed change feed in order and reacts, off every request path. Two readers run side by side:
/// <list type="bullet">
/// <item>the live reader tells this node's views and hub clients, coalescing a burst into one snapshot per session;
/// its position lives in memory (views do not outlive the process, and a view that sees a version gap re-reads);</item>
/// <item>the reactions reader hands queued emails to the sender and plans session automation; its position is
/// written to the database after each batch, so a crash or restart resumes where it stopped (reactions are
/// idempotent, so the batch a crash interrupted may run again but sends and schedules nothing twice).</item>
/// </list>
/// Woken by each commit on this node; it also looks at the feed every <see cref="PollInterval"/> in case a wake was missed.
/// </summary>
public sealed partial class ChangeFeedDispatcher(
    IDbContextFactory<LiveSessionsDbContext> contextFactory,
    RosterChangeNotifier notifier,
    OutboxDispatcher outbox,
    SessionAutomationScheduler automation,
    SqliteWriteQueue writes,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<ChangeFeedDispatcher> logger) : BackgroundService
{
    public const string ReactionsCursor = "reactions";

    /// <summary>How often the feed is read without a wake-up (<c>LiveSessions:FeedPollSeconds</c>, 2 by default).</summary>
    public TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(configuration.GetValue<double?>("LiveSessions:FeedPollSeconds") ?? 2);

    /// <summary>Feed rows older than this, and already reacted to, are deleted.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    private const int BatchSize = 500;

    private readonly WakeSignal liveWake = new();
    private readonly WakeSignal reactionsWake = new();
    private readonly SemaphoreSlim liveTurn = new(1, 1);
    private readonly SemaphoreSlim reactionsTurn = new(1, 1);
    private volatile bool paused;
    private long liveCursor = -1;
    private DateTimeOffset lastPrune = DateTimeOffset.MinValue;

    /// <summary>A commit on this node appended to the feed: read it now rather than at the next poll.</summary>
    public void Wake()
    {
        liveWake.Set();
        reactionsWake.Set();
    }

    /// <summary>Stops reacting after the batch in hand (draining a node, or proving a restart loses nothing).</summary>
    public void Pause() => paused = true;

    public void Resume()
    {
        paused = false;
        Wake();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Views opened from now on are told from here; older rows were for views of a previous process.
        await using (var db = await contextFactory.CreateDbContextAsync(stoppingToken))
        {
            liveCursor = await db.ChangeFeed.MaxAsync(f => (long?)f.Id, stoppingToken) ?? 0;
        }

        try
        {
            await Task.WhenAll(RunLiveAsync(stoppingToken), RunReactionsAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (or disposed without a stop): what is left is read by the next start.
        }
    }

    private async Task RunLiveAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await WaitAsync(liveWake, stoppingToken);
            try
            {
                while (!paused && await TellViewsAsync(stoppingToken))
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The views missed this batch: the next change they hear carries a version gap, and they re-read.
                LogLiveFailed(logger, ex);
            }
        }
    }

    private async Task RunReactionsAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            await WaitAsync(reactionsWake, stoppingToken);
            try
            {
                while (!paused && await ReactAsync(stoppingToken))
                {
                }

                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The cursor did not move: the same rows are tried again, after a pause that grows with each failure.
                failures++;
                LogReactionsFailed(logger, ex, failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 1 << Math.Min(failures, 6))), stoppingToken);
            }
        }
    }

    // Polls on real time: the app's clock may be a test's fake one that only moves when told.
    private Task WaitAsync(WakeSignal wake, CancellationToken stoppingToken) => wake.WaitAsync(PollInterval, stoppingToken);

    /// <summary>Tells the views about the next batch of rows; false when there were none.</summary>
    private async Task<bool> TellViewsAsync(CancellationToken cancellationToken)
    {
        await liveTurn.WaitAsync(cancellationToken);
        try
        {
            return await TellNextBatchAsync(cancellationToken);
        }
        finally
        {
            liveTurn.Release();
        }
    }

    private async Task<bool> TellNextBatchAsync(CancellationToken cancellationToken)
    {
        List<ChangeFeedEntry> rows;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var after = liveCursor;
            rows = await db.ChangeFeed.AsNoTracking().Where(f => f.Id > after).OrderBy(f => f.Id).Take(BatchSize).ToListAsync(cancellationToken);
        }

        if (rows.Count == 0)
        {
            return false;
        }

        liveCursor = rows[^1].Id;
        // One snapshot per session however many rows it had in the batch; its version range spans them all.
        await Task.WhenAll(rows.GroupBy(r => r.SessionId).Select(session => notifier.TellAsync(
            session.Key,
            session.SelectMany(r => r.LearnerIdList()).ToHashSet(),
            session.Last().Actor,
            session.First().FromVersion,
            session.Last().Version,
            cancellationToken)));
        return true;
    }

    /// <summary>Reacts to the next batch of rows after the durable cursor; false when there were none.</summary>
    private async Task<bool> ReactAsync(CancellationToken cancellationToken)
    {
        await reactionsTurn.WaitAsync(cancellationToken);
        try
        {
            return await ReactToNextBatchAsync(cancellationToken);
        }
        finally
        {
            reactionsTurn.Release();
        }
    }

    private async Task<bool> ReactToNextBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        // On PostgreSQL every node runs this reader over the one feed: a transaction-scoped advisory lock lets one node
        // at a time take a batch and move the cursor, so each batch is reacted to by one node (another node waits, then
        // finds the cursor moved on).
        await using var transaction = db.Database.IsNpgsql() ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ReactionsLockKey})", cancellationToken);
        }

        var reacted = await ReactWithinAsync(db, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return reacted;
    }

    // An arbitrary number that names the reactions reader's lock among the database's advisory locks.
    private const long ReactionsLockKey = 0x4C53_5245_4143;

    private async Task<bool> ReactWithinAsync(LiveSessionsDbContext db, CancellationToken cancellationToken)
    {
        var cursor = await db.FeedCursors.FirstOrDefaultAsync(c => c.Name == ReactionsCursor, cancellationToken);
        if (cursor is null)
        {
            cursor = new FeedCursor { Name = ReactionsCursor };
            db.FeedCursors.Add(cursor);
        }

        var after = cursor.Position;
        var rows = await db.ChangeFeed.AsNoTracking().Where(f => f.Id > after).OrderBy(f => f.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            await PruneAsync(db, after, cancellationToken);
            return false;
        }

        outbox.Enqueue(rows.SelectMany(r => r.OutboxIdList()));
        var toPlan = rows.Where(r => (r.Changes & (FeedChange.BecameReady | FeedChange.SessionDetails)) != 0).Select(r => r.SessionId).Distinct().ToList();
        cursor.Position = rows[^1].Id;
        using (await writes.EnterAsync(db, cancellationToken))
        {
            if (toPlan.Count > 0)
            {
                await automation.PlanSessionsAsync(db, toPlan, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    private async Task PruneAsync(LiveSessionsDbContext db, long reactedUpTo, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - lastPrune < TimeSpan.FromHours(1))
        {
            return;
        }

        lastPrune = now;
        var before = now - Retention;
        using var turn = await writes.EnterAsync(db, cancellationToken);
        await db.ChangeFeed.Where(f => f.Id <= reactedUpTo && f.At < before).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Reads the feed up to its end now, on the caller's thread (tests, and a node resuming after a pause).</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        while (await TellViewsAsync(cancellationToken))
        {
        }

        while (await ReactAsync(cancellationToken))
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling live views from the change feed failed")]
    private static partial void LogLiveFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reacting to the change feed failed ({Failures} in a row); retrying the same rows")]
    private static partial void LogReactionsFailed(ILogger logger, Exception ex, int failures);

    /// <summary>A wake-up that is never lost: a signal set while nobody waits is seen by the next wait.</summary>
    private sealed class WakeSignal
    {
        private TaskCompletionSource signal = NewSignal();

        public void Set() => Volatile.Read(ref signal).TrySetResult();

        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var current = Volatile.Read(ref signal);
            try
            {
                await current.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // A poll: read the feed anyway.
            }

            // Re-armed before the caller reads the feed, so a commit after this point wakes the next wait.
            Interlocked.CompareExchange(ref signal, NewSignal(), current);
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
