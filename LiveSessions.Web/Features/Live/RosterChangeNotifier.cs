using System.Collections.Concurrent;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Roster;
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
    DateTimeOffset At);

/// <summary>
/// The one place live updates come from: fed by the unit of work after each commit, it tells every subscribed
/// component (per session, or all sessions for the dashboard) and every hub client of the session.
/// </summary>
public sealed partial class RosterChangeNotifier(
    IDbContextFactory<LiveSessionsDbContext> contextFactory,
    IHubContext<RosterHub> hub,
    TimeProvider clock,
    ILogger<RosterChangeNotifier> logger) : IDomainEventHandler
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<Guid, Func<RosterChanged, Task>>> bySession = new();
    private readonly ConcurrentDictionary<Guid, Func<RosterChanged, Task>> everySession = new();

    /// <summary>Calls <paramref name="handler"/> after every committed change to the session until disposed.</summary>
    public IDisposable Subscribe(int sessionId, Func<RosterChanged, Task> handler)
    {
        var id = Guid.NewGuid();
        bySession.GetOrAdd(sessionId, _ => new()).TryAdd(id, handler);
        return new Subscription(() =>
        {
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
        everySession.TryAdd(id, handler);
        return new Subscription(() => everySession.TryRemove(id, out _));
    }

    public int SubscriberCount(int sessionId) => bySession.TryGetValue(sessionId, out var h) ? h.Count : 0;

    public async Task HandleAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        foreach (var group in events.GroupBy(e => e.SessionId).Where(g => g.Key != 0))
        {
            var learnerIds = group.OfType<LearnerStatusChanged>().Select(e => e.LearnerId)
                .Concat(group.OfType<AttendanceConfirmed>().Select(e => e.Learner.Id))
                .Distinct().ToList();
            var actor = group.OfType<LearnerStatusChanged>().Select(e => e.Actor.Name)
                .Concat(group.OfType<SessionStatusChanged>().Select(e => e.Actor.Name)).FirstOrDefault() ?? "system";
            var change = await SnapshotAsync(group.Key, learnerIds, actor, cancellationToken);
            if (change is not null)
            {
                await PublishAsync(change);
            }
        }
    }

    /// <summary>Tells everyone about a session, e.g. after a change that raised no learner event.</summary>
    public async Task PublishSessionAsync(int sessionId, CancellationToken cancellationToken = default)
    {
        var change = await SnapshotAsync(sessionId, [], "system", cancellationToken);
        if (change is not null)
        {
            await PublishAsync(change);
        }
    }

    private async Task PublishAsync(RosterChanged change)
    {
        var handlers = (bySession.TryGetValue(change.SessionId, out var h) ? h.Values : [])
            .Concat(everySession.Values).ToList();
        // Every view is told at once and the hub clients beside them: a slow view (a circuit on a bad connection)
        // delays nobody else, and one that throws (a closed circuit) keeps nobody else from hearing.
        await Task.WhenAll([.. handlers.Select(handler => TellAsync(handler, change)), hub.Clients.Group(RosterHub.GroupOf(change.SessionId)).SendAsync("RosterChanged", change)]);
    }

    private async Task TellAsync(Func<RosterChanged, Task> handler, RosterChanged change)
    {
        try
        {
            // Yield first, so a handler that blocks before its first await cannot hold up the others either.
            await Task.Yield();
            await handler(change);
        }
        catch (Exception ex)
        {
            LogSubscriberFailed(logger, ex, change.SessionId);
        }
    }

    private async Task<RosterChanged?> SnapshotAsync(int sessionId, IReadOnlyList<int> learnerIds, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.MaxCapacity, s.Status }).FirstOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var seats = await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId)
            .Select(l => new { l.Id, l.Status, l.SeatOfferExpiresAt, l.WaitingListOrder })
            .ToListAsync(cancellationToken);
        var positions = seats.Where(l => l.Status == LearnerStatus.WaitingList).OrderBy(l => l.WaitingListOrder).ThenBy(l => l.Id)
            .Select((l, i) => (l.Id, i)).ToDictionary(x => x.Id, x => x.i + 1);
        var changed = await db.Learners.AsNoTracking().Include(l => l.Employee)
            .Where(l => l.SessionId == sessionId && learnerIds.Contains(l.Id)).ToListAsync(cancellationToken);
        var taken = seats.Count(l => l.Status.TakesSeat());
        var held = seats.Count(l => l.Status == LearnerStatus.Invited && l.SeatOfferExpiresAt > now);
        return new RosterChanged(
            sessionId,
            changed.Select(l => LearnerRow.From(l, positions.TryGetValue(l.Id, out var p) ? p : null)).ToList(),
            Domain.LiveSession.FillRateOf(taken, session.MaxCapacity),
            taken,
            held,
            Math.Max(0, session.MaxCapacity - taken - held),
            session.MaxCapacity,
            Enum.GetValues<LearnerStatus>().ToDictionary(s => s, s => seats.Count(l => l.Status == s)),
            session.Status,
            actor,
            now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live subscriber of session {SessionId} failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception ex, int sessionId);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? onDispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref onDispose, null)?.Invoke();
    }
}
