using LiveSessions.Domain;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Registration;

/// <summary>What a learner's action did, with a sentence for them ("you joined the waiting list, position 3").</summary>
public sealed record LearnerActionResult(LearnerRow Learner, string? Message);

/// <summary>
/// The registration flow for the signed-in learner: one handler for the portal, the registration-form email and
/// POST /api/me/registrations.
/// </summary>
public sealed class RegisterLearner(SessionUnitOfWork work)
{
    public Task<Outcome<LearnerActionResult>> HandleAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default) =>
        HandleAsync(sessionId, user, null, cancellationToken);

    /// <summary>With the registration form's answers (field key → value): checked when the session has a form, stored with the registration.</summary>
    public Task<Outcome<LearnerActionResult>> HandleAsync(int sessionId, CurrentUser user, IReadOnlyDictionary<string, string>? answers, CancellationToken cancellationToken = default) =>
        work.RunAsync<LearnerActionResult>(sessionId, RosterNeed.Email(user.Email), async scope =>
        {
            var employee = await LearnerLookup.FindSelfAsync(scope.Db, user, cancellationToken);
            if (employee is null)
            {
                return Failure.Forbidden("Your account is not linked to an employee of the directory.");
            }

            var submitted = await FormSubmissions.RegisterAsync(scope, employee, answers, user.AsLearner, cancellationToken);
            if (!submitted.IsOk)
            {
                return submitted.AsFailure();
            }

            return await LearnerLookup.ToOutcomeAsync(scope, LearnerResult.Done(submitted.Value!.Learner!, submitted.Value.Message), cancellationToken);
        }, cancellationToken);
}

/// <summary>The learner cancels (or leaves the waiting list); a freed seat goes to the next in line at once.</summary>
public sealed class CancelRegistration(SessionUnitOfWork work)
{
    public Task<Outcome<LearnerActionResult>> HandleAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default) =>
        work.RunAsync<LearnerActionResult>(sessionId, RosterNeed.Email(user.Email), async scope =>
        {
            var learner = await LearnerLookup.FindSelfInSessionAsync(scope, user, cancellationToken);
            if (learner is null)
            {
                return Failure.NotFound("Your registration to this session");
            }

            return await LearnerLookup.ToOutcomeAsync(scope, scope.Session.Cancel(learner, user.AsLearner, scope.Now), cancellationToken);
        }, cancellationToken);
}

/// <summary>The learner answers an invitation (portal; later also the signed email link).</summary>
public sealed class RespondToInvitation(SessionUnitOfWork work)
{
    public Task<Outcome<LearnerActionResult>> HandleAsync(int sessionId, bool accept, CurrentUser user, CancellationToken cancellationToken = default) =>
        work.RunAsync<LearnerActionResult>(sessionId, RosterNeed.Email(user.Email), async scope =>
        {
            var learner = await LearnerLookup.FindSelfInSessionAsync(scope, user, cancellationToken);
            if (learner is null)
            {
                return Failure.NotFound("Your invitation to this session");
            }

            return await LearnerLookup.ToOutcomeAsync(scope, Respond(scope, learner, accept, user.AsLearner), cancellationToken);
        }, cancellationToken);

    /// <summary>For a signed link: acts for the learner the link names, nobody else.</summary>
    public Task<Outcome<LearnerActionResult>> HandleForLearnerAsync(int sessionId, int learnerId, bool accept, CancellationToken cancellationToken = default) =>
        work.RunAsync<LearnerActionResult>(sessionId, RosterNeed.Learner(learnerId), async scope =>
        {
            var learner = scope.Session.FindLearnerById(learnerId);
            if (learner is null)
            {
                return Failure.NotFound("The invitation");
            }

            return await LearnerLookup.ToOutcomeAsync(scope, Respond(scope, learner, accept, Actor.Learner(learner.Employee.Email)), cancellationToken);
        }, cancellationToken);

    private static LearnerResult Respond(SessionScope scope, SessionLearner learner, bool accept, Actor actor) => accept
        ? scope.Session.AcceptInvitation(learner, actor, scope.Now)
        : scope.Session.DeclineInvitation(learner, actor, scope.Now);
}

/// <summary>Approver (or admin) approves or declines a registration request routed to them.</summary>
public sealed class DecideApproval(SessionUnitOfWork work)
{
    public Task<Outcome<LearnerActionResult>> HandleAsync(int sessionId, int learnerId, bool approve, string? note, CurrentUser user, CancellationToken cancellationToken = default) =>
        work.RunAsync<LearnerActionResult>(sessionId, RosterNeed.Learner(learnerId), async scope =>
        {
            var learner = scope.Session.FindLearnerById(learnerId);
            if (learner is null)
            {
                return Failure.NotFound("The registration request");
            }

            if (!user.IsAdmin)
            {
                var approver = await LearnerLookup.ApproverOfAsync(scope.Db, learner.Employee, scope.Session, cancellationToken);
                if (!user.IsApprover || approver is null || approver.Email != user.Email)
                {
                    return Failure.Forbidden("This request is not routed to you.");
                }
            }

            var result = approve
                ? scope.Session.Approve(learner, user.AsApprover, scope.Now)
                : scope.Session.DeclineApproval(learner, note, user.AsApprover, scope.Now);
            return await LearnerLookup.ToOutcomeAsync(scope, result, cancellationToken);
        }, cancellationToken);
}

internal static class LearnerLookup
{
    public static Task<Employee?> FindSelfAsync(LiveSessionsDbContext db, CurrentUser user, CancellationToken cancellationToken) =>
        db.Employees.FirstOrDefaultAsync(e => e.Email == user.Email, cancellationToken);

    public static async Task<SessionLearner?> FindSelfInSessionAsync(SessionScope scope, CurrentUser user, CancellationToken cancellationToken)
    {
        var employee = await FindSelfAsync(scope.Db, user, cancellationToken);
        return employee is null ? null : scope.Session.FindLearner(employee);
    }

    /// <summary>
    /// The session's approver for <paramref name="employee"/> (tracked by <paramref name="db"/>): loads their managers as
    /// far up as the session's approval reaches, in one query, and walks the chain. Null: nobody is found, the admins decide.
    /// </summary>
    public static async Task<Employee?> ApproverOfAsync(LiveSessionsDbContext db, Employee employee, LiveSession session, CancellationToken cancellationToken)
    {
        await db.LoadManagersAsync([employee], session.ApprovalChainDepth, cancellationToken);
        return session.ApproverOf(employee);
    }

    public static async Task<Outcome<LearnerActionResult>> ToOutcomeAsync(SessionScope scope, LearnerResult result, CancellationToken cancellationToken)
    {
        if (!result.IsDone)
        {
            return Failure.Conflict(result.Refusal!);
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        return new LearnerActionResult(LearnerRow.From(scope.Session, result.Learner!), result.Message);
    }
}
