using LiveSessions.Domain;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Shared;

/// <summary>What a seat-deciding operation works on: its own context, the session with its roster, and now.</summary>
public sealed record SessionScope(LiveSessionsDbContext Db, LiveSession Session, DateTimeOffset Now)
{
    /// <summary>Events the operation raises besides the session's own (e.g. emails it queued).</summary>
    public List<DomainEvent> Raised { get; } = [];
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
/// Version is a concurrency token besides. Domain events are published only after the commit.
/// </summary>
public sealed class SessionUnitOfWork(
    IDbContextFactory<LiveSessionsDbContext> contextFactory,
    DomainEventPublisher publisher,
    IEnumerable<IBeforeCommitHandler> beforeCommit,
    SqliteWriteQueue writes,
    TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Runs <paramref name="work"/> on the session; a <see cref="Failure"/> result rolls everything back.</summary>
    public async Task<Outcome<T>> RunAsync<T>(int sessionId, Func<SessionScope, Task<Outcome<T>>> work, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            Outcome<T> outcome;
            List<DomainEvent> events;

            // The write turn covers the transaction only: reactions to the commit run after it, without the turn.
            using (await writes.EnterAsync(db, cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL")
                {
                    await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Sessions\" WHERE \"Id\" = {sessionId} FOR UPDATE", cancellationToken);
                }

                var session = await LoadAsync(db, sessionId, cancellationToken);
                if (session is null)
                {
                    return Failure.NotFound("The session");
                }

                var scope = new SessionScope(db, session, clock.GetUtcNow());
                outcome = await work(scope);
                if (!outcome.IsOk)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return outcome;
                }

                try
                {
                    events = session.DomainEvents.ToList();
                    await db.SaveChangesAsync(cancellationToken);
                    var raised = new List<DomainEvent>(scope.Raised);
                    foreach (var handler in beforeCommit)
                    {
                        raised.AddRange(await handler.HandleAsync(scope, events, cancellationToken));
                    }

                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    events.AddRange(raised);
                    session.ClearDomainEvents();
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
                {
                    // Another node changed the roster first: run the decision again on fresh data.
                    continue;
                }
            }

            await publisher.PublishAsync(events, cancellationToken);
            return outcome;
        }
    }

    /// <summary>A plain unit of work without a session (directory, courses, new sessions).</summary>
    public async Task<Outcome<T>> RunAsync<T>(Func<LiveSessionsDbContext, Task<Outcome<T>>> work, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        Outcome<T> outcome;
        List<DomainEvent> events;
        using (await writes.EnterAsync(db, cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            outcome = await work(db);
            if (!outcome.IsOk)
            {
                await transaction.RollbackAsync(cancellationToken);
                return outcome;
            }

            events = db.ChangeTracker.Entries<LiveSession>().SelectMany(e => e.Entity.DomainEvents).ToList();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var entry in db.ChangeTracker.Entries<LiveSession>())
            {
                entry.Entity.ClearDomainEvents();
            }
        }

        await publisher.PublishAsync(events, cancellationToken);
        return outcome;
    }

    public static Task<LiveSession?> LoadAsync(LiveSessionsDbContext db, int sessionId, CancellationToken cancellationToken) =>
        db.Sessions
            .Include(s => s.Course)
            .Include(s => s.Trainers).ThenInclude(t => t.Employee)
            .Include(s => s.Learners).ThenInclude(l => l.Employee)
            .AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
}
