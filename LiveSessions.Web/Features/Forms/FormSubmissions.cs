using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Forms;

/// <summary>Finds the form a session uses: its own of the kind, else its course's.</summary>
public static class FormLookup
{
    public static Task<FormDefinition?> EffectiveAsync(LiveSessionsDbContext db, int sessionId, int courseId, FormKind kind, CancellationToken cancellationToken) =>
        db.Forms.Include(f => f.Fields)
            .Where(f => f.Kind == kind && (f.SessionId == sessionId || f.CourseId == courseId))
            .OrderBy(f => f.SessionId == null)
            .FirstOrDefaultAsync(cancellationToken);

    public static async Task<SessionForms> OfSessionAsync(LiveSessionsDbContext db, int sessionId, int courseId, CancellationToken cancellationToken)
    {
        var kinds = await db.Forms.Where(f => f.SessionId == sessionId || f.CourseId == courseId).Select(f => f.Kind).Distinct().ToListAsync(cancellationToken);
        return new SessionForms(kinds.Contains(FormKind.Registration), kinds.Contains(FormKind.Feedback));
    }

    /// <summary>Links sent before links named their form: the learner's status tells which one the email was.</summary>
    public static FormKind KindOf(Features.Email.EmailLink link, SessionLearner learner) =>
        link.Form ?? (learner.Status is LearnerStatus.Attended or LearnerStatus.GoShow ? FormKind.Feedback : FormKind.Registration);
}

/// <summary>
/// Submitting a form inside a session's unit of work: the aggregate decides (registration flow, feedback once),
/// then the answers are stored beside the learner. Every route — portal, email link, API — ends here.
/// </summary>
public static class FormSubmissions
{
    /// <summary>The registration flow with the registration form's answers (none when the session has no form).</summary>
    public static async Task<Outcome<FormSubmission>> RegisterAsync(SessionScope scope, Employee employee, IReadOnlyDictionary<string, string>? answers, Actor actor, CancellationToken cancellationToken)
    {
        var form = await FormLookup.EffectiveAsync(scope.Db, scope.Session.Id, scope.Session.CourseId, FormKind.Registration, cancellationToken);
        var submission = scope.Session.SubmitRegistrationForm(employee, form, answers, actor, scope.Now);
        if (form is not null && answers is null && submission.Errors is { } missing)
        {
            // A plain "Register" (portal button, API without answers) on a session whose form has required fields.
            return new Failure(OutcomeKind.Invalid, "Fill the registration form to register: " + string.Join(" ", missing.Values), missing);
        }

        return await StoreAsync(scope, form, submission, actor, cancellationToken);
    }

    public static async Task<Outcome<FormSubmission>> FeedbackAsync(SessionScope scope, SessionLearner learner, IReadOnlyDictionary<string, string>? answers, Actor actor, CancellationToken cancellationToken)
    {
        var form = await FormLookup.EffectiveAsync(scope.Db, scope.Session.Id, scope.Session.CourseId, FormKind.Feedback, cancellationToken);
        if (form is null)
        {
            return Failure.Conflict("This session has no feedback form.");
        }

        return await StoreAsync(scope, form, scope.Session.SubmitFeedback(learner, form, answers, scope.Now), actor, cancellationToken);
    }

    public static Failure AsFailure<T>(this Outcome<T> outcome) => new(outcome.Kind, outcome.Message ?? "That did not work.", outcome.Errors);

    private static async Task<Outcome<FormSubmission>> StoreAsync(SessionScope scope, FormDefinition? form, FormSubmission submission, Actor actor, CancellationToken cancellationToken)
    {
        if (submission.Errors is { } errors)
        {
            return Failure.Invalid(errors);
        }

        if (submission.Refusal is { } refusal)
        {
            return Failure.Conflict(refusal);
        }

        if (form is null || !submission.AnswersRecorded)
        {
            return submission;
        }

        // A new learner row needs its id before the answers can point at it.
        await scope.Db.SaveChangesAsync(cancellationToken);
        var learner = submission.Learner!;
        var previous = await scope.Db.FormResponses.Include(r => r.Answers)
            .FirstOrDefaultAsync(r => r.SessionLearnerId == learner.Id && r.Kind == form.Kind, cancellationToken);
        if (previous is null)
        {
            scope.Db.FormResponses.Add(new FormResponse(form, scope.Session.Id, learner, submission.Answers, actor, scope.Now));
        }
        else
        {
            previous.Replace(form, submission.Answers, actor, scope.Now);
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        return submission;
    }
}

/// <summary>Form kinds as they appear in URLs: /form/registration, /form/feedback.</summary>
public static class FormKinds
{
    public static bool TryParse(string? value, out FormKind kind)
    {
        kind = default;
        return !string.IsNullOrEmpty(value) && value.All(char.IsLetter) && Enum.TryParse(value, ignoreCase: true, out kind);
    }

    public static string Slug(this FormKind kind) => kind == FormKind.Registration ? "registration" : "feedback";
}
