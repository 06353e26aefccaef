using LiveSessions.Domain;
using Microsoft.Extensions.Time.Testing;

namespace LiveSessions.Tests.Domain;

internal static class Fixed
{
    public static DateTimeOffset Now { get; } = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static TimeSpan HoldTime { get; } = AutomationSettings.Default.SeatOfferHoldTime;

    public static Actor Admin { get; } = Actor.Admin("Ada Admin");

    public static Actor Trainer { get; } = Actor.Trainer("Tom Trainer");

    public static Actor Approver { get; } = Actor.Approver("Ann Approver");

    public static FakeTimeProvider Clock() => new(Now);

    public static Actor As(Employee learner) => Actor.Learner(learner.Name);
}

internal static class Build
{
    public static Course Course() => new("Forklift safety", "Driving and loading", SessionType.InClass, TimeSpan.FromHours(3), 10);

    public static Employee Employee(string name, Employee? manager = null) =>
        new(name, $"{name.Replace(' ', '.').ToLowerInvariant()}@example.com", "Logistics", manager);

    public static SessionBuilder Session() => new(Course(), Employee("Tom Trainer"));
}

internal sealed class SessionBuilder(Course course, Employee trainer)
{
    private int capacity = 10;
    private bool waitingList;
    private bool approval;
    private bool calendar;
    private DateTimeOffset start = Fixed.Now.AddDays(7);
    private AutomationSettings automation = AutomationSettings.Default;
    private SessionStatus status = SessionStatus.Draft;

    public SessionBuilder WithCapacity(int seats)
    {
        capacity = seats;
        return this;
    }

    public SessionBuilder WithWaitingList()
    {
        waitingList = true;
        return this;
    }

    public SessionBuilder RequiringApproval()
    {
        approval = true;
        return this;
    }

    public SessionBuilder WithCalendar()
    {
        calendar = true;
        return this;
    }

    public SessionBuilder Starting(DateTimeOffset at)
    {
        start = at;
        return this;
    }

    public SessionBuilder WithAutomation(Func<AutomationSettings, AutomationSettings> change)
    {
        automation = change(automation);
        return this;
    }

    public SessionBuilder InStatus(SessionStatus target)
    {
        status = target;
        return this;
    }

    public SessionBuilder Ready() => InStatus(SessionStatus.Ready);

    public SessionDetails Details() => new()
    {
        Title = "Forklift safety — March",
        Start = start,
        End = start.AddHours(3),
        Location = "Room 4",
        MaxCapacity = capacity,
        EnableWaitingList = waitingList,
        RequiresApproval = approval,
        EnableCalendar = calendar,
        Automation = automation,
    };

    // Reached through ChangeStatus, so the session is in a state the domain itself can produce.
    public LiveSession Build()
    {
        var session = new LiveSession(course, Details(), [trainer]);
        SessionStatus[] path = status switch
        {
            SessionStatus.Draft => [],
            SessionStatus.Processing => [SessionStatus.Processing],
            SessionStatus.Ready => [SessionStatus.Ready],
            SessionStatus.Completed => [SessionStatus.Ready, SessionStatus.Completed],
            SessionStatus.Cancelled => [SessionStatus.Cancelled],
            _ => throw new InvalidOperationException($"No path from Draft to {status}."),
        };
        foreach (var next in path)
        {
            session.ChangeStatus(next, Fixed.Admin, Fixed.Now).MustBeDone();
        }

        session.ClearDomainEvents();
        return session;
    }
}

// Setup reaches a status by the admin's manual change (with overbook), never by the move under test, and clears
// the events it raised so that a test sees only its own.
internal static class Arrange
{
    public static SessionLearner Put(this LiveSession session, string name, LearnerStatus status) =>
        session.Put(Build.Employee(name), status);

