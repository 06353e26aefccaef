using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Sessions;

/// <summary>Which sessions a list shows by their dates, each judged by the day in its own time zone.</summary>
public enum SessionPeriod
{
    /// <summary>Every session, earliest first.</summary>
    All,

    /// <summary>Sessions ending today or later (a session of this morning stays until midnight), earliest first.</summary>
    Upcoming,

    /// <summary>Sessions that ended before today, latest first.</summary>
    Past,
}

public sealed record SessionFilter(SessionStatus? Status = null, int? CourseId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Search = null,
    SessionPeriod Period = SessionPeriod.All);

/// <summary>A session in a list: enough to show its fill rate and demand.</summary>
public sealed record SessionSummary(
    int Id,
    int CourseId,
    string CourseTitle,
    string Title,
    SessionStatus Status,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    string Location,
    int MaxCapacity,
    int SeatsTaken,
    int Waiting,
    double FillRate);

public sealed record TrainerInfo(int EmployeeId, string Name, string Email);

/// <summary>One session with its seats and the number of learners in each status.</summary>
public sealed record SessionView(
    int Id,
    int CourseId,
    string CourseTitle,
    string Title,
    string Description,
    SessionType Type,
    SessionStatus Status,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    string Location,
    int MaxCapacity,
    bool EnableWaitingList,
    bool RequiresApproval,
    ApprovalFlow ApprovalFlow,
    int ApprovalLevels,
    bool EnableCalendar,
    AutomationSettings Automation,
    IReadOnlyList<TrainerInfo> Trainers,
    double FillRate,
    int SeatsTaken,
    int SeatsHeld,
    int SeatsFree,
    IReadOnlyDictionary<LearnerStatus, int> Counts,
    IReadOnlyList<SessionStatus> NextStatuses,
    int Version);

public sealed class SessionQueries(IDbContextFactory<LiveSessionsDbContext> contextFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<SessionSummary>> ListAsync(SessionFilter filter, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Sessions.AsNoTracking();
        if (!user.IsAdmin)
        {
            query = user.IsTrainer
                ? query.Where(s => s.Trainers.Any(t => t.Employee.Email == user.Email))
                : query.Where(_ => false);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(s => s.Status == status);
        }

        if (filter.CourseId is { } courseId)
        {
            query = query.Where(s => s.CourseId == courseId);
        }

        if (filter.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(s => s.End >= fromUtc);
        }

        if (filter.To is { } to)
        {
            var toUtc = to.ToUniversalTime();
            query = query.Where(s => s.Start <= toUtc);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = $"%{filter.Search.Trim()}%";
            query = query.Where(s => EF.Functions.Like(s.Title, term) || EF.Functions.Like(s.Location, term));
        }

        // "Today" is the session's own day: the database narrows by instants (a day and an hour of slack for the
        // zone's offset and a clock change), the exact day is judged per session below.
        var now = clock.GetUtcNow();
        var dayAgo = now.AddHours(-25);
        query = filter.Period switch
        {
            SessionPeriod.Upcoming => query.Where(s => s.End >= dayAgo),
            SessionPeriod.Past => query.Where(s => s.End < now),
            _ => query,
        };

        var rows = await query
            .OrderBy(s => s.Start)
            .Select(s => new
            {
                s.Id,
                s.CourseId,
                CourseTitle = s.Course.Title,
                s.Title,
                s.Status,
                s.Start,
                s.End,
                s.TimeZone,
                s.Location,
                s.MaxCapacity,
            })
            .ToListAsync(cancellationToken);
        rows = filter.Period switch
        {
            SessionPeriod.Upcoming => rows.Where(r => EndsTodayOrLater(r.End, r.TimeZone, now)).ToList(),
            SessionPeriod.Past => rows.Where(r => !EndsTodayOrLater(r.End, r.TimeZone, now)).OrderByDescending(r => r.Start).ToList(),
            _ => rows,
        };
        var seats = await SeatCounts.OfAsync(db, rows.ToDictionary(r => r.Id, r => r.MaxCapacity), now, cancellationToken);
        return rows.Select(r => new SessionSummary(r.Id, r.CourseId, r.CourseTitle, r.Title, r.Status, r.Start, r.End, r.TimeZone, r.Location,
            r.MaxCapacity, seats[r.Id].Taken, seats[r.Id].Waiting, seats[r.Id].FillRate)).ToList();
    }

    public async Task<Outcome<SessionView>> GetAsync(int id, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.Sessions.AsNoTracking()
            .Include(s => s.Course)
            .Include(s => s.Trainers).ThenInclude(t => t.Employee)
            .FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null || !user.CanSeeSession(session))
        {
            // A session the caller may not see does not exist for them.
            return Failure.NotFound("The session");
        }

        return ToView(session, await SeatCounts.OfAsync(db, id, session.MaxCapacity, clock.GetUtcNow(), cancellationToken));
    }

    /// <summary>Whether the session ends today or later, in its own time zone.</summary>
    public static bool EndsTodayOrLater(DateTimeOffset end, string timeZone, DateTimeOffset now) =>
        SessionTime.ToLocal(end, timeZone).Date >= SessionTime.ToLocal(now, timeZone).Date;

    internal static SessionView ToView(LiveSession s, SeatSummary seats) => new(
        s.Id, s.CourseId, s.Course.Title, s.Title, s.Description, s.Type, s.Status, s.Start, s.End, s.TimeZone, s.Location, s.MaxCapacity,
        s.EnableWaitingList, s.RequiresApproval, s.ApprovalFlow, s.ApprovalLevels, s.EnableCalendar, s.Automation,
        s.Trainers.OrderBy(t => t.Order).Select(t => new TrainerInfo(t.EmployeeId, t.Employee.Name, t.Employee.Email)).ToList(),
        seats.FillRate, seats.Taken, seats.Held, seats.Free, seats.Counts,
        LiveSession.NextStatuses(s.Status), s.Version);

    internal static SessionView ToView(LiveSession s, DateTimeOffset now) => ToView(s, s.Seats(now));
}
