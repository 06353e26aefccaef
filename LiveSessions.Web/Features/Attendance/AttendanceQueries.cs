using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Attendance;

/// <summary>The session as the attendance form shows it.</summary>
public sealed record AttendanceSession(
    int Id,
    string Title,
    string When,
    string Location,
    SessionStatus Status,
    string? LeadTrainer,
    bool MarkAbsentAfterEnd,
    int MaxCapacity)
{
    /// <summary>Attendance is taken on Ready sessions and can be corrected once Completed.</summary>
    public bool TakesAttendance => Status is SessionStatus.Ready or SessionStatus.Completed;
}

/// <summary>The attendance form: the session and the learners expected in the room (or already marked).</summary>
/// <param name="Version">The session's version when read: a live change from a later one means changes were missed.</param>
public sealed record AttendanceSheet(AttendanceSession Session, IReadOnlyList<LearnerRow> Learners, int Version = 0);

/// <summary>Someone of the directory the trainer may add as a Go Show, with their status in this session if any.</summary>
public sealed record GoShowCandidate(int EmployeeId, string Name, string Email, string Department, LearnerStatus? Status)
{
    /// <summary>Already on the form (Registered, marked, or a Go Show): nothing to add.</summary>
    public bool OnForm => Status is { } s && AttendanceQueries.IsOnForm(s);
}

public sealed class AttendanceQueries(IDbContextFactory<LiveSessionsDbContext> contextFactory)
{
    /// <summary>Registered learners (not yet marked), those marked Attended or Absent, and Go Shows.</summary>
    public static bool IsOnForm(LearnerStatus status) =>
        status is LearnerStatus.Registered or LearnerStatus.Attended or LearnerStatus.Absent or LearnerStatus.GoShow;

    public async Task<Outcome<AttendanceSheet>> GetAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        var session = await db.Sessions.AsNoTracking()
            .Include(s => s.Trainers).ThenInclude(t => t.Employee)
            .FirstAsync(s => s.Id == sessionId, cancellationToken);
        var learners = await db.Learners.AsNoTracking().Include(l => l.Employee)
            .Where(l => l.SessionId == sessionId && (l.Status == LearnerStatus.Registered || l.Status == LearnerStatus.Attended
                || l.Status == LearnerStatus.Absent || l.Status == LearnerStatus.GoShow))
            .ToListAsync(cancellationToken);
        var info = new AttendanceSession(
            session.Id,
            session.Title,
            SessionTime.FormatRange(session.Start, session.End, session.TimeZone),
            session.Location,
            session.Status,
            session.LeadTrainer?.Name,
            session.Automation.MarkAbsentAfterEnd,
            session.MaxCapacity);
        return new AttendanceSheet(info, learners
            .OrderBy(l => l.Employee.Name, StringComparer.OrdinalIgnoreCase).ThenBy(l => l.Id)
            .Select(l => LearnerRow.From(l, null))
            .ToList(), session.Version);
    }

    /// <summary>Directory matches for a Go Show (name, email or department), with their status in the session.</summary>
    public async Task<Outcome<IReadOnlyList<GoShowCandidate>>> CandidatesAsync(int sessionId, string? search, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        if (string.IsNullOrWhiteSpace(search) || search.Trim().Length < 2)
        {
            return Array.Empty<GoShowCandidate>();
        }

        var term = $"%{search.Trim()}%";
        var employees = await db.Employees.AsNoTracking()
            .Where(e => EF.Functions.Like(e.Name, term) || EF.Functions.Like(e.Email, term) || EF.Functions.Like(e.Department, term))
            .OrderBy(e => e.Name).ThenBy(e => e.Id).Take(20)
            .Select(e => new { e.Id, e.Name, e.Email, e.Department })
            .ToListAsync(cancellationToken);
        var ids = employees.Select(e => e.Id).ToList();
        var statuses = await db.Learners.AsNoTracking()
            .Where(l => l.SessionId == sessionId && ids.Contains(l.EmployeeId))
            .ToDictionaryAsync(l => l.EmployeeId, l => l.Status, cancellationToken);
        return employees
            .Select(e => new GoShowCandidate(e.Id, e.Name, e.Email, e.Department, statuses.TryGetValue(e.Id, out var s) ? s : null))
            .ToList();
    }
}