    public static SessionLearner Put(this LiveSession session, Employee employee, LearnerStatus status)
    {
        var learner = session.AddLearner(employee, Fixed.Admin, Fixed.Now).MustBeDone();
        if (learner.Status != status)
        {
            session.ChangeLearnerStatus(learner, status, "setup", overbook: true, Fixed.Admin, Fixed.Now).MustBeDone();
        }

        if (learner.Status != status)
        {
            // e.g. a learner put on the waiting list of a session with a free seat is promoted at once.
            throw new InvalidOperationException($"Setup put {employee.Name} at {learner.Status}, not {status}.");
        }

        session.ClearDomainEvents();
        return learner;
    }

    public static IReadOnlyList<SessionLearner> SeatLearners(this LiveSession session, int count) =>
        Enumerable.Range(1, count).Select(i => session.Put($"Seated Learner {i}", LearnerStatus.Registered)).ToList();

    public static SessionLearner Waiting(this LiveSession session, string name)
    {
        var employee = Build.Employee(name);
        var learner = session.Register(employee, Fixed.As(employee), Fixed.Now).MustBeDone();
        if (learner.Status != LearnerStatus.WaitingList)
        {
            throw new InvalidOperationException($"Setup expected {name} on the waiting list, not {learner.Status}.");
        }

        session.ClearDomainEvents();
        return learner;
    }

    public static SessionLearner MustBeDone(this LearnerResult result) =>
        result.Learner ?? throw new InvalidOperationException($"Setup was refused: {result.Refusal}");

    public static void MustBeDone(this SessionResult result)
    {
        if (!result.IsDone)
        {
            throw new InvalidOperationException($"Setup was refused: {result.Refusal}");
        }
    }
}

internal static class DomainAssert
{
    public static SessionLearner Done(LearnerResult result)
    {
        Assert.Null(result.Refusal);
        Assert.NotNull(result.Learner);
        return result.Learner;
    }

    public static void Done(SessionResult result)
    {
        Assert.Null(result.Refusal);
        Assert.Null(result.Errors);
    }

    // The status, the last history entry and the one event about the learner must all tell the same move.
    public static void Moved(
        LiveSession session,
        SessionLearner learner,
        LearnerStatus? from,
        LearnerStatus to,
        LearnerTrigger trigger,
        Actor actor,
        string? cause = null,
        string? note = null,
        DateTimeOffset? at = null)
    {
        Assert.Equal(to, learner.Status);
        var change = learner.History[^1];
        Assert.Equal(from, change.From);
        Assert.Equal(to, change.To);
        Assert.Equal(trigger, change.Trigger);
        Assert.Equal(actor, change.Actor);
        Assert.Equal(cause, change.Cause);
        Assert.Equal(note, change.Note);
        Assert.Equal(at ?? Fixed.Now, change.At);
        Assert.Equal(at ?? Fixed.Now, learner.StatusChangedAt);

        var raised = Assert.Single(session.DomainEvents.OfType<LearnerStatusChanged>(), e => ReferenceEquals(e.Learner, learner));
        Assert.Equal(new LearnerStatusChanged(session.Id, learner, from, to, trigger, actor), raised);
    }

    // A refusal must leave the roster, the learner, its history and its seat offer as they were, and raise nothing.
    public static void Refused(LiveSession session, SessionLearner? learner, Func<LearnerResult> act, string reason)
    {
        var status = learner?.Status;
        var history = learner?.History.Count;
        var offer = learner?.SeatOfferExpiresAt;
        var learners = session.Learners.Count;
        var version = session.Version;
        session.ClearDomainEvents();

        var result = act();

        Assert.Equal(reason, result.Refusal);
        Assert.False(result.IsDone);
        Assert.Null(result.Learner);
        Assert.Equal(status, learner?.Status);
        Assert.Equal(history, learner?.History.Count);
        Assert.Equal(offer, learner?.SeatOfferExpiresAt);
        Assert.Equal(learners, session.Learners.Count);
        Assert.Equal(version, session.Version);
        Assert.Empty(session.DomainEvents);
    }
}
