namespace LiveSessions.Domain;

/// <summary>
/// A live session and its roster: the aggregate that owns every seat decision. Load it with its learners inside the
/// transaction that serialises seat decisions for the session, call one intent method, save.
/// </summary>
public sealed partial class LiveSession
{
    private const string AutoPromoteCause = "Auto-promote the waiting list when a seat frees";
    private const string AutoInviteCause = "Auto-invite on Ready";
    private const string AutoAbsentCause = "Mark still-Registered learners Absent after the end";

    /// <summary>The cause of a change made by the learner's answer from their calendar (an iTIP REPLY), not a link.</summary>
    public const string CalendarReplyCause = "Calendar reply";

    private readonly List<SessionLearner> learners = [];
    private readonly List<SessionTrainer> trainers = [];
    private readonly List<DomainEvent> events = [];

    private LiveSession()
    {
        Title = Description = TimeZone = Location = string.Empty;
        Automation = AutomationSettings.Default;
    }

    public LiveSession(Course course, SessionDetails details, IEnumerable<Employee>? sessionTrainers = null)
        : this()
    {
        Course = course;
        CourseId = course.Id;
        Status = SessionStatus.Draft;
        Apply(details);
        SetTrainers(sessionTrainers ?? []);
    }

    public int Id { get; private set; }

    public int CourseId { get; private set; }

    public Course Course { get; private set; } = null!;

    public string Title { get; private set; }

    public string Description { get; private set; }

    public SessionType Type { get; private set; }

    public DateTimeOffset Start { get; private set; }

    public DateTimeOffset End { get; private set; }

    public string TimeZone { get; private set; }

    public string Location { get; private set; }

    public int MaxCapacity { get; private set; }

    public bool EnableWaitingList { get; private set; }

    public bool RequiresApproval { get; private set; }

    public ApprovalFlow ApprovalFlow { get; private set; }

    /// <summary>Levels up the org chart a Hierarchic Manager approval goes (SPEC "Live session").</summary>
    public int ApprovalLevels { get; private set; } = SessionDetails.DefaultApprovalLevels;

    public bool EnableCalendar { get; private set; }

    public AutomationSettings Automation { get; private set; }

    public SessionStatus Status { get; private set; }

    /// <summary>Raised with every change of name, times, description or location: the calendar SEQUENCE.</summary>
    public int CalendarSequence { get; private set; }

    /// <summary>Bumped by every change to the session or its roster; a concurrency token against lost updates.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<SessionLearner> Learners => learners;

    public IReadOnlyList<SessionTrainer> Trainers => trainers;

    public IReadOnlyList<DomainEvent> DomainEvents => events;

    /// <summary>How many managers up the chart to load to find the approver: one for Direct Manager, else <see cref="ApprovalLevels"/>.</summary>
    public int ApprovalChainDepth => ApprovalFlow == ApprovalFlow.DirectManager ? 1 : ApprovalLevels;

    /// <summary>Who approves <paramref name="learner"/>'s registrations; their managers must be loaded that far up.</summary>
    public Employee? ApproverOf(Employee learner) => learner.ApproverFor(ApprovalFlow, ApprovalLevels);

    public Employee? LeadTrainer => trainers.OrderBy(t => t.Order).FirstOrDefault()?.Employee;

    public void ClearDomainEvents() => events.Clear();

    // ---- Session administration --------------------------------------------------------------------------------

    /// <summary>Changes the session's fields; capacity raised offers the new seats, calendar fields raise the SEQUENCE.</summary>
    public SessionResult UpdateDetails(SessionDetails details, IEnumerable<Employee> sessionTrainers, Actor actor, DateTimeOffset now)
    {
        RequireWholeRoster("Changing the session's details");
        var errors = details.Validate();
        if (errors.Count > 0)
        {
            return SessionResult.Invalid(errors);
        }

        if (Status is SessionStatus.Completed or SessionStatus.Cancelled)
        {
            return SessionResult.Refuse($"This session is {Status} and can no longer be edited.");
        }

        var calendarChanged = Title != details.Title.Trim() || Description != (details.Description ?? string.Empty).Trim()
            || Start != ToSeconds(details.Start) || End != ToSeconds(details.End) || Location != (details.Location ?? string.Empty).Trim();
        Apply(details);
        SetTrainers(sessionTrainers);
        Version++;
        if (calendarChanged)
        {
            CalendarSequence++;
        }

        events.Add(new SessionDetailsChanged(Id, CalendarSequence, calendarChanged));

        FillFreeSeats(actor, now);
        return SessionResult.Ok;
    }

