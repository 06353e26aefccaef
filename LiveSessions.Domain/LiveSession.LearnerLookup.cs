namespace LiveSessions.Domain;

/// <summary>
/// Finding an employee's learner in the roster without a scan: an import checks every row against a roster of tens
/// of thousands and adds as it goes, so a scan per row would be quadratic.
/// </summary>
public sealed partial class LiveSession
{
    private readonly Dictionary<Employee, SessionLearner> learnerByEmployee = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, SessionLearner> learnerByEmployeeId = [];

    // Learners of employees not saved yet have no id to look up by; their ids may appear later, so they are checked as they are.
    private readonly List<SessionLearner> learnersWithoutEmployeeId = [];
    private SessionLearner? lastIndexed;
    private int indexed;

    /// <summary>The employee's learner in this session, if any.</summary>
    public SessionLearner? FindLearner(Employee employee)
    {
        IndexNewLearners();
        if (learnerByEmployee.TryGetValue(employee, out var learner))
        {
            return learner;
        }

        if (employee.Id != 0 && learnerByEmployeeId.TryGetValue(employee.Id, out learner))
        {
            return learner;
        }

        return learnersWithoutEmployeeId.FirstOrDefault(l => ReferenceEquals(l.Employee, employee) || (employee.Id != 0 && l.EmployeeId == employee.Id));
    }

    // The roster only grows (intent methods and EF append); anything else (EF removing a deleted learner) starts over.
    private void IndexNewLearners()
    {
        if (learners.Count < indexed || (indexed > 0 && !ReferenceEquals(learners[indexed - 1], lastIndexed)))
        {
            learnerByEmployee.Clear();
            learnerByEmployeeId.Clear();
            learnersWithoutEmployeeId.Clear();
            indexed = 0;
        }

        for (; indexed < learners.Count; indexed++)
        {
            var learner = learners[indexed];
            if (learner.Employee is { } employee)
            {
                learnerByEmployee.TryAdd(employee, learner);
            }

            if (learner.EmployeeId != 0)
            {
                learnerByEmployeeId.TryAdd(learner.EmployeeId, learner);
            }
            else
            {
                learnersWithoutEmployeeId.Add(learner);
            }
        }

        lastIndexed = indexed > 0 ? learners[indexed - 1] : null;
    }
}
