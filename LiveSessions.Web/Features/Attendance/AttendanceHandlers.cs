using LiveSessions.Domain;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Attendance;

/// <summary>A trainer's tap on the attendance form: idempotent, the later mark wins.</summary>
public sealed class MarkAttendance(SessionUnitOfWork work, AttendanceWindow window)
{
    public Task<Outcome<LearnerRow>> HandleAsync(int sessionId, int learnerId, bool attended, CurrentUser user, CancellationToken cancellationToken = default) =>
        work.RunAsync<LearnerRow>(sessionId, RosterNeed.Learner(learnerId), async scope =>
        {
            if (!user.CanSeeSession(scope.Session))
            {
                return Failure.Forbidden("Only this session's trainers and admins can take its attendance.");
            }

            var learner = scope.Session.FindLearnerById(learnerId);
            if (learner is null)
            {
                return Failure.NotFound("The learner");
            }

            var result = scope.Session.MarkAttendance(learner, attended, user.AsTrainer, scope.Now, window.OpensBefore);
            if (!result.IsDone)
            {
                return Failure.Conflict(result.Refusal!);
            }

            await scope.Db.SaveChangesAsync(cancellationToken);
            return LearnerRow.From(scope.Session, learner);
        }, cancellationToken);
}

/// <summary>Someone who was not registered turned up: found by employee id or email, or created from name and email.</summary>
public sealed record GoShowRequest(int? EmployeeId = null, string? Email = null, string? Name = null, string? Department = null);

public sealed class AddGoShow(SessionUnitOfWork work, AttendanceWindow window)
{
    public Task<Outcome<LearnerRow>> HandleAsync(int sessionId, GoShowRequest request, CurrentUser user, CancellationToken cancellationToken = default) =>
        work.RunAsync<LearnerRow>(sessionId, NeedOf(request), async scope =>
        {
            if (!user.CanSeeSession(scope.Session))
            {
                return Failure.Forbidden("Only this session's trainers and admins can add Go Shows.");
            }

            Employee? employee;
            if (request.EmployeeId is { } id)
            {
                employee = await scope.Db.Employees.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
                if (employee is null)
                {
                    return Failure.Invalid("employeeId", $"There is no employee {id}.");
                }
            }
            else if (!string.IsNullOrWhiteSpace(request.Email))
            {
                string email;
                try
                {
                    email = Employee.NormalizeEmail(request.Email);
                }
                catch (DomainException ex)
                {
                    return Failure.Invalid("email", ex.Message);
                }

                employee = await scope.Db.Employees.FirstOrDefaultAsync(e => e.Email == email, cancellationToken);
                if (employee is null)
                {
                    if (string.IsNullOrWhiteSpace(request.Name))
                    {
                        return Failure.Invalid("name", "This email is not in the directory: give the person's name to add them.");
                    }

                    try
                    {
                        employee = new Employee(request.Name, email, request.Department ?? string.Empty);
                    }
                    catch (DomainException ex)
                    {
                        return Failure.Invalid(ex.Message.Contains("department", StringComparison.Ordinal) ? "department" : "name", ex.Message);
                    }

                    scope.Db.Employees.Add(employee);
                }
            }
            else
            {
                return Failure.Invalid("email", "Give the employee id or the email of the person to add.");
            }

            var result = scope.Session.AddGoShow(employee, user.AsTrainer, scope.Now, window.OpensBefore);
            if (!result.IsDone)
            {
                return Failure.Conflict(result.Refusal!);
            }

            await scope.Db.SaveChangesAsync(cancellationToken);
            return LearnerRow.From(scope.Session, result.Learner!);
        }, cancellationToken);

    // The person's row if they are on the roster already; an email that does not normalise is refused inside.
    private static RosterNeed? NeedOf(GoShowRequest request)
    {
        if (request.EmployeeId is { } id)
        {
            return RosterNeed.Employee(id);
        }

        try
        {
            return string.IsNullOrWhiteSpace(request.Email) ? null : RosterNeed.Email(Employee.NormalizeEmail(request.Email));
        }
        catch (DomainException)
        {
            return null;
        }
    }
}

/// <summary>
/// How long before a session's start its attendance and Go Shows open: <c>LiveSessions:AttendanceOpensBeforeMinutes</c>,
/// an hour by default.
/// </summary>
public sealed class AttendanceWindow(IConfiguration configuration)
{
    public TimeSpan OpensBefore { get; } = TimeSpan.FromMinutes(configuration.GetValue("LiveSessions:AttendanceOpensBeforeMinutes", 60));
}
