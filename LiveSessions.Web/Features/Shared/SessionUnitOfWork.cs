using LiveSessions.Domain;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Shared;

/// <summary>What a seat-deciding operation works on: its own context, the session with its roster, and now.</summary>
public sealed record SessionScope(LiveSessionsDbContext Db, LiveSession Session, DateTimeOffset Now)
{
    /// <summary>Events the operation raises besides the session's own (e.g. emails it queued).</summary>
    public List<DomainEvent> Raised { get; } = [];

    /// <summary>Learners an admin moved to Invited without sending the invitation (the dialog's box unticked).</summary>
    public HashSet<int> WithoutInvitation { get; } = [];

    /// <summary>Where a long operation (hundreds of learners, emails or rows) says how far it has got; null: nobody watches.</summary>
    public IProgress<WorkProgress>? Progress { get; set; }
}

/// <summary>
/// The learners a decision acts on, by id, employee or email: only they, the session's seat counts and the head of
/// its waiting list are loaded, never the whole roster.
/// </summary>
public sealed record RosterNeed(IReadOnlyCollection<int> LearnerIds, IReadOnlyCollection<int> EmployeeIds, IReadOnlyCollection<string> EmployeeEmails)
{
    public static RosterNeed Learners(IReadOnlyCollection<int> ids) => new(ids, [], []);

    public static RosterNeed Learner(int id) => new([id], [], []);

    public static RosterNeed Employee(int id) => new([], [id], []);

    public static RosterNeed Email(string email) => new([], [], [email]);
}

/// <summary>
/// Runs inside the transaction after the operation's changes are saved (ids known) and before the commit:
/// what it writes (outbox rows) commits or rolls back with the change that caused it.
/// </summary>
public interface IBeforeCommitHandler
{
    Task<IReadOnlyList<DomainEvent>> HandleAsync(SessionScope scope, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken);
}

