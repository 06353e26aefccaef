using System.Linq.Expressions;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Dashboard;

/// <summary>Which sessions the board shows: the next <see cref="Count"/> not yet over, of one course or all.</summary>
public sealed record BoardFilter(int Count = DashboardBoard.DefaultCount, int? CourseId = null);

/// <summary>One session's tile: its seats, state and registrations per day over the sparkline's days, oldest first.</summary>
public sealed record BoardTile(
    int SessionId,
    int CourseId,
    string CourseTitle,
    string Title,
    SessionStatus Status,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    int MaxCapacity,
    int Taken,
    int Held,
    int Free,
    int Waiting,
    double FillRate,
    FillState State,
    IReadOnlyList<int> RegistrationsPerDay)
{
    /// <summary>The tile after a committed change, from the seats the change carries (no query).</summary>
    public BoardTile With(RosterChanged change, DateTimeOffset now)
    {
        var seats = new SeatSummary(change.MaxCapacity, change.SeatsTaken, change.SeatsHeld, change.Counts);
        return this with
        {
            Status = change.SessionStatus,
            MaxCapacity = seats.MaxCapacity,
            Taken = seats.Taken,
            Held = seats.Held,
            Free = seats.Free,
            Waiting = seats.Waiting,
            FillRate = seats.FillRate,
            State = FillStates.Of(seats, Start, now),
        };
    }
}

/// <summary>One line of the activity feed: a learner's status change.</summary>
public sealed record BoardActivity(long Id, int SessionId, string SessionTitle, string LearnerName, LearnerStatus? From, LearnerStatus To, ActorKind ActorKind, string ActorName, DateTimeOffset At)
{
    /// <summary>Who made the change, as the feed says it: "by the learner", "by admin@x (Admin)", "automatically".</summary>
    public string By => ActorKind switch
    {
        ActorKind.System => "automatically",
        ActorKind.Learner => "by the learner",
        _ => $"by {ActorName} ({ActorKind})",
    };
}

public sealed record BoardView(IReadOnlyList<BoardTile> Tiles, IReadOnlyList<BoardActivity> Activity, DateTimeOffset At);

/// <summary>
/// The admins' live board: the next sessions with seats, state and a 14-day registration sparkline, and the latest
/// status changes in them. A fixed four queries whatever the number of sessions: the sessions, their seats (the
/// shared <see cref="SeatCounts"/> rule), registrations per day (one GROUP BY) and the activity.
/// </summary>
public sealed class DashboardBoard(IDbContextFactory<LiveSessionsDbContext> contextFactory, TimeProvider clock)
{
    public const int DefaultCount = 12;

    /// <summary>The board sizes an admin picks from.</summary>
    public static readonly IReadOnlyList<int> Counts = [12, 24, 48];

    /// <summary>Days in a sparkline: 24-hour periods ending now, so the last bar is always the last day, whatever the time zone.</summary>
    public const int SparklineDays = 14;

    public const int ActivityLength = 15;

    public async Task<Outcome<BoardView>> LoadAsync(BoardFilter filter, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins see the dashboard.");
        }

        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Sessions.AsNoTracking()
            .Where(s => (s.Status == SessionStatus.Draft || s.Status == SessionStatus.Processing || s.Status == SessionStatus.Ready) && s.End > now);
        if (filter.CourseId is { } courseId)
        {
            query = query.Where(s => s.CourseId == courseId);
        }

        var sessions = await query
            .OrderBy(s => s.Start)
            .ThenBy(s => s.Id)
            .Take(Math.Clamp(filter.Count, 1, Counts[^1]))
            .Select(s => new { s.Id, s.CourseId, Course = s.Course.Title, s.Title, s.Status, s.Start, s.End, s.TimeZone, s.MaxCapacity })
            .ToListAsync(cancellationToken);
        if (sessions.Count == 0)
        {
            return new BoardView([], [], now);
        }

        var ids = sessions.Select(s => s.Id).ToList();
        var seats = await SeatCounts.OfAsync(db, sessions.ToDictionary(s => s.Id, s => s.MaxCapacity), now, cancellationToken);
        var perDay = await RegistrationsPerDayAsync(db, ids, now, cancellationToken);
        // What has happened: a change stamped later than now (another node's clock ahead, planned demo history) waits its turn.
        var activity = await (
                from change in db.StatusChanges
                join learner in db.Learners on change.SessionLearnerId equals learner.Id
                where ids.Contains(learner.SessionId) && change.At <= now
                orderby change.At descending, change.Id descending
                select new BoardActivity(change.Id, learner.SessionId, learner.Session.Title, learner.Employee.Name, change.From, change.To, change.ActorKind, change.ActorName, change.At))
            .Take(ActivityLength)
            .ToListAsync(cancellationToken);

