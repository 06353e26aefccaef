using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Registration;

/// <summary>A registration waiting for approval; <see cref="ApproverName"/> is null when the org chart names nobody and the admins decide.</summary>
public sealed record PendingApproval(int SessionId, int LearnerId, string LearnerName, string LearnerEmail, string Department, string SessionTitle, string When, DateTimeOffset RequestedAt, int SeatsFree, bool WaitingList, string? ApproverName)
{
    public bool NoApprover => ApproverName is null;
}

/// <summary>
/// The registration requests routed to the signed-in approver. Admins see every request, each with the approver the
/// org chart names, and those it names nobody for are theirs to decide.
/// </summary>
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
        // The managers of every requester, as far up as any of these sessions' approvals reach, in one query.
        await db.LoadManagersAsync(waiting.Select(l => l.Employee).ToList(), waiting.Select(l => l.Session.ApprovalChainDepth).DefaultIfEmpty(0).Max(), cancellationToken);
        var result = new List<PendingApproval>();
        foreach (var learner in waiting)
        {
            var s = learner.Session;
            var approver = s.ApproverOf(learner.Employee);
            if (!user.IsAdmin && approver?.Email != user.Email)
            {
                continue;
            }

            result.Add(new PendingApproval(s.Id, learner.Id, learner.Employee.Name, learner.Employee.Email, learner.Employee.Department, s.Title,
                SessionTime.FormatRange(s.Start, s.End, s.TimeZone), learner.StatusChangedAt, seats[s.Id].Free, s.EnableWaitingList, approver?.Name));
        }

        return result;
    }
}
