using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Roster;

/// <summary>Who to add: emails, employee ids or a whole department (one of them, or several).</summary>
public sealed record AddLearnersRequest(IReadOnlyList<string>? Emails = null, IReadOnlyList<int>? EmployeeIds = null, string? Department = null);

public sealed record SkippedLearner(string Email, string Reason);

public sealed record AddLearnersResult(IReadOnlyList<LearnerRow> Added, IReadOnlyList<SkippedLearner> Skipped);

/// <summary>Admin adds learners; each gets the status the table gives for the session's state.</summary>
public sealed class AddLearners(SessionUnitOfWork work)
{
    public Task<Outcome<AddLearnersResult>> HandleAsync(int sessionId, AddLearnersRequest request, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<AddLearnersResult>>(Failure.Forbidden("Only admins can add learners."));
        }

        var emails = (request.Emails ?? []).Select(e => e?.Trim() ?? string.Empty).ToList();
        var ids = request.EmployeeIds ?? [];
        if (emails.Count == 0 && ids.Count == 0 && string.IsNullOrWhiteSpace(request.Department))
        {
            return Task.FromResult<Outcome<AddLearnersResult>>(Failure.Invalid("emails", "Give the emails, the employee ids or the department of the learners to add."));
        }

        return work.RunAsync<AddLearnersResult>(sessionId, async scope =>
        {
            var skipped = new List<SkippedLearner>();
            var wanted = new List<Employee>();
            var lowered = emails.Where(e => e.Length > 0).Select(e => e.ToLowerInvariant()).ToList();
            var byEmail = await scope.Db.Employees.Where(e => lowered.Contains(e.Email)).ToDictionaryAsync(e => e.Email, cancellationToken);
            foreach (var email in emails)
            {
                if (email.Length == 0)
                {
                    skipped.Add(new SkippedLearner(email, "The email is empty."));
                }
                else if (byEmail.TryGetValue(email.ToLowerInvariant(), out var employee))
                {
                    wanted.Add(employee);
                }
                else
                {
                    skipped.Add(new SkippedLearner(email, "No employee has this email."));
                }
            }

            var byId = await scope.Db.Employees.Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
            foreach (var id in ids)
            {
                if (byId.TryGetValue(id, out var employee))
                {
                    wanted.Add(employee);
                }
                else
                {
                    skipped.Add(new SkippedLearner($"#{id}", $"There is no employee {id}."));
                }
            }

            if (!string.IsNullOrWhiteSpace(request.Department))
            {
                var department = request.Department.Trim();
                var members = await scope.Db.Employees.Where(e => e.Department == department).ToListAsync(cancellationToken);
                if (members.Count == 0)
                {
                    skipped.Add(new SkippedLearner(department, "No employee is in this department."));
                }

                wanted.AddRange(members);
            }

            var added = new List<SessionLearner>();
            foreach (var employee in wanted.DistinctBy(e => e.Id))
            {
                var result = scope.Session.AddLearner(employee, user.AsAdmin, scope.Now);
                if (result.IsDone)
                {
                    added.Add(result.Learner!);
                }
                else
                {
                    skipped.Add(new SkippedLearner(employee.Email, result.Refusal!));
                }
            }

            foreach (var duplicate in wanted.GroupBy(e => e.Id).Where(g => g.Count() > 1))
            {
                skipped.Add(new SkippedLearner(duplicate.First().Email, "Listed more than once; added once."));
            }

            await scope.Db.SaveChangesAsync(cancellationToken);
            return new AddLearnersResult(added.Select(l => LearnerRow.From(scope.Session, l)).ToList(), skipped);
        }, cancellationToken);
    }
}