        var tiles = sessions.Select(s =>
        {
            var seat = seats[s.Id];
            return new BoardTile(s.Id, s.CourseId, s.Course, s.Title, s.Status, s.Start, s.End, s.TimeZone, s.MaxCapacity, seat.Taken, seat.Held, seat.Free, seat.Waiting, seat.FillRate,
                FillStates.Of(seat, s.Start, now), perDay.TryGetValue(s.Id, out var days) ? days : new int[SparklineDays]);
        }).ToList();
        return new BoardView(tiles, activity, now);
    }

    /// <summary>Moves to Registered per session in each of the last <see cref="SparklineDays"/> days, counted in SQL.</summary>
    private static async Task<Dictionary<int, int[]>> RegistrationsPerDayAsync(LiveSessionsDbContext db, List<int> sessionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bounds = new DayBounds(Enumerable.Range(0, SparklineDays + 1).Select(i => now - TimeSpan.FromDays(SparklineDays - i)).ToArray());
        var since = bounds.Starts[0];
        var rows = await db.StatusChanges
            .Where(c => c.To == LearnerStatus.Registered && c.At > since)
            .Join(db.Learners.Where(l => sessionIds.Contains(l.SessionId)), c => c.SessionLearnerId, l => l.Id, (c, l) => new RegistrationMoment { SessionId = l.SessionId, At = c.At })
            .GroupBy(m => m.SessionId)
            .Select(PerDay(bounds))
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.SessionId, r => r.Counts);
    }

    /// <summary>
    /// <c>g => new DailyRegistrations { SessionId = g.Key, Counts = [g.Count(m => in day 0), …] }</c>: one COUNT per day
    /// in the one GROUP BY. The day bounds are read from <paramref name="bounds"/>, so EF sends them as parameters and
    /// the query's shape (and its cached plan) stays the same from one load to the next.
    /// </summary>
    private static Expression<Func<IGrouping<int, RegistrationMoment>, DailyRegistrations>> PerDay(DayBounds bounds)
    {
        var group = Expression.Parameter(typeof(IGrouping<int, RegistrationMoment>), "g");
        var moment = Expression.Parameter(typeof(RegistrationMoment), "m");
        var at = Expression.Property(moment, nameof(RegistrationMoment.At));
        var starts = Expression.Field(Expression.Constant(bounds), nameof(DayBounds.Starts));
        var counts = Enumerable.Range(0, SparklineDays).Select(day => (Expression)Expression.Call(
            typeof(Enumerable),
            nameof(Enumerable.Count),
            [typeof(RegistrationMoment)],
            group,
            Expression.Lambda<Func<RegistrationMoment, bool>>(
                Expression.AndAlso(
                    Expression.GreaterThan(at, Expression.ArrayIndex(starts, Expression.Constant(day))),
                    Expression.LessThanOrEqual(at, Expression.ArrayIndex(starts, Expression.Constant(day + 1)))),
                moment)));
        var body = Expression.MemberInit(
            Expression.New(typeof(DailyRegistrations)),
            Expression.Bind(typeof(DailyRegistrations).GetProperty(nameof(DailyRegistrations.SessionId))!, Expression.Property(group, nameof(IGrouping<int, RegistrationMoment>.Key))),
            Expression.Bind(typeof(DailyRegistrations).GetProperty(nameof(DailyRegistrations.Counts))!, Expression.NewArrayInit(typeof(int), counts)));
        return Expression.Lambda<Func<IGrouping<int, RegistrationMoment>, DailyRegistrations>>(body, group);
    }

    private sealed class RegistrationMoment
    {
        public int SessionId { get; init; }

        public DateTimeOffset At { get; init; }
    }

    private sealed class DailyRegistrations
    {
        public int SessionId { get; init; }

        public int[] Counts { get; init; } = [];
    }

    /// <summary>The ends of the sparkline's days, oldest first: day i is (Starts[i], Starts[i + 1]].</summary>
    private sealed class DayBounds(DateTimeOffset[] starts)
    {
        public readonly DateTimeOffset[] Starts = starts;
    }
}