/// <summary>
/// Runs one operation on one session's roster as a single unit of work that serialises seat decisions for that
/// session: SQLite takes the write lock at BEGIN (IMMEDIATE), PostgreSQL locks the session row; the session's
/// Version is a concurrency token besides. What happened is appended to the change feed in the same transaction;
/// the request returns after the commit and <see cref="ChangeFeedDispatcher"/> reacts to it in the background.
/// </summary>
public sealed class SessionUnitOfWork(
    IDbContextFactory<LiveSessionsDbContext> contextFactory,
    ChangeFeedDispatcher feed,
    IEnumerable<IBeforeCommitHandler> beforeCommit,
    SqliteWriteQueue writes,
    TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Runs <paramref name="work"/> on the session; a <see cref="Failure"/> result rolls everything back.</summary>
    public Task<Outcome<T>> RunAsync<T>(int sessionId, Func<SessionScope, Task<Outcome<T>>> work, CancellationToken cancellationToken = default) =>
        RunAsync(sessionId, null, work, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on the session with only the learners <paramref name="need"/> names in memory
    /// (null: the whole roster); a <see cref="Failure"/> result rolls everything back.
    /// </summary>
    public async Task<Outcome<T>> RunAsync<T>(int sessionId, RosterNeed? need, Func<SessionScope, Task<Outcome<T>>> work, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            Outcome<T> outcome;
            var changed = false;

            // The write turn covers the transaction only.
            using (await writes.EnterAsync(db, cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (db.Database.IsNpgsql())
                {
                    await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Sessions\" WHERE \"Id\" = {sessionId} FOR UPDATE", cancellationToken);
                }

                var now = clock.GetUtcNow();
                var session = need is null
                    ? await LoadAsync(db, sessionId, cancellationToken)
                    : await LoadPartAsync(db, sessionId, need, now, cancellationToken);
                if (session is null)
                {
                    return Failure.NotFound("The session");
                }

                var fromVersion = session.Version;
                var scope = new SessionScope(db, session, now);
                outcome = await work(scope);
                if (!outcome.IsOk)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return outcome;
                }

                try
                {
                    var events = session.DomainEvents.ToList();
                    await db.SaveChangesAsync(cancellationToken);
                    var raised = new List<DomainEvent>(scope.Raised);
                    foreach (var handler in beforeCommit)
                    {
                        raised.AddRange(await handler.HandleAsync(scope, events, cancellationToken));
                    }

                    events.AddRange(raised);
                    changed = events.Count > 0;
                    if (changed)
                    {
                        await TakeFeedTurnAsync(db, cancellationToken);
                        db.ChangeFeed.Add(ChangeFeedEntry.Describe(session.Id, fromVersion, session.Version, events, scope.Now));
                    }

                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    session.ClearDomainEvents();
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
                {
                    // Another node changed the roster first: run the decision again on fresh data.
                    continue;
                }
            }

            if (changed)
            {
                feed.Wake();
            }

            return outcome;
        }
    }

    /// <summary>A plain unit of work without a session (directory, courses, new sessions).</summary>
    public async Task<Outcome<T>> RunAsync<T>(Func<LiveSessionsDbContext, Task<Outcome<T>>> work, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        Outcome<T> outcome;
        var changed = false;
        using (await writes.EnterAsync(db, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            outcome = await work(db);
            if (!outcome.IsOk)
            {
                await transaction.RollbackAsync(cancellationToken);
                return outcome;
            }

            var sessions = db.ChangeTracker.Entries<LiveSession>().Select(e => e.Entity).Where(s => s.DomainEvents.Count > 0).ToList();
            await db.SaveChangesAsync(cancellationToken);

            // Saved first, so a session created here has its id for the feed.
            var now = clock.GetUtcNow();
            if (sessions.Count > 0)
            {
                await TakeFeedTurnAsync(db, cancellationToken);
            }

            foreach (var session in sessions)
            {
                db.ChangeFeed.Add(ChangeFeedEntry.Describe(session.Id, 0, session.Version, session.DomainEvents, now));
            }

            changed = sessions.Count > 0;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            sessions.ForEach(s => s.ClearDomainEvents());
        }

        if (changed)
        {
            feed.Wake();
        }

        return outcome;
    }

    /// <summary>
    /// On PostgreSQL, feed rows take their ids from a sequence before their transactions commit, so two writers could
    /// commit ids out of order and a reader that already passed the later id would never see the earlier one. A
    /// transaction-scoped advisory lock, taken last (after the session's row lock, so locks are always taken in the
    /// same order and never deadlock) and held until the commit, makes feed ids commit in order. SQLite has one
    /// writer at a time already.
    /// </summary>
    private static async Task TakeFeedTurnAsync(LiveSessionsDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            // The notification is delivered when (and only if) the transaction commits: every node's dispatcher wakes
            // for a row it can already read.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({FeedLockKey}), pg_notify({FeedWakeUp.Channel}, '')", cancellationToken);
        }
    }

    // An arbitrary number that names the feed's lock among the database's advisory locks.
    private const long FeedLockKey = 0x4C53_4645_4544;

    /// <summary>
    /// The session with only the learners a decision acts on, the head of its waiting list (as many as could be
    /// offered a seat), and the seat counts of everyone else from one aggregate query.
    /// </summary>
    public static async Task<LiveSession?> LoadPartAsync(LiveSessionsDbContext db, int sessionId, RosterNeed need, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = await db.Sessions
            .Include(s => s.Course)
            .Include(s => s.Trainers).ThenInclude(t => t.Employee)
            .AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var (all, lastOrder) = await Sessions.SeatCounts.WithLastWaitingOrderAsync(db, sessionId, session.MaxCapacity, now, cancellationToken);

        // Tracked, so EF puts them in the session's roster.
        var ids = need.LearnerIds;
        var employees = need.EmployeeIds;
        var emails = need.EmployeeEmails;
        var actedOn = await db.Learners.Include(l => l.Employee)
            .Where(l => l.SessionId == sessionId && (ids.Contains(l.Id) || employees.Contains(l.EmployeeId) || emails.Contains(l.Employee.Email)))
            .ToListAsync(cancellationToken);
        var head = LiveSession.HeadNeeded(all, actedOn, now);
        var line = head > 0
            ? await db.Learners.Include(l => l.Employee).Where(l => l.SessionId == sessionId).InLine().Take(head).ToListAsync(cancellationToken)
            : [];

        // Learners acted on who wait beyond the loaded head: their place is counted from the stored line.
        var positions = new Dictionary<int, int>();
        if (actedOn.Any(l => l.Status == LearnerStatus.WaitingList && !line.Contains(l)))
        {
            var order = await db.Learners.Where(l => l.SessionId == sessionId).InLine().Select(l => l.Id).ToListAsync(cancellationToken);
            for (var i = 0; i < order.Count; i++)
            {
                positions[order[i]] = i + 1;
            }
        }

        session.UsePartialRoster(all, lastOrder, positions, now);
        return session;
    }

    public static Task<LiveSession?> LoadAsync(LiveSessionsDbContext db, int sessionId, CancellationToken cancellationToken) =>
        db.Sessions
            .Include(s => s.Course)
            .Include(s => s.Trainers).ThenInclude(t => t.Employee)
            .Include(s => s.Learners).ThenInclude(l => l.Employee)
            .AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
}
