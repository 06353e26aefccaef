using LiveSessions.Web.Features.Operations;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Web.Features.Roster;

/// <summary>
/// Bulk status change. <see cref="SeenVersions"/> (learner id → version the viewer saw) lets a stale view learn that
/// a row changed under it instead of overwriting someone else's change silently.
/// </summary>
/// <summary>A manual status change. Moving learners to Invited sends each the invitation unless <paramref name="SendInvitation"/> is false.</summary>
public sealed record UpdateLearnerStatusRequest(IReadOnlyList<int> LearnerIds, LearnerStatus Status, string? Note = null, bool Overbook = false, IReadOnlyDictionary<int, int>? SeenVersions = null, bool SendInvitation = true);

/// <summary>A learner an action left alone, and why; <paramref name="Why"/> is the reason without the name, shared by every learner refused alike.</summary>
public sealed record RefusedLearner(int LearnerId, string Reason, string? Why = null)
{
    /// <summary>What groups identical refusals: "512 skipped: this session has no registration form".</summary>
    public string Cause => Why ?? Reason;
}

/// <param name="Promoted">Waiting-list learners offered a seat that the change freed (now Invited with a seat offer).</param>
public sealed record UpdateLearnerStatusResult(IReadOnlyList<LearnerRow> Updated, IReadOnlyList<RefusedLearner> Refused, IReadOnlyList<LearnerRow> Promoted);

/// <summary>Admin's bulk Update Status: each learner is moved or refused with a reason; seats are checked one by one.</summary>
public sealed class UpdateLearnerStatus(SessionUnitOfWork work)
{
    public Task<Outcome<UpdateLearnerStatusResult>> HandleAsync(int sessionId, UpdateLearnerStatusRequest request, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<UpdateLearnerStatusResult>>(Failure.Forbidden("Only admins can change learners' status."));
        }

        if (request.LearnerIds is null || request.LearnerIds.Count == 0)
        {
            return Task.FromResult<Outcome<UpdateLearnerStatusResult>>(Failure.Invalid("learnerIds", "Select at least one learner."));
        }

        if (request.Note?.Length > 2000)
        {
            return Task.FromResult<Outcome<UpdateLearnerStatusResult>>(Failure.Invalid("note", "The note must be 2000 characters or fewer."));
        }

        return work.RunAsync<UpdateLearnerStatusResult>(sessionId, RosterNeed.Learners(request.LearnerIds), async scope =>
        {
            var updated = new List<SessionLearner>();
            var refused = new List<RefusedLearner>();
            foreach (var id in request.LearnerIds.Distinct())
            {
                var learner = scope.Session.FindLearnerById(id);
                if (learner is null)
                {
                    refused.Add(new RefusedLearner(id, "This learner is not in this session."));
                    continue;
                }

                if (request.SeenVersions is { } seen && seen.TryGetValue(id, out var version) && version != learner.Version)
                {
                    refused.Add(new RefusedLearner(id, $"{learner.Employee.Name} changed since you selected them (now {learner.Status.Display()}); review the row and try again."));
                    continue;
                }

                if (request.Status == LearnerStatus.Invited && !request.SendInvitation)
                {
                    scope.WithoutInvitation.Add(learner.Id);
                }

                var result = scope.Session.ChangeLearnerStatus(learner, request.Status, request.Note, request.Overbook, user.AsAdmin, scope.Now);
                if (result.IsDone)
                {
                    updated.Add(learner);
                }
                else
                {
                    refused.Add(new RefusedLearner(id, result.Refusal!));
                }
            }

            if (updated.Count > 0)
            {
                var who = string.Join(", ", updated.Take(20).Select(l => l.Employee.Email)) + (updated.Count > 20 ? $" and {updated.Count - 20} more" : string.Empty);
                scope.Db.AuditEntries.Add(AuditEntry.Of(scope.Now, user.Email, AuditAction.StatusChanged, $"session {sessionId}",
                    $"{updated.Count} set {request.Status.Display()}{(request.Overbook ? " (overbooked)" : string.Empty)}: {who}"));
            }

            // A learner the admin moved straight out of the waiting list is theirs, not a promotion.
            var promoted = scope.Session.DomainEvents.OfType<LearnerStatusChanged>()
                .Where(e => e.Trigger == LearnerTrigger.SeatOfferedFromWaitingList && !updated.Contains(e.Learner))
                .Select(e => e.Learner).Distinct().ToList();
            await scope.Db.SaveChangesAsync(cancellationToken);
            return new UpdateLearnerStatusResult(
                updated.Select(l => LearnerRow.From(scope.Session, l)).ToList(), refused, promoted.Select(l => LearnerRow.From(scope.Session, l)).ToList());
        }, cancellationToken);
    }
}
