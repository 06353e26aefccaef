using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Roster;

public sealed record CopyLearnersRequest(IReadOnlyList<int> LearnerIds, int TargetSessionId, LearnerStatus Status, bool Overbook = false);

public sealed record CopyLearnersResult(IReadOnlyList<LearnerRow> Copied, IReadOnlyList<RefusedLearner> Skipped);

/// <summary>Copies learners to another session of the same course; the target's automation decides their status.</summary>
public sealed class CopyLearners(SessionUnitOfWork work)
{
    public Task<Outcome<CopyLearnersResult>> HandleAsync(int sessionId, CopyLearnersRequest request, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<CopyLearnersResult>>(Failure.Forbidden("Only admins can copy learners."));
        }

        if (request.LearnerIds is null || request.LearnerIds.Count == 0)
        {
            return Task.FromResult<Outcome<CopyLearnersResult>>(Failure.Invalid("learnerIds", "Select at least one learner."));
        }

        if (request.TargetSessionId == sessionId)
        {
            return Task.FromResult<Outcome<CopyLearnersResult>>(Failure.Invalid("targetSessionId", "Pick another session than this one."));
        }

        // The target's seats are what must be serialised, so the unit of work locks the target.
        return work.RunAsync<CopyLearnersResult>(request.TargetSessionId, async scope =>
        {
            var source = await scope.Db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
                .Select(s => new { s.Title, s.CourseId })
                .FirstOrDefaultAsync(cancellationToken);
            if (source is null)
            {
                return Failure.NotFound("The session");
            }

            var target = scope.Session;
            if (target.CourseId != source.CourseId)
            {
                return Failure.Conflict("Learners can only be copied to a session of the same course.");
            }

            var ids = request.LearnerIds.Distinct().ToList();
            var learners = await scope.Db.Learners.Include(l => l.Employee)
                .Where(l => l.SessionId == sessionId && ids.Contains(l.Id))
                .ToDictionaryAsync(l => l.Id, cancellationToken);
            var copied = new List<SessionLearner>();
            var skipped = new List<RefusedLearner>();
            foreach (var id in ids)
            {
                if (!learners.TryGetValue(id, out var learner))
                {
                    skipped.Add(new RefusedLearner(id, "This learner is not in the source session."));
                    continue;
                }

                var result = target.AddCopiedLearner(learner.Employee, request.Status, request.Overbook, source.Title, user.AsAdmin, scope.Now);
                if (result.IsDone)
                {
                    copied.Add(result.Learner!);
                }
                else
                {
                    skipped.Add(new RefusedLearner(id, result.Refusal!));
                }
            }

            await scope.Db.SaveChangesAsync(cancellationToken);
            return new CopyLearnersResult(copied.Select(l => LearnerRow.From(target, l)).ToList(), skipped);
        }, cancellationToken);
    }
}
