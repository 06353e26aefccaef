using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Employees;

public sealed record EmployeeRow(int Id, string Name, string Email, string Department, int? ManagerId, string? ManagerName)
{
    /// <summary>The management chain above the person, nearest first (the manager, then theirs…), up to <see cref="OrgChart.MaxLevels"/>; filled by the directory search.</summary>
    public IReadOnlyList<string> ReportsTo { get; init; } = [];
}

public sealed record EmployeePage(IReadOnlyList<EmployeeRow> Items, int Total, int Page, int PageSize);

public sealed record EmployeeFields(string Name, string Email, string Department, int? ManagerId);

/// <summary>The people directory: search, create, edit (manager picked from the directory).</summary>
public sealed class EmployeeDirectory(IDbContextFactory<LiveSessionsDbContext> contextFactory, SessionUnitOfWork work)
{
    public async Task<Outcome<EmployeePage>> SearchAsync(string? search, string? department, int page, int pageSize, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin && !user.IsTrainer)
        {
            return Failure.Forbidden("Only admins and trainers can browse the directory.");
        }

        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 500);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Identity resolution: a manager shared by several rows, or met twice in a loop, is one object.
        var query = db.Employees.AsNoTrackingWithIdentityResolution();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = $"%{search.Trim()}%";
            query = query.Where(e => EF.Functions.Like(e.Name, term) || EF.Functions.Like(e.Email, term) || EF.Functions.Like(e.Department, term));
        }

        if (!string.IsNullOrWhiteSpace(department))
        {
            var wanted = department.Trim();
            query = query.Where(e => e.Department == wanted);
        }

        var total = await query.CountAsync(cancellationToken);
        // The page with each person's chain of managers, in one query; the chain is walked in memory (loops end it).
        var employees = await query.OrderBy(e => e.Name).ThenBy(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .WithManagers(OrgChart.MaxLevels)
            .ToListAsync(cancellationToken);
        var items = employees.Select(e => new EmployeeRow(e.Id, e.Name, e.Email, e.Department, e.ManagerId, e.Manager?.Name)
        {
            ReportsTo = e.ManagersAbove(OrgChart.MaxLevels).Select(m => m.Name).ToList(),
        }).ToList();
        return new EmployeePage(items, total, page, pageSize);
    }

    public async Task<IReadOnlyList<string>> DepartmentsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Employees.Select(e => e.Department).Where(d => d != "").Distinct().OrderBy(d => d).ToListAsync(cancellationToken);
    }

    public Task<Outcome<EmployeeRow>> CreateAsync(EmployeeFields fields, CurrentUser user, CancellationToken cancellationToken = default) =>
        SaveAsync(null, fields, user, cancellationToken);

    public Task<Outcome<EmployeeRow>> UpdateAsync(int id, EmployeeFields fields, CurrentUser user, CancellationToken cancellationToken = default) =>
        SaveAsync(id, fields, user, cancellationToken);

    private Task<Outcome<EmployeeRow>> SaveAsync(int? id, EmployeeFields fields, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<EmployeeRow>>(Failure.Forbidden("Only admins can edit the directory."));
        }

        return work.RunAsync<EmployeeRow>(async db =>
        {
            var errors = new Dictionary<string, string>();
            if (string.IsNullOrWhiteSpace(fields.Name))
            {
                errors["name"] = "The name is required.";
            }

            string email = string.Empty;
            try
            {
                email = Employee.NormalizeEmail(fields.Email ?? string.Empty);
            }
            catch (DomainException ex)
            {
                errors["email"] = ex.Message;
            }

            if (errors.Count == 0 && await db.Employees.AnyAsync(e => e.Email == email && e.Id != id, cancellationToken))
            {
                errors["email"] = $"Another employee already has the email {email}.";
            }

            Employee? manager = null;
            if (fields.ManagerId is { } managerId)
            {
                manager = await db.Employees.FirstOrDefaultAsync(e => e.Id == managerId, cancellationToken);
                if (manager is null)
                {
                    errors["managerId"] = "The manager must be an employee of the directory.";
                }
                else if (managerId == id || await ManagesAsync(db, id, managerId, cancellationToken))
                {
                    errors["managerId"] = "This manager would make a loop in the org chart.";
                }
            }

            if (errors.Count > 0)
            {
                return Failure.Invalid(errors);
            }

            Employee employee;
            if (id is { } existingId)
            {
                var found = await db.Employees.FirstOrDefaultAsync(e => e.Id == existingId, cancellationToken);
                if (found is null)
                {
                    return Failure.NotFound("The employee");
                }

                employee = found;
                employee.Update(fields.Name, email, fields.Department);
            }
            else
            {
                employee = new Employee(fields.Name, email, fields.Department);
                db.Employees.Add(employee);
            }

            employee.SetManager(manager);
            await db.SaveChangesAsync(cancellationToken);
            return new EmployeeRow(employee.Id, employee.Name, employee.Email, employee.Department, manager?.Id, manager?.Name);
        }, cancellationToken);
    }

    /// <summary>Whether <paramref name="employeeId"/> is somewhere above <paramref name="candidateManagerId"/>.</summary>
    private static async Task<bool> ManagesAsync(LiveSessionsDbContext db, int? employeeId, int candidateManagerId, CancellationToken cancellationToken)
    {
        if (employeeId is null)
        {
            return false;
        }

        int? current = candidateManagerId;
        for (var depth = 0; depth < 100 && current is { } c; depth++)
        {
            current = await db.Employees.Where(e => e.Id == c).Select(e => e.ManagerId).FirstOrDefaultAsync(cancellationToken);
            if (current == employeeId)
            {
                return true;
            }
        }

        return false;
    }
}
