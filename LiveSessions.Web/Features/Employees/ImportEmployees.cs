using LiveSessions.Domain;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Employees;

public enum EmployeeImportOutcome
{
    Added,
    Updated,
    Unchanged,
    Invalid,
    DuplicateRow,
}

public sealed record EmployeeImportRow(int Row, string Email, EmployeeImportOutcome Outcome, string Message);

public sealed record EmployeeImportResult(IReadOnlyList<EmployeeImportRow> Rows, bool Committed);

/// <summary>
/// Imports the directory from an .xlsx or .csv file (email, name, department, manager email): new people are
/// added, known ones updated; managers may be people of the same file. A preview decides the same and saves nothing.
/// </summary>
public sealed class ImportEmployees(DryRun dryRun)
{
    public async Task<Outcome<EmployeeImportResult>> HandleAsync(Stream file, string fileName, bool commit, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can import the directory.");
        }

        var read = SpreadsheetRows.Read(file, fileName);
        if (!read.IsOk)
        {
            return new Failure(read.Kind, read.Message!, read.Errors);
        }

        var rows = read.Value!;
        if (rows.Count > 0 && !(rows[0].Values.ContainsKey("email") && rows[0].Values.ContainsKey("name")))
        {
            return Failure.Invalid("file", "The file needs columns headed \"email\" and \"name\" (and optionally \"department\" and \"manager email\").");
        }

        // A preview decides exactly as the commit does, on a context that is then discarded.
        return await dryRun.PreviewOrCommitAsync<EmployeeImportResult>(commit, async db =>
        {
            var results = new List<EmployeeImportRow>(rows.Count);
            var byEmail = new Dictionary<string, Employee>();
            var emails = rows.Select(r => r.Values.GetValueOrDefault("email", string.Empty).Trim().ToLowerInvariant()).ToList();
            var managers = rows.Select(r => ManagerEmail(r.Values).ToLowerInvariant()).Where(m => m.Length > 0);
            var wanted = emails.Concat(managers).Distinct().ToList();
            foreach (var e in await db.Employees.Where(e => wanted.Contains(e.Email)).ToListAsync(cancellationToken))
            {
                byEmail[e.Email] = e;
            }

            var pendingManagers = new List<(int Index, Employee Employee, string ManagerEmail)>();
            var seen = new HashSet<string>();
            foreach (var (number, values) in rows)
            {
                var raw = values.GetValueOrDefault("email", string.Empty);
                string email;
                try
                {
                    email = Employee.NormalizeEmail(raw);
                }
                catch (DomainException ex)
                {
                    results.Add(new EmployeeImportRow(number, raw, EmployeeImportOutcome.Invalid, ex.Message));
                    continue;
                }

                if (!seen.Add(email))
                {
                    results.Add(new EmployeeImportRow(number, email, EmployeeImportOutcome.DuplicateRow, "This email is listed earlier in the file."));
                    continue;
                }

                var name = values.GetValueOrDefault("name", string.Empty);
                var department = values.GetValueOrDefault("department", string.Empty);
                if (string.IsNullOrWhiteSpace(name))
                {
                    results.Add(new EmployeeImportRow(number, email, EmployeeImportOutcome.Invalid, "The name is empty."));
                    continue;
                }

                if (byEmail.TryGetValue(email, out var existing))
                {
                    var changed = existing.Name != name.Trim() || existing.Department != department.Trim();
                    existing.Update(name, email, department);
                    pendingManagers.Add((results.Count, existing, ManagerEmail(values)));
                    results.Add(new EmployeeImportRow(number, email, changed ? EmployeeImportOutcome.Updated : EmployeeImportOutcome.Unchanged, changed ? "Updated." : "Already up to date."));
                }
                else
                {
                    var employee = new Employee(name, email, department);
                    db.Employees.Add(employee);
                    byEmail[email] = employee;
                    pendingManagers.Add((results.Count, employee, ManagerEmail(values)));
                    results.Add(new EmployeeImportRow(number, email, EmployeeImportOutcome.Added, "Added."));
                }
            }

            foreach (var (index, employee, managerEmail) in pendingManagers.Where(p => p.ManagerEmail.Length > 0))
            {
                if (!byEmail.TryGetValue(managerEmail.ToLowerInvariant(), out var manager))
                {
                    results[index] = results[index] with { Message = results[index].Message + $" The manager {managerEmail} is not in the directory, so no manager was set." };
                    continue;
                }

                if (ReferenceEquals(manager, employee) || ManagesInChain(employee, manager))
                {
                    results[index] = results[index] with { Message = results[index].Message + " The manager would make a loop in the org chart, so it was not set." };
                    continue;
                }

                if (!ReferenceEquals(employee.Manager, manager) && employee.ManagerId != manager.Id)
                {
                    employee.SetManager(manager);
                    if (results[index].Outcome == EmployeeImportOutcome.Unchanged)
                    {
                        results[index] = results[index] with { Outcome = EmployeeImportOutcome.Updated, Message = "Manager updated." };
                    }
                }
            }

            return new EmployeeImportResult(results, commit);
        }, cancellationToken);
    }

    private static string ManagerEmail(Dictionary<string, string> values) =>
        (values.GetValueOrDefault("manager email") ?? values.GetValueOrDefault("manager_email") ?? values.GetValueOrDefault("manager") ?? string.Empty).Trim();

    /// <summary>Whether <paramref name="employee"/> already sits above <paramref name="manager"/> (as far as loaded).</summary>
    private static bool ManagesInChain(Employee employee, Employee manager)
    {
        var seen = new HashSet<Employee>(ReferenceEqualityComparer.Instance);
        for (var current = manager.Manager; current is not null && seen.Add(current); current = current.Manager)
        {
            if (ReferenceEquals(current, employee))
            {
                return true;
            }
        }

        return false;
    }
}
