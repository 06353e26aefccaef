using LiveSessions.Domain;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Employees;

/// <summary>
/// Loads managers up the org chart with the employees a query returns, in the same query: an include of
/// <c>Manager.Manager…</c> as deep as asked, so a list of learners or a page of the directory costs one query,
/// never one per person and level. The chain is then walked in memory by <see cref="Employee.ManagersAbove"/>.
/// </summary>
public static class OrgChart
{
    /// <summary>As far up as the directory shows and an approval can reach.</summary>
    public const int MaxLevels = SessionDetails.Limits.ApprovalLevels;

    /// <summary>The employees with their managers loaded <paramref name="levels"/> up (clamped to <see cref="MaxLevels"/>).</summary>
    public static IQueryable<Employee> WithManagers(this IQueryable<Employee> employees, int levels) =>
        levels < 1 ? employees : employees.Include(ManagerPath(levels));

    /// <summary>The learners with their employee and the employee's managers loaded <paramref name="levels"/> up.</summary>
    public static IQueryable<SessionLearner> WithManagers(this IQueryable<SessionLearner> learners, int levels) =>
        learners.Include(levels < 1 ? nameof(SessionLearner.Employee) : $"{nameof(SessionLearner.Employee)}.{ManagerPath(levels)}");

    /// <summary>
    /// Loads the managers above <paramref name="employees"/>, <paramref name="levels"/> up, in one query. The employees
    /// must be tracked by <paramref name="db"/>: EF then links each loaded manager to the person below them.
    /// </summary>
    public static async Task LoadManagersAsync(this Persistence.LiveSessionsDbContext db, IReadOnlyCollection<Employee> employees, int levels, CancellationToken cancellationToken)
    {
        if (employees.FirstOrDefault(e => db.Entry(e).State == EntityState.Detached) is { } detached)
        {
            throw new InvalidOperationException($"{detached.Email} is not tracked: its managers would load without being linked to it.");
        }

        var managerIds = employees.Select(e => e.ManagerId).OfType<int>().Distinct().ToList();
        if (levels >= 1 && managerIds.Count > 0)
        {
            await db.Employees.Where(e => managerIds.Contains(e.Id)).WithManagers(levels - 1).LoadAsync(cancellationToken);
        }
    }

    private static string ManagerPath(int levels) =>
        string.Join('.', Enumerable.Repeat(nameof(Employee.Manager), Math.Min(levels, MaxLevels)));
}
