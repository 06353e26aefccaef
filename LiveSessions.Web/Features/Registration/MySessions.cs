using LiveSessions.Domain;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Registration;

public sealed record OpenSession(int Id, string CourseTitle, string Title, DateTimeOffset Start, DateTimeOffset End, string TimeZone, string Location, int SeatsFree, bool EnableWaitingList, bool RequiresApproval);

public sealed record MyLearnerRow(int SessionId, int LearnerId, string Title, DateTimeOffset Start, string TimeZone, LearnerStatus Status, int? WaitingListPosition, DateTimeOffset? SeatOfferExpiresAt)
{
    public string CourseTitle { get; init; } = string.Empty;

    public DateTimeOffset End { get; init; }

    public string Location { get; init; } = string.Empty;

    public SessionStatus SessionStatus { get; init; }

    /// <summary>The session takes registrations now (Ready, not started): whether Register can be offered.</summary>
    public bool OpenForRegistration { get; init; }

    public int SeatsFree { get; init; }

    public bool EnableWaitingList { get; init; }

    public bool Ended { get; init; }

    /// <summary>Whether the learner can download the session to their calendar (<see cref="MyCalendar"/>).</summary>
    public bool HasCalendar => MyCalendar.Offers(Status, SessionStatus);
}

public sealed record MySessionsView(IReadOnlyList<OpenSession> Open, IReadOnlyList<MyLearnerRow> Mine);

/// <summary>One page of the sessions open to a learner, and how many there are in all.</summary>
public sealed record OpenSessionsPage(IReadOnlyList<OpenSession> Sessions, int Total);

/// <summary>The portal: the learner's own sessions (each once), then the open sessions they are not in, paged.</summary>
public sealed record MyPortal(IReadOnlyList<MyLearnerRow> Mine, OpenSessionsPage Open);

/// <summary>What the learner portal and GET /api/me/sessions show: open sessions and the caller's own rows.</summary>
public sealed class MySessions(IDbContextFactory<LiveSessionsDbContext> contextFactory, TimeProvider clock)
{
    /// <summary>The API's answer: the first 200 open sessions (the caller's own among them) and the caller's rows.</summary>
    public async Task<MySessionsView> HandleAsync(CurrentUser user, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var open = await PageAsync(db, OpenQuery(db, now, null, null), 0, 200, now, cancellationToken);
        return new MySessionsView(open, await MineAsync(db, user, now, cancellationToken));
    }

    /// <summary>
    /// The portal's first view: every session the learner is in, and the first <paramref name="take"/> open sessions
    /// matching <paramref name="search"/> that they are not in, so no session shows twice.
    /// </summary>
    public async Task<MyPortal> PortalAsync(CurrentUser user, string? search, int take, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var mine = await MineAsync(db, user, now, cancellationToken);
        return new MyPortal(mine, await OpenPageAsync(db, user, search, 0, take, now, cancellationToken));
    }

    /// <summary>Open sessions the learner is not in whose title, course or location contains <paramref name="search"/>, soonest first.</summary>
    public async Task<OpenSessionsPage> OpenAsync(CurrentUser user, string? search, int skip, int take, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await OpenPageAsync(db, user, search, skip, take, now, cancellationToken);
    }

    private static async Task<OpenSessionsPage> OpenPageAsync(LiveSessionsDbContext db, CurrentUser user, string? search, int skip, int take, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var query = OpenQuery(db, now, user.Email, search);
        var total = await query.CountAsync(cancellationToken);
        var sessions = total == 0 ? [] : await PageAsync(db, query, Math.Max(0, skip), Math.Clamp(take, 1, 100), now, cancellationToken);
        return new OpenSessionsPage(sessions, total);
    }

    private static IQueryable<LiveSession> OpenQuery(LiveSessionsDbContext db, DateTimeOffset now, string? notInFor, string? search)
    {
        var query = db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Ready && s.Start > now);
        if (notInFor is not null)
        {
            query = query.Where(s => !s.Learners.Any(l => l.Employee.Email == notInFor));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            // Lower-cased on both sides: LIKE ignores case on SQLite but not on PostgreSQL.
            var term = search.Trim().ToLowerInvariant();
            query = query.Where(s => s.Title.ToLower().Contains(term) || s.Course.Title.ToLower().Contains(term) || s.Location.ToLower().Contains(term));
        }

        return query;
    }

    private static async Task<List<OpenSession>> PageAsync(LiveSessionsDbContext db, IQueryable<LiveSession> query, int skip, int take, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await query
            .OrderBy(s => s.Start)
            .ThenBy(s => s.Id)
            .Skip(skip)
            .Take(take)
            .Select(s => new
            {
                s.Id,
                Course = s.Course.Title,
                s.Title,
                s.Start,
                s.End,
                s.TimeZone,
                s.Location,
                s.MaxCapacity,
                s.EnableWaitingList,
                s.RequiresApproval,
            })
            .ToListAsync(cancellationToken);
        var seats = await SeatCounts.OfAsync(db, open.ToDictionary(s => s.Id, s => s.MaxCapacity), now, cancellationToken);
        return open.Select(s => new OpenSession(s.Id, s.Course, s.Title, s.Start, s.End, s.TimeZone, s.Location, seats[s.Id].Free, s.EnableWaitingList, s.RequiresApproval)).ToList();
    }

    private static async Task<List<MyLearnerRow>> MineAsync(LiveSessionsDbContext db, CurrentUser user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mine = await db.Learners.AsNoTracking()
            .Where(l => l.Employee.Email == user.Email)
            .Select(l => new
            {
                l.SessionId,
                l.Id,
                l.Session.Title,
                Course = l.Session.Course.Title,
                l.Session.Start,
                l.Session.End,
                l.Session.TimeZone,
                l.Session.Location,
                SessionStatus = l.Session.Status,
                l.Session.MaxCapacity,
                l.Session.EnableWaitingList,
                l.Status,
                l.SeatOfferExpiresAt,
            })
            .ToListAsync(cancellationToken);

        // Seats only matter where the learner could register again.
        var reopenable = mine.Where(m => m.SessionStatus == SessionStatus.Ready && m.Start > now).ToDictionary(m => m.SessionId, m => m.MaxCapacity);
        var seats = reopenable.Count == 0 ? new Dictionary<int, SeatSummary>() : await SeatCounts.OfAsync(db, reopenable, now, cancellationToken);
        var rows = new List<MyLearnerRow>();
        foreach (var m in mine.OrderBy(m => m.Start))
        {
            int? position = null;
            if (m.Status == LearnerStatus.WaitingList)
            {
                position = (await SeatCounts.PlacesInLineAsync(db, m.SessionId, [m.Id], cancellationToken)).GetValueOrDefault(m.Id);
            }

            rows.Add(new MyLearnerRow(m.SessionId, m.Id, m.Title, m.Start, m.TimeZone, m.Status, position, m.SeatOfferExpiresAt)
            {
                CourseTitle = m.Course,
                End = m.End,
                Location = m.Location,
                SessionStatus = m.SessionStatus,
                OpenForRegistration = seats.ContainsKey(m.SessionId),
                SeatsFree = seats.TryGetValue(m.SessionId, out var s) ? s.Free : 0,
                EnableWaitingList = m.EnableWaitingList,
                Ended = m.End <= now,
            });
        }

        return rows;
    }
}
