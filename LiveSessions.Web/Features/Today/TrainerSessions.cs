using LiveSessions.Domain;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Today;

/// <summary>A session on the trainer's Today page: when and where, and how many learners to expect and have marked.</summary>
/// <param name="Day">The session's day in its own time zone.</param>
/// <param name="Marked">Learners whose attendance is recorded (Attended, Absent, Go Show).</param>
public sealed record TrainerSession(
    int Id,
    string Title,
    string CourseTitle,
    SessionStatus Status,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    string Location,
    DateOnly Day,
    int Registered,
    int Waiting,
    int Marked)
{
    /// <summary>Attendance is taken on Ready sessions and corrected on Completed ones.</summary>
    public bool TakesAttendance => Status is SessionStatus.Ready or SessionStatus.Completed;

    /// <summary>The location as a meeting link when it is a web address.</summary>
    public Uri? MeetingLink => Uri.TryCreate(Location.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        ? uri
        : null;
}

/// <summary>The sessions a person trains, for their Today page: today and the next days, or the recent past.</summary>
public sealed class TrainerSessions(IDbContextFactory<LiveSessionsDbContext> contextFactory, TimeProvider clock)
{
    /// <summary>How far ahead "the next days" go, and how far back the past tab looks.</summary>
    public const int DaysAhead = 7;

    public const int DaysBack = 30;

    public async Task<IReadOnlyList<TrainerSession>> ListAsync(CurrentUser user, SessionPeriod period, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();

        // The database narrows by instants with a day of slack for time zones; each session's own day decides below.
        var (from, to) = period == SessionPeriod.Past
            ? (now.AddDays(-DaysBack - 2), now)
            : (now.AddHours(-25), now.AddDays(DaysAhead + 2));
        var rows = await db.Sessions.AsNoTracking()
            .Where(s => s.Trainers.Any(t => t.Employee.Email == user.Email) && s.End >= from && s.Start <= to)
            .Select(s => new { s.Id, s.Title, CourseTitle = s.Course.Title, s.Status, s.Start, s.End, s.TimeZone, s.Location, s.MaxCapacity })
            .ToListAsync(cancellationToken);

        var sessions = rows
            .Select(r => (Row: r, Today: DayIn(now, r.TimeZone), StartDay: DayIn(r.Start, r.TimeZone), EndDay: DayIn(r.End, r.TimeZone)))
            .Where(x => period == SessionPeriod.Past
                ? x.EndDay < x.Today && x.EndDay >= x.Today.AddDays(-DaysBack)
                : x.EndDay >= x.Today && x.StartDay <= x.Today.AddDays(DaysAhead))
            .ToList();
        sessions = period == SessionPeriod.Past
            ? sessions.OrderByDescending(x => x.Row.Start).ToList()
            : sessions.OrderBy(x => x.Row.Start).ToList();

        // Every session's learners per status in one grouped query.
        var seats = await SeatCounts.OfAsync(db, sessions.ToDictionary(x => x.Row.Id, x => x.Row.MaxCapacity), now, cancellationToken);
        return sessions.Select(x =>
        {
            var counts = seats[x.Row.Id].Counts;
            return new TrainerSession(x.Row.Id, x.Row.Title, x.Row.CourseTitle, x.Row.Status, x.Row.Start, x.Row.End, x.Row.TimeZone, x.Row.Location,
                // A session already running since yesterday belongs to today.
                x.StartDay < x.Today && x.EndDay >= x.Today ? x.Today : x.StartDay,
                counts.GetValueOrDefault(LearnerStatus.Registered),
                counts.GetValueOrDefault(LearnerStatus.WaitingList),
                counts.Where(c => c.Key.IsMarked()).Sum(c => c.Value));
        }).ToList();
    }

    /// <summary>Today in the given time zone.</summary>
    public DateOnly TodayIn(string timeZone) => DayIn(clock.GetUtcNow(), timeZone);

    private static DateOnly DayIn(DateTimeOffset instant, string timeZone) => DateOnly.FromDateTime(Components.Shared.SessionTime.ToLocal(instant, timeZone));
}