    public static IReadOnlyList<SessionStatus> NextStatuses(SessionStatus from) => from switch
    {
        SessionStatus.Draft => [SessionStatus.Processing, SessionStatus.Ready, SessionStatus.Cancelled],
        SessionStatus.Processing => [SessionStatus.Draft, SessionStatus.Ready, SessionStatus.Cancelled],
        SessionStatus.Ready => [SessionStatus.Completed, SessionStatus.Cancelled],
        _ => [],
    };

    public bool CanChangeStatus(SessionStatus to) => NextStatuses(Status).Contains(to);

    /// <summary>Moves the session and runs its automation: invitations on Ready, cancellations on Cancelled, auto-absent on Completed.</summary>
    public SessionResult ChangeStatus(SessionStatus to, Actor actor, DateTimeOffset now)
    {
        RequireWholeRoster("Changing the session's status");
        if (!CanChangeStatus(to))
        {
            var allowed = NextStatuses(Status);
            return SessionResult.Refuse(allowed.Count == 0
                ? $"This session is {Status}; its status can no longer change."
                : $"A {Status} session can move to {string.Join(", ", allowed)} only, not {to}.");
        }

        var from = Status;
        Status = to;
        Version++;
        events.Add(new SessionStatusChanged(Id, from, to, actor));
        switch (to)
        {
            case SessionStatus.Ready:
                if (Automation.AutoInviteOnReady)
                {
                    foreach (var learner in learners.Where(l => l.Status == LearnerStatus.NotInvited).ToList())
                    {
                        Move(learner, LearnerTrigger.SessionSetReady, LearnerStatus.Invited, Actor.SystemJob, now, null, AutoInviteCause);
                    }
                }

                FillFreeSeats(actor, now);
                break;
            case SessionStatus.Cancelled:
                foreach (var learner in learners.Where(l => LearnerStatusMachine.Can(LearnerTrigger.SessionCancelled, l.Status)).ToList())
                {
                    Move(learner, LearnerTrigger.SessionCancelled, LearnerStatus.Cancelled, actor, now, null, null);
                }

                break;
            case SessionStatus.Completed:
                MarkRemainingAbsent(now);
                break;
        }

        return SessionResult.Ok;
    }

    public void SetTrainers(IEnumerable<Employee> sessionTrainers)
    {
        var wanted = sessionTrainers.DistinctBy(e => e.Email).ToList();
        trainers.RemoveAll(t => !wanted.Any(w => w.Email == t.Employee.Email));
        for (var i = 0; i < wanted.Count; i++)
        {
            var existing = trainers.FirstOrDefault(t => t.Employee.Email == wanted[i].Email);
            if (existing is null)
            {
                trainers.Add(new SessionTrainer(this, wanted[i], i));
            }
            else
            {
                existing.Order = i;
            }
        }
    }

    public bool IsTrainedBy(string email) =>
        trainers.Any(t => string.Equals(t.Employee.Email, email, StringComparison.OrdinalIgnoreCase));

    // ---- Internals -------------------------------------------------------------------------------------------

    private SessionLearner NewLearner(Employee employee)
    {
        var learner = new SessionLearner(this, employee);
        learners.Add(learner);
        return learner;
    }

    private void Move(SessionLearner learner, LearnerTrigger trigger, LearnerStatus to, Actor actor, DateTimeOffset now, string? note, string? cause)
    {
        var from = learner.History.Count == 0 && learner.Id == 0 && learner.Version == 0 ? (LearnerStatus?)null : learner.Status;
        var check = LearnerStatusMachine.Check(trigger, from, to);
        if (!check.IsAllowed)
        {
            // Callers check first; reaching this is a bug, never a silent skip.
            throw new InvalidOperationException(check.Reason);
        }

        learner.MoveTo(from, to, trigger, actor, now, note, cause);
        if (to == LearnerStatus.WaitingList)
        {
            var order = Math.Max(learners.Max(l => l.WaitingListOrder ?? 0), slice?.LastWaitingOrder ?? 0) + 1;
            learner.JoinWaitingList(now, order);
        }

        Version++;
        events.Add(new LearnerStatusChanged(Id, learner, from, to, trigger, actor));
    }

    /// <summary>Session times are kept to the second in UTC, so what is stored is exactly what was decided.</summary>
    private static DateTimeOffset ToSeconds(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private void Apply(SessionDetails details)
    {
        Title = details.Title.Trim();
        Description = details.Description?.Trim() ?? string.Empty;
        Type = details.Type;
        Start = ToSeconds(details.Start);
        End = ToSeconds(details.End);
        TimeZone = details.TimeZone;
        Location = details.Location?.Trim() ?? string.Empty;
        MaxCapacity = details.MaxCapacity;
        EnableWaitingList = details.EnableWaitingList;
        RequiresApproval = details.RequiresApproval;
        ApprovalFlow = details.ApprovalFlow;
        ApprovalLevels = details.ApprovalLevels;
        EnableCalendar = details.EnableCalendar;
        Automation = details.Automation;
    }
}
