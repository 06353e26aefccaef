using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Web.Features.Sessions;

/// <summary>Moves a session (Set Processing, Set Ready, Complete, Cancel) and runs its automation.</summary>
public sealed class SetSessionStatus(SessionUnitOfWork work)
{
    public Task<Outcome<SessionView>> HandleAsync(int sessionId, SessionStatus status, CurrentUser user, CancellationToken cancellationToken = default, IProgress<WorkProgress>? progress = null)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<SessionView>>(Failure.Forbidden("Only admins can change a session's status."));
        }

        return work.RunAsync<SessionView>(sessionId, scope =>
        {
            scope.Progress = progress;
            var result = scope.Session.ChangeStatus(status, user.AsAdmin, scope.Now);
            Outcome<SessionView> outcome = result.IsDone
                ? SessionQueries.ToView(scope.Session, scope.Now)
                : Failure.Conflict(result.Refusal!);
            return Task.FromResult(outcome);
        }, cancellationToken);
    }
}
