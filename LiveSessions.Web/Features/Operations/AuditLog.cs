using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Operations;

/// <summary>What the audit log records.</summary>
public enum AuditAction
{
    SignIn,
    SignInFailed,
    SignOut,
    AccountInvited,
    RolesChanged,
    AccountLocked,
    AccountUnlocked,
    PasswordReset,
    StatusChanged,
    Exported,
    BulkEmail,
    Imported,
    AutomationChanged,
}

/// <summary>
/// One line of the audit log: who did what to what, when, from where. It never holds a password or a token: details
/// are written by the app from what was done, never copied from a request.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>The signed-in user's email, "anonymous" for a failed sign-in, "system" for the app's own jobs.</summary>
    public string Actor { get; private set; } = string.Empty;

    public AuditAction Action { get; private set; }

    /// <summary>What it acted on: an account's email, "session 12".</summary>
    public string Subject { get; private set; } = string.Empty;

    public string Details { get; private set; } = string.Empty;

    public string? ClientAddress { get; private set; }

    public static AuditEntry Of(DateTimeOffset at, string actor, AuditAction action, string subject, string details, string? clientAddress = null) => new()
    {
        At = at,
        Actor = Cut(actor, 320),
        Action = action,
        Subject = Cut(subject, 320),
        Details = Cut(details, 2000),
        ClientAddress = clientAddress is null ? null : Cut(clientAddress, 64),
    };

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}

/// <summary>
/// Writes and reads the audit log. Changes made in a session's unit of work add their line to it (one commit); the
/// rest (sign-ins, exports, account changes) write it here, taking their write turn like any writer.
/// </summary>
public sealed class AuditLog(IDbContextFactory<LiveSessionsDbContext> contexts, SqliteWriteQueue writes, TimeProvider clock)
{
    public async Task WriteAsync(string actor, AuditAction action, string subject, string details, string? clientAddress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        using var turn = await writes.EnterAsync(db, cancellationToken);
        db.AuditEntries.Add(AuditEntry.Of(clock.GetUtcNow(), actor, action, subject, details, clientAddress));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The newest lines first, filtered; admins only.</summary>
    public async Task<Outcome<IReadOnlyList<AuditEntry>>> ListAsync(AuditAction? action, string? actor, DateTimeOffset? from, DateTimeOffset? to, int take, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can read the audit log.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (action is { } a)
        {
            query = query.Where(e => e.Action == a);
        }

        if (!string.IsNullOrWhiteSpace(actor))
        {
            var who = actor.Trim().ToLowerInvariant();
            query = query.Where(e => e.Actor.Contains(who) || e.Subject.Contains(who));
        }

        if (from is { } f)
        {
            query = query.Where(e => e.At >= f);
        }

        if (to is { } t)
        {
            query = query.Where(e => e.At < t);
        }

        return await query.OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
    }
}
