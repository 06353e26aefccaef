using System.Collections.Concurrent;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Live;

/// <summary>What changed in one session, after the commit: the changed learners and the session's seats now.</summary>
public sealed record RosterChanged(
    int SessionId,
    IReadOnlyList<LearnerRow> Learners,
    double FillRate,
    int SeatsTaken,
    int SeatsHeld,
    int SeatsFree,
    int MaxCapacity,
    IReadOnlyDictionary<LearnerStatus, int> Counts,
    SessionStatus SessionStatus,
    string Actor,
    DateTimeOffset At,
    int FromVersion,
    int Version);

/// <summary>
/// Tells the live views of this node (per session, or all sessions for the dashboard) and the hub clients of a
/// session what changed. Fed by <see cref="ChangeFeedDispatcher"/> from the committed change feed, never by a request.
/// </summary>
public sealed partial class RosterChangeNotifier(
    IDbContextFactory<LiveSessionsDbContext> contextFactory,
    IHubContext<RosterHub> hub,
    RosterAudience audience,
    Accounts.AccountValidity validity,
    TimeProvider clock,
    ILogger<RosterChangeNotifier> logger)
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Guid, Subscriber>> bySession = new();
    private readonly ConcurrentDictionary<Guid, Subscriber> everySession = new();

    /// <summary>Calls <paramref name="handler"/> after every committed change to the session until disposed.</summary>
    public IDisposable Subscribe(int sessionId, Func<RosterChanged, Task> handler)
    {
        var id = Guid.NewGuid();
        var subscriber = new Subscriber(handler, logger);
        bySession.GetOrAdd(sessionId, _ => new()).TryAdd(id, subscriber);
        return new Subscription(() =>
        {
            subscriber.Stop();
            if (bySession.TryGetValue(sessionId, out var handlers))
            {
                handlers.TryRemove(id, out _);
            }
        });
    }

    /// <summary>Calls <paramref name="handler"/> after every committed change to any session (the dashboard).</summary>
    public IDisposable SubscribeAll(Func<RosterChanged, Task> handler)
    {
        var id = Guid.NewGuid();
        var subscriber = new Subscriber(handler, logger);
        everySession.TryAdd(id, subscriber);
        return new Subscription(() =>
        {
            subscriber.Stop();
            everySession.TryRemove(id, out _);
        });
    }

    public int SubscriberCount(int sessionId) => bySession.TryGetValue(sessionId, out var h) ? h.Count : 0;

    /// <summary>Reads the session's seats and the changed learners once, then tells every view and hub client.</summary>
    public async Task TellAsync(int sessionId, IReadOnlyCollection<int> learnerIds, string actor, int fromVersion, int version, CancellationToken cancellationToken)
    {
        var change = await SnapshotAsync(sessionId, learnerIds, actor, fromVersion, version, cancellationToken);
        if (change is null)
        {
            return;
        }

        // Views are handed the change without waiting for them: a slow view (a circuit on a bad connection) delays
        // no other view and not the feed, and one that throws (a closed circuit) keeps nobody else from hearing.
        foreach (var subscriber in (bySession.TryGetValue(sessionId, out var h) ? h.Values : []).Concat(everySession.Values))
        {
            subscriber.Tell(change);
        }

        // One send per connection: a connection of this node is written to directly, never through the Redis
        // backplane (whose group and multi-connection sends publish to Redis), so a Redis outage loses no change.
        await Task.WhenAll((await StillAllowedAsync(sessionId, audience.Of(sessionId), cancellationToken))
            .Select(connectionId => hub.Clients.Client(connectionId).SendAsync("RosterChanged", change, cancellationToken)));
    }

    /// <summary>
    /// The listeners that may still hear the session: access is checked at every send, not only when a connection
    /// joined, so a trainer taken off the session, or an account revoked, hears nothing more and is dropped.
    /// </summary>
    private async Task<List<string>> StillAllowedAsync(int sessionId, IReadOnlyList<(string ConnectionId, System.Security.Claims.ClaimsPrincipal User)> listeners, CancellationToken cancellationToken)
    {
        var allowed = new List<string>(listeners.Count);
        HashSet<string>? trainers = null;
        foreach (var (connectionId, principal) in listeners)
        {
            var user = CurrentUser.From(principal);
            var may = await validity.StandsAsync(principal);
            if (may && !user.IsAdmin)
            {
                if (trainers is null)
                {
                    await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
                    trainers = (await db.Sessions.Where(s => s.Id == sessionId).SelectMany(s => s.Trainers.Select(t => t.Employee.Email)).ToListAsync(cancellationToken))
                        .ToHashSet(StringComparer.OrdinalIgnoreCase);
                }

                may = user.IsTrainer && trainers.Contains(user.Email);
            }

            if (may)
            {
                allowed.Add(connectionId);
            }
            else
            {
                audience.Leave(connectionId, sessionId);
                LogDropped(connectionId, sessionId);
            }
        }

        return allowed;
    }

    /// <summary>What a view is told about a session now: its seats and the given learners' rows.</summary>
    public async Task<RosterChanged?> SnapshotAsync(int sessionId, IReadOnlyCollection<int> learnerIds, string actor, int fromVersion, int version, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.MaxCapacity, s.Status }).FirstOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var seats = await SeatCounts.OfAsync(db, sessionId, session.MaxCapacity, now, cancellationToken);
        var changed = await db.Learners.AsNoTracking().Include(l => l.Employee)
            .Where(l => l.SessionId == sessionId && learnerIds.Contains(l.Id)).ToListAsync(cancellationToken);
        var waiting = changed.Where(l => l.Status == LearnerStatus.WaitingList).Select(l => l.Id).ToList();
        var positions = waiting.Count == 0 ? new Dictionary<int, int>() : await SeatCounts.PlacesInLineAsync(db, sessionId, waiting, cancellationToken);
        return new RosterChanged(
            sessionId,
            changed.Select(l => LearnerRow.From(l, positions.TryGetValue(l.Id, out var p) ? p : null)).ToList(),
            seats.FillRate,
            seats.Taken,
            seats.Held,
            seats.Free,
            session.MaxCapacity,
            seats.Counts,
            session.Status,
            actor,
            now,
            fromVersion,
            version);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live subscriber of session {SessionId} failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception ex, int sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub connection {ConnectionId} no longer may hear session {SessionId}: dropped from it")]
    private partial void LogDropped(string connectionId, int sessionId);

    /// <summary>One view: told every change in order, one at a time, without anyone waiting on it.</summary>
    private sealed class Subscriber(Func<RosterChanged, Task> handler, ILogger logger)
    {
        private readonly Lock gate = new();
        private Task tail = Task.CompletedTask;
        private volatile bool stopped;

        public void Tell(RosterChanged change)
        {
            lock (gate)
            {
                tail = tail.ContinueWith(_ => RunAsync(change), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
        }

        public void Stop() => stopped = true;

        private async Task RunAsync(RosterChanged change)
        {
            if (stopped)
            {
                return;
            }

            try
            {
                await handler(change);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(logger, ex, change.SessionId);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? onDispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref onDispose, null)?.Invoke();
    }
}
