using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Forms;

public sealed record FormFieldView(string Key, FormFieldKind Kind, string Label, bool Required, IReadOnlyList<string> Choices)
{
    public static FormFieldView From(FormField f) => new(f.Key, f.Kind, f.Label, f.Required, f.Choices);
}

/// <summary>A form as the learner fills it; <see cref="Closed"/> says why it cannot be filled (the page shows it instead).</summary>
public sealed record FormPageView(FormKind Kind, string Heading, int SessionId, string SessionTitle, string When, string LearnerName, IReadOnlyList<FormFieldView> Fields, string? Closed);

/// <summary>What sending the form did, in a sentence for the learner.</summary>
public sealed record FormSent(string Message, LearnerStatus Status);

/// <summary>
/// The learner fills a form: signed in from the portal (/me/sessions/{id}/form/{kind}), or anonymously from the
/// emailed link, which acts for the learner it names and is used up when the answers are accepted.
/// </summary>
public sealed class FillForm(IDbContextFactory<LiveSessionsDbContext> contextFactory, SessionUnitOfWork work, SignedLinks links, RegisterLearner register, TimeProvider clock)
{
    public async Task<Outcome<FormPageView>> ReadAsync(int sessionId, FormKind kind, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var found = await FindSelfAsync(db, sessionId, user, cancellationToken);
        if (!found.IsOk)
        {
            return found.AsFailure();
        }

        var (session, employee, learner) = found.Value!;
        return await ViewAsync(db, session, learner, employee.Name, kind, cancellationToken);
    }

    /// <summary>The forms the signed-in learner can fill now in a session they are in (for the portal's session cards).</summary>
    public async Task<IReadOnlyList<FormKind>> OpenFormsAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var found = await FindSelfAsync(db, sessionId, user, cancellationToken);
        if (found.Value is not { Learner: not null } self)
        {
            return [];
        }

        var open = new List<FormKind>();
        foreach (var kind in Enum.GetValues<FormKind>())
        {
            if ((await ViewAsync(db, self.Session, self.Learner, self.Employee.Name, kind, cancellationToken)).Closed is null)
            {
                open.Add(kind);
            }
        }

