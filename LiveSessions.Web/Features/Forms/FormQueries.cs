using System.Globalization;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Forms;

public sealed record AnswerLine(string Label, string Value);

public sealed record LearnerFormAnswers(FormKind Kind, DateTimeOffset SubmittedAt, IReadOnlyList<AnswerLine> Answers);

/// <summary>A learner's forms on their row: when the feedback form was sent and filled, and every answer given.</summary>
public sealed record LearnerFormsView(DateTimeOffset? RegistrationFormFilledAt, DateTimeOffset? FeedbackFormSentAt, DateTimeOffset? FeedbackFormFilledAt, IReadOnlyList<LearnerFormAnswers> Responses);

/// <summary>Which forms a session uses and where they come from, for the session page's buttons.</summary>
public sealed record SessionFormsState(FormSource Registration, FormSource Feedback, int FeedbackResponses);

public sealed record FeedbackSummaryView(int SessionId, string SessionTitle, string TimeZone, FormSource Source, int Attended, int Sent, FeedbackSummary? Summary);

/// <summary>What admins and the session's trainers read about forms: answers per learner, and the feedback summary.</summary>
public sealed class FormQueries(IDbContextFactory<LiveSessionsDbContext> contextFactory)
{
    public async Task<Outcome<LearnerFormsView>> ForLearnerAsync(int sessionId, int learnerId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        var learner = await db.Learners.AsNoTracking().Where(l => l.Id == learnerId && l.SessionId == sessionId)
            .Select(l => new { l.RegistrationFormFilledAt, l.FeedbackFormSentAt, l.FeedbackFormFilledAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (learner is null)
        {
            return Failure.NotFound("The learner");
        }

        var responses = await db.FormResponses.AsNoTracking().Include(r => r.Answers)
            .Where(r => r.SessionLearnerId == learnerId).ToListAsync(cancellationToken);
        return new LearnerFormsView(learner.RegistrationFormFilledAt, learner.FeedbackFormSentAt, learner.FeedbackFormFilledAt,
            responses.OrderBy(r => r.Kind)
                .Select(r => new LearnerFormAnswers(r.Kind, r.SubmittedAt, r.Answers.Select(a => new AnswerLine(a.Label, a.Display)).ToList()))
                .ToList());
    }

    public async Task<Outcome<SessionFormsState>> StateAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        var courseId = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.CourseId).FirstAsync(cancellationToken);
        var owners = await db.Forms.Where(f => f.SessionId == sessionId || f.CourseId == courseId)
            .Select(f => new { f.Kind, Own = f.SessionId != null }).ToListAsync(cancellationToken);
        var responses = await db.FormResponses.CountAsync(r => r.SessionId == sessionId && r.Kind == FormKind.Feedback, cancellationToken);
        return new SessionFormsState(Source(FormKind.Registration), Source(FormKind.Feedback), responses);

        FormSource Source(FormKind kind) =>
            owners.Any(o => o.Kind == kind && o.Own) ? FormSource.Own : owners.Any(o => o.Kind == kind) ? FormSource.Course : FormSource.None;
    }

    public async Task<Outcome<FeedbackSummaryView>> FeedbackSummaryAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new { s.Title, s.TimeZone, s.CourseId }).FirstAsync(cancellationToken);
        var form = await FormLookup.EffectiveAsync(db, sessionId, session.CourseId, FormKind.Feedback, cancellationToken);
        var attended = await db.Learners.CountAsync(l => l.SessionId == sessionId && (l.Status == LearnerStatus.Attended || l.Status == LearnerStatus.GoShow), cancellationToken);
        var sent = await db.Learners.CountAsync(l => l.SessionId == sessionId && l.FeedbackFormSentAt != null, cancellationToken);
        if (form is null)
        {
            return new FeedbackSummaryView(sessionId, session.Title, session.TimeZone, FormSource.None, attended, sent, null);
        }

        var responses = await db.FormResponses.AsNoTracking().Include(r => r.Answers)
            .Where(r => r.SessionId == sessionId && r.Kind == FormKind.Feedback).ToListAsync(cancellationToken);
        return new FeedbackSummaryView(sessionId, session.Title, session.TimeZone, form.SessionId is null ? FormSource.Course : FormSource.Own,
            attended, sent, FeedbackSummary.Of(form, responses));
    }
}

/// <summary>
/// The forms' columns of the learners export: per form in use, its dates and one column per question ("Feedback:
/// How was it?"), answers matched by label, every cell neutralised like the others.
/// </summary>
public sealed class FormExportColumns
{
    private readonly List<(string Header, Func<int, string?> Value)> columns = [];

    private FormExportColumns()
    {
    }

    /// <summary>True when no form is in use: the export has its fixed columns only.</summary>
    public bool IsEmpty => columns.Count == 0;

    private sealed record FormDates(int Id, DateTimeOffset? RegistrationFormFilledAt, DateTimeOffset? FeedbackFormSentAt, DateTimeOffset? FeedbackFormFilledAt);

    public static async Task<FormExportColumns> LoadAsync(LiveSessionsDbContext db, int sessionId, CancellationToken cancellationToken)
    {
        var export = new FormExportColumns();
        var courseId = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.CourseId).FirstAsync(cancellationToken);
        var responses = await db.FormResponses.AsNoTracking().Include(r => r.Answers)
            .Where(r => r.SessionId == sessionId).ToListAsync(cancellationToken);
        Dictionary<int, FormDates>? formDates = null;
        foreach (var kind in Enum.GetValues<FormKind>())
        {
            var form = await FormLookup.EffectiveAsync(db, sessionId, courseId, kind, cancellationToken);
            var answered = responses.Where(r => r.Kind == kind).ToDictionary(r => r.SessionLearnerId);
            if (form is null && answered.Count == 0)
            {
                continue;
            }

            // Read once, and only when a form is in use: most sessions have none, and the export stays one pass over the roster.
            var dates = formDates ??= await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId)
                .Select(l => new FormDates(l.Id, l.RegistrationFormFilledAt, l.FeedbackFormSentAt, l.FeedbackFormFilledAt))
                .ToDictionaryAsync(l => l.Id, cancellationToken);
            var prefix = kind == FormKind.Registration ? "Registration" : "Feedback";
            if (kind == FormKind.Registration)
            {
                export.columns.Add(("Registration form filled at (UTC)", id => Utc(dates.GetValueOrDefault(id)?.RegistrationFormFilledAt)));
            }
            else
            {
                export.columns.Add(("Feedback form sent at (UTC)", id => Utc(dates.GetValueOrDefault(id)?.FeedbackFormSentAt)));
                export.columns.Add(("Feedback form filled at (UTC)", id => Utc(dates.GetValueOrDefault(id)?.FeedbackFormFilledAt)));
            }

            // The form's questions in order, then any question answered earlier that the form no longer asks.
            var labels = (form?.Fields.Select(f => f.Label) ?? [])
                .Concat(answered.Values.SelectMany(r => r.Answers).Select(a => a.Label))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            foreach (var label in labels)
            {
                export.columns.Add(($"{prefix}: {label}", id => answered.TryGetValue(id, out var r)
                    ? r.Answers.FirstOrDefault(a => string.Equals(a.Label, label, StringComparison.OrdinalIgnoreCase))?.Display
                    : null));
            }
        }

        return export;
    }

    public Dictionary<string, object?> AddTo(Dictionary<string, object?> row, int learnerId)
    {
        foreach (var (header, value) in columns)
        {
            row[header] = ExportLearners.Neutralise(value(learnerId));
        }

        return row;
    }

    private static string? Utc(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
