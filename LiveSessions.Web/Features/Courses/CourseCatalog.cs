using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Courses;

public sealed record CourseRow(
    int Id,
    string Title,
    string Description,
    SessionType Type,
    TimeSpan DefaultDuration,
    int DefaultCapacity,
    bool DefaultRequiresApproval,
    ApprovalFlow DefaultApprovalFlow,
    bool DefaultEnableWaitingList,
    bool DefaultEnableCalendar,
    int SessionCount,
    int DefaultApprovalLevels);

public sealed record CourseFields(
    string Title,
    string Description,
    SessionType Type,
    TimeSpan DefaultDuration,
    int DefaultCapacity,
    bool DefaultRequiresApproval,
    ApprovalFlow DefaultApprovalFlow,
    bool DefaultEnableWaitingList,
    bool DefaultEnableCalendar,
    int DefaultApprovalLevels = SessionDetails.DefaultApprovalLevels);

/// <summary>Courses: the templates whose defaults pre-fill new sessions.</summary>
public sealed class CourseCatalog(IDbContextFactory<LiveSessionsDbContext> contextFactory, SessionUnitOfWork work)
{
    public async Task<Outcome<IReadOnlyList<CourseRow>>> ListAsync(string? search, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can see the course catalogue.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Courses.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = $"%{search.Trim()}%";
            query = query.Where(c => EF.Functions.Like(c.Title, term) || EF.Functions.Like(c.Description, term));
        }

        var courses = await query.OrderBy(c => c.Title).ToListAsync(cancellationToken);
        var counts = await db.Sessions.GroupBy(s => s.CourseId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return courses.Select(c => ToRow(c, counts.GetValueOrDefault(c.Id))).ToList();
    }

    public Task<Outcome<CourseRow>> CreateAsync(CourseFields fields, CurrentUser user, CancellationToken cancellationToken = default) =>
        SaveAsync(null, fields, user, cancellationToken);

    public Task<Outcome<CourseRow>> UpdateAsync(int id, CourseFields fields, CurrentUser user, CancellationToken cancellationToken = default) =>
        SaveAsync(id, fields, user, cancellationToken);

    private Task<Outcome<CourseRow>> SaveAsync(int? id, CourseFields f, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<CourseRow>>(Failure.Forbidden("Only admins can edit courses."));
        }

        return work.RunAsync<CourseRow>(async db =>
        {
            Course course;
            try
            {
                if (id is { } existing)
                {
                    var found = await db.Courses.FirstOrDefaultAsync(c => c.Id == existing, cancellationToken);
                    if (found is null)
                    {
                        return Failure.NotFound("The course");
                    }

                    course = found;
                    course.Update(f.Title, f.Description, f.Type, f.DefaultDuration, f.DefaultCapacity);
                }
                else
                {
                    course = new Course(f.Title, f.Description, f.Type, f.DefaultDuration, f.DefaultCapacity);
                    db.Courses.Add(course);
                }
            }
            catch (DomainException ex)
            {
                return Failure.Invalid("course", ex.Message);
            }

            try
            {
                course.SetDefaults(f.DefaultRequiresApproval, f.DefaultApprovalFlow, f.DefaultEnableWaitingList, f.DefaultEnableCalendar, approvalLevels: f.DefaultApprovalLevels);
            }
            catch (DomainException ex)
            {
                return Failure.Invalid(nameof(CourseFields.DefaultApprovalLevels), ex.Message);
            }

            await db.SaveChangesAsync(cancellationToken);
            return ToRow(course, 0);
        }, cancellationToken);
    }

    private static CourseRow ToRow(Course c, int sessions) => new(c.Id, c.Title, c.Description, c.Type, c.DefaultDuration, c.DefaultCapacity,
        c.DefaultRequiresApproval, c.DefaultApprovalFlow, c.DefaultEnableWaitingList, c.DefaultEnableCalendar, sessions, c.DefaultApprovalLevels);
}
