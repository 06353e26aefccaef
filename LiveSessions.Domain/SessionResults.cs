namespace LiveSessions.Domain;

/// <summary>A trainer of a session; the one with the lowest order is the lead trainer.</summary>
public sealed class SessionTrainer
{
    private SessionTrainer()
    {
    }

    internal SessionTrainer(LiveSession session, Employee employee, int order)
    {
        Session = session;
        Employee = employee;
        EmployeeId = employee.Id;
        Order = order;
    }

    public int SessionId { get; private set; }

    public LiveSession Session { get; private set; } = null!;

    public int EmployeeId { get; private set; }

    public Employee Employee { get; private set; } = null!;

    public int Order { get; internal set; }
}

/// <summary>What a learner operation did: the learner and an optional message, or a refusal with its reason.</summary>
public sealed record LearnerResult(SessionLearner? Learner, string? Refusal, string? Message = null)
{
    public bool IsDone => Refusal is null;

    public static LearnerResult Done(SessionLearner learner, string? message = null) => new(learner, null, message);

    public static LearnerResult Refuse(string reason) => new(null, reason);
}

public sealed record SessionResult(string? Refusal, IReadOnlyDictionary<string, string>? Errors)
{
    public static readonly SessionResult Ok = new(null, null);

    public bool IsDone => Refusal is null && Errors is null;

    public static SessionResult Refuse(string reason) => new(reason, null);

    public static SessionResult Invalid(IReadOnlyDictionary<string, string> errors) => new(null, errors);
}
