using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Shared;

/// <summary>
/// A preview: the very decision a commit makes, run on a context of its own that is then thrown away unsaved. It
/// opens no transaction and takes no write turn, so a preview of a big file never holds up seat decisions (SQLite
/// WAL readers do not block the writer). What it reads may change before the commit, which decides again anyway.
/// </summary>
public sealed class DryRun(IDbContextFactory<LiveSessionsDbContext> contextFactory, SessionUnitOfWork work, TimeProvider clock)
{
    /// <summary>Runs <paramref name="decide"/> on the session and its roster, then discards every change.</summary>
    public async Task<Outcome<T>> PreviewAsync<T>(int sessionId, Func<SessionScope, Task<Outcome<T>>> decide, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await SessionUnitOfWork.LoadAsync(db, sessionId, cancellationToken);
        if (session is null)
        {
            return Failure.NotFound("The session");
        }

        return await decide(new SessionScope(db, session, clock.GetUtcNow()));
    }

    /// <summary>Runs <paramref name="decide"/> without a session (the directory), then discards every change.</summary>
    public async Task<Outcome<T>> PreviewAsync<T>(Func<LiveSessionsDbContext, Task<Outcome<T>>> decide, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await decide(db);
    }

    /// <summary>The same decision as a preview, or committed as one unit of work on the session.</summary>
    public Task<Outcome<T>> PreviewOrCommitAsync<T>(bool commit, int sessionId, Func<SessionScope, Task<Outcome<T>>> decide, CancellationToken cancellationToken = default) =>
        commit ? work.RunAsync(sessionId, decide, cancellationToken) : PreviewAsync(sessionId, decide, cancellationToken);

    /// <summary>The same decision as a preview, or committed as one unit of work without a session.</summary>
    public Task<Outcome<T>> PreviewOrCommitAsync<T>(bool commit, Func<LiveSessionsDbContext, Task<Outcome<T>>> decide, CancellationToken cancellationToken = default) =>
        commit ? work.RunAsync(decide, cancellationToken) : PreviewAsync(decide, cancellationToken);
}