        return open;
    }

    /// <summary>Whether the session uses a form of the kind (its own or its course's): the portal sends "Register" to the form when it does.</summary>
    public async Task<bool> HasFormAsync(int sessionId, FormKind kind, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var courseId = await db.Sessions.Where(s => s.Id == sessionId).Select(s => (int?)s.CourseId).FirstOrDefaultAsync(cancellationToken);
        return courseId is { } c && await db.Forms.AnyAsync(f => f.Kind == kind && (f.SessionId == sessionId || f.CourseId == c), cancellationToken);
    }

    public async Task<Outcome<FormSent>> SubmitAsync(int sessionId, FormKind kind, IReadOnlyDictionary<string, string> answers, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (kind == FormKind.Registration)
        {
            var registered = await register.HandleAsync(sessionId, user, answers, cancellationToken);
            return registered.IsOk
                ? new FormSent(Sentence(registered.Value!.Message, registered.Value.Learner.Status), registered.Value.Learner.Status)
                : registered.AsFailure();
        }

        return await work.RunAsync<FormSent>(sessionId, async scope =>
        {
            var learner = await LearnerLookup.FindSelfInSessionAsync(scope, user, cancellationToken);
            if (learner is null)
            {
                return Failure.NotFound("Your place in this session");
            }

            var sent = await FormSubmissions.FeedbackAsync(scope, learner, answers, user.AsLearner, cancellationToken);
            return sent.IsOk ? new FormSent(Sentence(sent.Value!.Message, learner.Status), learner.Status) : sent.AsFailure();
        }, cancellationToken);
    }

    /// <summary>The form an emailed link opens, or why the link cannot be used (<see cref="FormPageView.Closed"/>).</summary>
    public async Task<FormPageView> ReadByLinkAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (check, link) = await links.ReadAsync(db, token, cancellationToken);
        if (check != LinkCheck.Valid || link!.Purpose != LinkPurpose.OpenForm)
        {
            return Unusable(WhyNot(check, link));
        }

        var session = await SessionUnitOfWork.LoadAsync(db, link.SessionId, cancellationToken);
        var learner = session?.FindLearnerById(link.LearnerId);
        if (session is null || learner is null)
        {
            return Unusable("This link no longer matches anyone in the session.");
        }

        return await ViewAsync(db, session, learner, learner.Employee.Name, FormLookup.KindOf(link, learner), cancellationToken);
    }

    public async Task<Outcome<FormSent>> SubmitByLinkAsync(string token, IReadOnlyDictionary<string, string> answers, CancellationToken cancellationToken = default)
    {
        int sessionId;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var (check, link) = await links.ReadAsync(db, token, cancellationToken);
            if (check != LinkCheck.Valid || link!.Purpose != LinkPurpose.OpenForm)
            {
                return Failure.Conflict(WhyNot(check, link));
            }

            sessionId = link.SessionId;
        }

        return await work.RunAsync<FormSent>(sessionId, async scope =>
        {
            // Read again inside the serialised unit of work: two submissions at once use the link once.
            var (check, link) = await links.ReadAsync(scope.Db, token, cancellationToken);
            if (check != LinkCheck.Valid || link!.Purpose != LinkPurpose.OpenForm)
            {
                return Failure.Conflict(WhyNot(check, link));
            }

            var learner = scope.Session.FindLearnerById(link.LearnerId);
            if (learner is null)
            {
                return Failure.Conflict("This link no longer matches anyone in the session.");
            }

            var actor = Actor.Learner(learner.Employee.Email);
            var sent = FormLookup.KindOf(link, learner) == FormKind.Registration
                ? await FormSubmissions.RegisterAsync(scope, learner.Employee, answers, actor, cancellationToken)
                : await FormSubmissions.FeedbackAsync(scope, learner, answers, actor, cancellationToken);
            if (!sent.IsOk)
            {
                return sent.AsFailure();
            }

            var message = Sentence(sent.Value!.Message, learner.Status);
            await SignedLinks.UseAsync(scope.Db, link, scope.Now, message, cancellationToken);
            return new FormSent(message, learner.Status);
        }, cancellationToken);
    }

    private static async Task<Outcome<(LiveSession Session, Employee Employee, SessionLearner? Learner)>> FindSelfAsync(LiveSessionsDbContext db, int sessionId, CurrentUser user, CancellationToken cancellationToken)
    {
        var employee = await db.Employees.AsNoTracking().FirstOrDefaultAsync(e => e.Email == user.Email, cancellationToken);
        if (employee is null)
        {
            return Failure.Forbidden("Your account is not linked to an employee of the directory.");
        }

        var session = await SessionUnitOfWork.LoadAsync(db, sessionId, cancellationToken);
        var learner = session?.Learners.FirstOrDefault(l => l.EmployeeId == employee.Id);

        // A session the learner is not in is shown only while it is open to them, so ids reveal nothing else.
        if (session is null || (learner is null && session.Status != SessionStatus.Ready))
        {
            return Failure.NotFound("The session");
        }

        return (session, employee, learner);
    }

    private async Task<FormPageView> ViewAsync(LiveSessionsDbContext db, LiveSession session, SessionLearner? learner, string learnerName, FormKind kind, CancellationToken cancellationToken)
    {
        var form = await FormLookup.EffectiveAsync(db, session.Id, session.CourseId, kind, cancellationToken);
        var closed = form is null
            ? $"This session has no {kind.Display().ToLowerInvariant()}."
            : session.WhyCannotFill(learner, kind, clock.GetUtcNow());
        return new FormPageView(kind, kind.Display(), session.Id, session.Title, SessionTime.FormatRange(session.Start, session.End, session.TimeZone), learnerName,
            form?.Fields.Select(FormFieldView.From).ToList() ?? [], closed);
    }

    private static string Sentence(string? message, LearnerStatus status) => message ?? status switch
    {
        LearnerStatus.Registered => "Thank you: you are registered. See you there!",
        LearnerStatus.NeedsApproval => "Thank you: your registration now waits for your manager's approval; we will email you the answer.",
        _ => "Thank you: your answers are saved.",
    };

    private static FormPageView Unusable(string why) => new(FormKind.Registration, "This link cannot be used", 0, string.Empty, string.Empty, string.Empty, [], why);

    private static string WhyNot(LinkCheck check, EmailLink? link) => check switch
    {
        LinkCheck.Valid => "This link does not open a form.",
        LinkCheck.Used => $"This link was already used. {link?.Outcome}".Trim(),
        LinkCheck.Expired => "This link has expired. Ask the training team for a new one, or use your sessions page.",
        LinkCheck.Tampered => "This link is damaged or was changed. Open it again from the email exactly as it was sent.",
        _ => "This link does not match any email we sent.",
    };
}
