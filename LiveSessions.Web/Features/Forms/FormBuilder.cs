using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Forms;

/// <summary>Whose form: a session's own, or a course's (used by its sessions that have none of their own).</summary>
public sealed record FormOwner(int? SessionId, int? CourseId)
{
    public static FormOwner Session(int id) => new(id, null);

    public static FormOwner Course(int id) => new(null, id);
}

/// <summary>Where the form a session uses comes from.</summary>
public enum FormSource
{
    None,
    Own,
    Course,
}

/// <summary>The form as the builder opens it: the owner's own fields, or the course's to start a session's copy from.</summary>
public sealed record FormEditView(FormOwner Owner, FormKind Kind, string OwnerTitle, FormSource Source, IReadOnlyList<FormFieldSpec> Fields, int Responses, int Version);

/// <summary>The admin's form builder: read, save (fields added, removed, reordered) and remove a session's or course's form.</summary>
public sealed class FormBuilder(IDbContextFactory<LiveSessionsDbContext> contextFactory, SessionUnitOfWork work)
{
    private const string Changed = "Someone else changed this form meanwhile. Close it and open it again to see their version.";

    public async Task<Outcome<FormEditView>> GetAsync(FormOwner owner, FormKind kind, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can build forms.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await ViewAsync(db, owner, kind, cancellationToken);
    }

    /// <summary>Saves the fields; <paramref name="version"/> is the version the admin opened, so a save over someone else's is refused.</summary>
    public async Task<Outcome<FormEditView>> SaveAsync(FormOwner owner, FormKind kind, IReadOnlyList<FormFieldSpec> fields, int version, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can build forms.");
        }

        try
        {
            return await work.RunAsync<FormEditView>(async db =>
            {
                if (await OwnerTitleAsync(db, owner, cancellationToken) is null)
                {
                    return Failure.NotFound(owner.SessionId is null ? "The course" : "The session");
                }

                var form = await OwnFormAsync(db, owner, kind, cancellationToken);
                if ((form?.Version ?? 0) != version)
                {
                    return Failure.Conflict(Changed);
                }

                if (form is null)
                {
                    form = owner.SessionId is { } sessionId ? FormDefinition.ForSession(sessionId, kind) : FormDefinition.ForCourse(owner.CourseId!.Value, kind);
                    db.Forms.Add(form);
                }

                var errors = form.SetFields(fields);
                if (errors.Count > 0)
                {
                    return Failure.Invalid(errors);
                }

                await db.SaveChangesAsync(cancellationToken);
                return (await ViewAsync(db, owner, kind, cancellationToken)).Value!;
            }, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The form's version (or the one-form-per-owner index) says another admin saved first.
            return Failure.Conflict(Changed);
        }
    }

    /// <summary>Removes the owner's own form; a session then uses its course's again. Refused once learners have answered it.</summary>
    public async Task<Outcome<FormEditView>> RemoveAsync(FormOwner owner, FormKind kind, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can build forms.");
        }

        return await work.RunAsync<FormEditView>(async db =>
        {
            var form = await OwnFormAsync(db, owner, kind, cancellationToken);
            if (form is null)
            {
                return Failure.NotFound($"The {kind.Display().ToLowerInvariant()}");
            }

            var answered = await db.FormResponses.CountAsync(r => r.FormId == form.Id, cancellationToken);
            if (answered > 0)
            {
                return Failure.Conflict($"{answered} {(answered == 1 ? "learner has" : "learners have")} answered this form, so it stays; change its fields instead.");
            }

            db.Forms.Remove(form);
            await db.SaveChangesAsync(cancellationToken);
            return (await ViewAsync(db, owner, kind, cancellationToken)).Value!;
        }, cancellationToken);
    }

    private static async Task<Outcome<FormEditView>> ViewAsync(LiveSessionsDbContext db, FormOwner owner, FormKind kind, CancellationToken cancellationToken)
    {
        var title = await OwnerTitleAsync(db, owner, cancellationToken);
        if (title is null)
        {
            return Failure.NotFound(owner.SessionId is null ? "The course" : "The session");
        }

        var own = await OwnFormAsync(db, owner, kind, cancellationToken);
        if (own is not null)
        {
            var responses = await db.FormResponses.CountAsync(r => r.FormId == own.Id, cancellationToken);
            return new FormEditView(owner, kind, title, FormSource.Own, own.Fields.Select(f => f.ToSpec()).ToList(), responses, own.Version);
        }

        if (owner.SessionId is { } sessionId)
        {
            var courseId = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.CourseId).FirstAsync(cancellationToken);
            var inherited = await OwnFormAsync(db, FormOwner.Course(courseId), kind, cancellationToken);
            if (inherited is not null)
            {
                // Saving makes the session's own copy: new keys, so the course's form is left as it is.
                return new FormEditView(owner, kind, title, FormSource.Course, inherited.Fields.Select(f => f.ToSpec() with { Key = null }).ToList(), 0, 0);
            }
        }

        return new FormEditView(owner, kind, title, FormSource.None, [], 0, 0);
    }

    private static Task<FormDefinition?> OwnFormAsync(LiveSessionsDbContext db, FormOwner owner, FormKind kind, CancellationToken cancellationToken) =>
        owner.SessionId is { } sessionId
            ? db.Forms.Include(f => f.Fields).FirstOrDefaultAsync(f => f.SessionId == sessionId && f.Kind == kind, cancellationToken)
            : db.Forms.Include(f => f.Fields).FirstOrDefaultAsync(f => f.CourseId == owner.CourseId && f.Kind == kind, cancellationToken);

    private static Task<string?> OwnerTitleAsync(LiveSessionsDbContext db, FormOwner owner, CancellationToken cancellationToken) =>
        owner.SessionId is { } sessionId
            ? db.Sessions.Where(s => s.Id == sessionId).Select(s => s.Title).FirstOrDefaultAsync(cancellationToken)
            : db.Courses.Where(c => c.Id == owner.CourseId).Select(c => c.Title).FirstOrDefaultAsync(cancellationToken);
}
