using LiveSessions.Domain;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Registration;

public sealed record OpenSession(int Id, string CourseTitle, string Title, DateTimeOffset Start, DateTimeOffset End, string TimeZone, string Location, int SeatsFree, bool EnableWaitingList, bool RequiresApproval);

public sealed record MyLearnerRow(int SessionId, int LearnerId, string Title, DateTimeOffset Start, string TimeZone, LearnerStatus Status, int? WaitingListPosition, DateTimeOffset? SeatOfferExpiresAt);

public sealed record MySessionsView(IReadOnlyList<OpenSession> Open, IReadOnlyList<MyLearnerRow> Mine);

/// <summary>What the learner portal and GET /api/me/sessions show: open sessions and the caller's own rows.</summary>
public sealed class MySessions(IDbContextFactory<LiveSessionsDbContext> contextFactory, TimeProvider clock)
{
    public async Task<MySessionsView> HandleAsync(CurrentUser user, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var open = await db.Sessions.AsNoTracking()
            .Where(s => s.Status == SessionStatus.Ready && s.Start > now)
            .OrderBy(s => s.Start)
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
            .Take(200)
            .ToListAsync(cancellationToken);
        var seats = await SeatCounts.OfAsync(db, open.ToDictionary(s => s.Id, s => s.MaxCapacity), now, cancellationToken);

        var mine = await db.Learners.AsNoTracking()
            .Where(l => l.Employee.Email == user.Email)
            .Select(l => new { l.SessionId, l.Id, l.Session.Title, l.Session.Start, l.Session.TimeZone, l.Status, l.WaitingListOrder, l.SeatOfferExpiresAt })
            .ToListAsync(cancellationToken);
        var rows = new List<MyLearnerRow>();
        foreach (var m in mine.OrderBy(m => m.Start))
        {
            int? position = null;
            if (m.Status == LearnerStatus.WaitingList)
            {
                position = (await SeatCounts.PlacesInLineAsync(db, m.SessionId, [m.Id], cancellationToken)).GetValueOrDefault(m.Id);
            }

            rows.Add(new MyLearnerRow(m.SessionId, m.Id, m.Title, m.Start, m.TimeZone, m.Status, position, m.SeatOfferExpiresAt));
        }

        return new MySessionsView(
            open.Select(s => new OpenSession(s.Id, s.Course, s.Title, s.Start, s.End, s.TimeZone, s.Location, seats[s.Id].Free, s.EnableWaitingList, s.RequiresApproval)).ToList(),
            rows);
    }
}
