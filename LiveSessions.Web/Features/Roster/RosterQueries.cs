using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Roster;

/// <summary>A learner as the roster, the API and exports show them.</summary>
public sealed record LearnerRow(
    int Id,
    int EmployeeId,
    string Email,
    string Name,
    string Department,
    LearnerStatus Status,
    DateTimeOffset StatusChangedAt,
    int? WaitingListPosition,
    DateTimeOffset? SeatOfferExpiresAt,
    DateTimeOffset? RegisteredAt,
    int Version)
{
    public static LearnerRow From(SessionLearner l, int? waitingListPosition) => new(
        l.Id, l.EmployeeId, l.Employee.Email, l.Employee.Name, l.Employee.Department, l.Status, l.StatusChangedAt,
        waitingListPosition, l.SeatOfferExpiresAt, l.RegisteredAt, l.Version);

    public static LearnerRow From(LiveSession session, SessionLearner l) => From(l, session.WaitingListPosition(l));
}

public sealed record HistoryEntry(LearnerStatus? From, LearnerStatus To, LearnerTrigger Trigger, string Actor, ActorKind ActorKind, DateTimeOffset At, string? Note, string? Cause);

public sealed class RosterQueries(IDbContextFactory<LiveSessionsDbContext> contextFactory)
{
    /// <summary>The session's learners, waiting list first in line order, then by name.</summary>
    public async Task<Outcome<IReadOnlyList<LearnerRow>>> ListAsync(int sessionId, LearnerStatus? status, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        var learners = await db.Learners.AsNoTracking().Include(l => l.Employee)
            .Where(l => l.SessionId == sessionId)
            .ToListAsync(cancellationToken);
        var waiting = learners.InLine()
            .Select((l, i) => (l.Id, Position: i + 1))
            .ToDictionary(x => x.Id, x => x.Position);
        return learners
            .Where(l => status is null || l.Status == status)
            .OrderBy(l => waiting.TryGetValue(l.Id, out var p) ? p : int.MaxValue)
            .ThenBy(l => l.Employee.Name, StringComparer.OrdinalIgnoreCase)
            .Select(l => LearnerRow.From(l, waiting.TryGetValue(l.Id, out var p) ? p : null))
            .ToList();
    }

    /// <summary>The learner's status changes, oldest first.</summary>
    public async Task<Outcome<IReadOnlyList<HistoryEntry>>> HistoryAsync(int sessionId, int learnerId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        if (!await db.Learners.AnyAsync(l => l.Id == learnerId && l.SessionId == sessionId, cancellationToken))
        {
            return Failure.NotFound("The learner");
        }

        var history = await db.StatusChanges.AsNoTracking()
            .Where(h => h.SessionLearnerId == learnerId)
            .OrderBy(h => h.At).ThenBy(h => h.Id)
            .ToListAsync(cancellationToken);
        return history.Select(h => new HistoryEntry(h.From, h.To, h.Trigger, h.ActorName, h.ActorKind, h.At, h.Note, h.Cause)).ToList();
    }

    /// <summary>Admins see every session, trainers their own; anything else is "not found" so ids reveal nothing.</summary>
    internal static async Task<Failure?> CheckAccessAsync(LiveSessionsDbContext db, int sessionId, CurrentUser user, CancellationToken cancellationToken)
    {
        var visible = await db.Sessions.Where(s => s.Id == sessionId)
            .Select(s => new { Trains = s.Trainers.Any(t => t.Employee.Email == user.Email) })
            .FirstOrDefaultAsync(cancellationToken);
        if (visible is null)
        {
            return Failure.NotFound("The session");
        }

        if (user.IsAdmin || (user.IsTrainer && visible.Trains))
        {
            return null;
        }

        return user.IsTrainer
            ? Failure.Forbidden("You do not train this session.")
            : Failure.Forbidden("You are not allowed to see this session's learners.");
    }
}
