using LiveSessions.Web.Features.Operations;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Sessions;

/// <summary>Every field of a session form or API body; null fields of a PATCH keep their value.</summary>
public sealed record SessionFields
{
    public int? CourseId { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public SessionType? Type { get; init; }

    public DateTimeOffset? Start { get; init; }

    public DateTimeOffset? End { get; init; }

    public string? TimeZone { get; init; }

    public string? Location { get; init; }

    public int? MaxCapacity { get; init; }

    public bool? EnableWaitingList { get; init; }

    public bool? RequiresApproval { get; init; }

    public ApprovalFlow? ApprovalFlow { get; init; }

    public int? ApprovalLevels { get; init; }

    public bool? EnableCalendar { get; init; }

    public IReadOnlyList<string>? TrainerEmails { get; init; }

    public AutomationSettings? Automation { get; init; }
}

/// <summary>Creates a session (Draft, course defaults for what is not given) or changes one.</summary>
public sealed class SaveSession(SessionUnitOfWork work)
{
    public Task<Outcome<SessionView>> CreateAsync(SessionFields fields, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<SessionView>>(Failure.Forbidden("Only admins can create sessions."));
        }

        return work.RunAsync<SessionView>(async db =>
        {
            if (fields.CourseId is not { } courseId)
            {
                return Failure.Invalid(nameof(SessionFields.CourseId), "Pick the course this session belongs to.");
            }

            var course = await db.Courses.FirstOrDefaultAsync(c => c.Id == courseId, cancellationToken);
            if (course is null)
            {
                return Failure.Invalid(nameof(SessionFields.CourseId), $"There is no course {courseId}.");
            }

            if (fields.Start is null)
            {
                return Failure.Invalid(nameof(SessionFields.Start), "The start is required.");
            }

            var details = Merge(SessionDetails.FromCourse(course, fields.Start.Value, fields.TimeZone ?? "UTC"), fields);
            var errors = details.Validate();
            if (errors.Count > 0)
            {
                return Failure.Invalid(errors);
            }

            var trainers = await FindTrainersAsync(db, fields.TrainerEmails ?? [], cancellationToken);
            if (!trainers.IsOk)
            {
                return new Failure(trainers.Kind, trainers.Message!, trainers.Errors);
            }

            var session = new LiveSession(course, details, trainers.Value!);
            db.Sessions.Add(session);
            await db.SaveChangesAsync(cancellationToken);
            return SessionQueries.ToView(session, work.Now);
        }, cancellationToken);
    }

    public Task<Outcome<SessionView>> UpdateAsync(int sessionId, SessionFields fields, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<SessionView>>(Failure.Forbidden("Only admins can change sessions."));
        }

        return work.RunAsync<SessionView>(sessionId, async scope =>
        {
            var session = scope.Session;
            if (fields.CourseId is { } courseId && courseId != session.CourseId)
            {
                return Failure.Invalid(nameof(SessionFields.CourseId), "A session cannot move to another course.");
            }

            var current = new SessionDetails
            {
                Title = session.Title,
                Description = session.Description,
                Type = session.Type,
                Start = session.Start,
                End = session.End,
                TimeZone = session.TimeZone,
                Location = session.Location,
                MaxCapacity = session.MaxCapacity,
                EnableWaitingList = session.EnableWaitingList,
                RequiresApproval = session.RequiresApproval,
                ApprovalFlow = session.ApprovalFlow,
                ApprovalLevels = session.ApprovalLevels,
                EnableCalendar = session.EnableCalendar,
                Automation = session.Automation,
            };
            var trainers = fields.TrainerEmails is null
                ? session.Trainers.OrderBy(t => t.Order).Select(t => t.Employee).ToList()
                : (await FindTrainersAsync(scope.Db, fields.TrainerEmails, cancellationToken)) is { IsOk: true } found
                    ? found.Value!
                    : null;
            if (trainers is null)
            {
                return Failure.Invalid(nameof(SessionFields.TrainerEmails), "Every trainer must be an employee of the directory.");
            }

            var result = session.UpdateDetails(Merge(current, fields), trainers, user.AsAdmin, scope.Now);
            if (result.Errors is { } errors)
            {
                return Failure.Invalid(errors);
            }

            if (result.Refusal is null && fields.Automation is { } automation && automation != current.Automation)
            {
                scope.Db.AuditEntries.Add(AuditEntry.Of(scope.Now, user.Email, AuditAction.AutomationChanged, $"session {sessionId}", ChangedSettings(current.Automation, automation)));
            }

            return result.Refusal is { } refusal ? Failure.Conflict(refusal) : SessionQueries.ToView(session, scope.Now);
        }, cancellationToken);
    }

    /// <summary>"SeatOfferHoldTime 2.00:00:00 → 1.00:00:00; …": each automation setting that changed.</summary>
    private static string ChangedSettings(AutomationSettings before, AutomationSettings after) => string.Join("; ",
        typeof(AutomationSettings).GetProperties()
            .Select(p => (p.Name, Before: p.GetValue(before), After: p.GetValue(after)))
            .Where(c => !Equals(c.Before, c.After))
            .Select(c => $"{c.Name} {c.Before} → {c.After}"));

    private static SessionDetails Merge(SessionDetails d, SessionFields f) => d with
    {
        Title = f.Title ?? d.Title,
        Description = f.Description ?? d.Description,
        Type = f.Type ?? d.Type,
        Start = f.Start ?? d.Start,
        End = f.End ?? (f.Start is { } start && f.End is null ? start + (d.End - d.Start) : d.End),
        TimeZone = f.TimeZone ?? d.TimeZone,
        Location = f.Location ?? d.Location,
        MaxCapacity = f.MaxCapacity ?? d.MaxCapacity,
        EnableWaitingList = f.EnableWaitingList ?? d.EnableWaitingList,
        RequiresApproval = f.RequiresApproval ?? d.RequiresApproval,
        ApprovalFlow = f.ApprovalFlow ?? d.ApprovalFlow,
        ApprovalLevels = f.ApprovalLevels ?? d.ApprovalLevels,
        EnableCalendar = f.EnableCalendar ?? d.EnableCalendar,
        Automation = f.Automation ?? d.Automation,
    };

    private static async Task<Outcome<List<Employee>>> FindTrainersAsync(LiveSessionsDbContext db, IReadOnlyList<string> emails, CancellationToken cancellationToken)
    {
        var wanted = emails.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim().ToLowerInvariant()).Distinct().ToList();
        var found = await db.Employees.Where(e => wanted.Contains(e.Email)).ToListAsync(cancellationToken);
        var missing = wanted.Except(found.Select(e => e.Email)).ToList();
        if (missing.Count > 0)
        {
            return Failure.Invalid(nameof(SessionFields.TrainerEmails), $"No employee has the email {string.Join(", ", missing)}.");
        }

        return wanted.Select(w => found.First(f => f.Email == w)).ToList();
    }
}
