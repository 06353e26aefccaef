namespace LiveSessions.Domain;

/// <summary>A person of the directory: learners, approvers and trainers all come from here.</summary>
public sealed class Employee
{
    private Employee()
    {
        Name = Email = Department = string.Empty;
    }

    public Employee(string name, string email, string department, Employee? manager = null)
    {
        Name = Limit(Require(name, nameof(name)), nameof(name));
        Email = NormalizeEmail(email);
        Department = Limit(department?.Trim() ?? string.Empty, nameof(department));
        SetManager(manager);
    }

    public int Id { get; private set; }

    public string Name { get; private set; }

    /// <summary>Unique, stored lower-case so look-ups are case-insensitive.</summary>
    public string Email { get; private set; }

    public string Department { get; private set; }

    public int? ManagerId { get; private set; }

    public Employee? Manager { get; private set; }

    /// <summary>The longest name or department kept (a Go Show or an import cannot store a page of text as a name).</summary>
    public const int MaxNameLength = 200;

    public void Update(string name, string email, string department)
    {
        Name = Limit(Require(name, nameof(name)), nameof(name));
        Email = NormalizeEmail(email);
        Department = Limit(department?.Trim() ?? string.Empty, nameof(department));
    }

    private static string Limit(string value, string what) =>
        value.Length > MaxNameLength ? throw new DomainException($"The {what} must be {MaxNameLength} characters or fewer.") : value;

    public void SetManager(Employee? manager)
    {
        if (manager is not null && (ReferenceEquals(manager, this) || (Id != 0 && manager.Id == Id)))
        {
            throw new DomainException("An employee cannot be their own manager.");
        }

        Manager = manager;
        ManagerId = manager?.Id is > 0 ? manager.Id : null;
    }

    public void SetManagerId(int? managerId)
    {
        if (managerId is not null && managerId == Id)
        {
            throw new DomainException("An employee cannot be their own manager.");
        }

        ManagerId = managerId;
        if (Manager is not null && Manager.Id != managerId)
        {
            Manager = null;
        }
    }

    /// <summary>
    /// The approver of this employee's registrations: the direct manager for <see cref="ApprovalFlow.DirectManager"/>
    /// (levels play no part), or for <see cref="ApprovalFlow.HierarchicManager"/> the manager <paramref name="levels"/>
    /// up the chart (2 = the manager's manager), the highest one found when the chain is shorter. Null when the
    /// employee has no manager: the request then goes to the admins.
    /// </summary>
    public Employee? ApproverFor(ApprovalFlow flow, int levels)
    {
        if (levels < 1)
        {
            throw new DomainException("An approval goes at least one level up the org chart.");
        }

        return flow == ApprovalFlow.DirectManager ? Manager : ManagersAbove(levels).LastOrDefault();
    }

    /// <summary>
    /// The managers above this employee, nearest first, at most <paramref name="levels"/> of them. A loop in the chart
    /// ends the walk where it comes back to someone already in it, so nobody appears twice and the employee never
    /// manages themselves.
    /// </summary>
    public IReadOnlyList<Employee> ManagersAbove(int levels)
    {
        var chain = new List<Employee>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { Email };
        for (var candidate = Manager; candidate is not null && chain.Count < levels && seen.Add(candidate.Email); candidate = candidate.Manager)
        {
            chain.Add(candidate);
        }

        return chain;
    }

    public static string NormalizeEmail(string email)
    {
        var trimmed = Require(email, nameof(email)).ToLowerInvariant();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == trimmed.Length - 1 || trimmed.Contains(' ', StringComparison.Ordinal) || trimmed.Length > 254)
        {
            throw new DomainException($"'{email}' is not a valid email address.");
        }

        return trimmed;
    }

    private static string Require(string value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new DomainException($"The {what} is required.") : value.Trim();
}
