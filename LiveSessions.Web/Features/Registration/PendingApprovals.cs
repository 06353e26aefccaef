using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Registration;

public sealed record PendingApproval(int SessionId, int LearnerId, string LearnerName, string LearnerEmail, string Department, string SessionTitle, string When, DateTimeOffset RequestedAt, int SeatsFree, bool WaitingList);

/// <summary>The registration requests routed to the signed-in approver (admins see every request).</summary>
public sealed class PendingApprovals(IDbContextFactory<LiveSessionsDbContext> contextFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<PendingApproval>> HandleAsync(CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin && !user.IsApprover)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var waiting = await db.Learners.Include(l => l.Employee).Include(l => l.Session)
            .Where(l => l.Status == LearnerStatus.NeedsApproval && l.Session.Status == SessionStatus.Ready)
            .OrderBy(l => l.StatusChangedAt)
            .ToListAsync(cancellationToken);
        // Seats of every session concerned in one query, not one per request.
        var seats = await SeatCounts.OfAsync(db, waiting.Select(l => l.Session).DistinctBy(s => s.Id).ToDictionary(s => s.Id, s => s.MaxCapacity), now, cancellationToken);
        var result = new List<PendingApproval>();
        foreach (var learner in waiting)
        {
            if (!user.IsAdmin)
            {
                var approver = await LearnerLookup.ApproverOfAsync(db, learner.Employee, learner.Session.ApprovalFlow, cancellationToken);
                if (approver?.Email != user.Email)
                {
                    continue;
                }
            }

            var s = learner.Session;
            result.Add(new PendingApproval(s.Id, learner.Id, learner.Employee.Name, learner.Employee.Email, learner.Employee.Department, s.Title,
                SessionTime.FormatRange(s.Start, s.End, s.TimeZone), learner.StatusChangedAt, seats[s.Id].Free, s.EnableWaitingList));
        }

        return result;
    }
}
