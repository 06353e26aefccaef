namespace LiveSessions.Domain;

/// <summary>Something that happened in a live session; email, jobs and live refresh react after the unit of work commits.</summary>
public abstract record DomainEvent(int SessionId);

/// <summary>A learner's status moved. <see cref="LearnerId"/> is 0 until the learner row is saved; use <see cref="Learner"/>.</summary>
public sealed record LearnerStatusChanged(
    int SessionId,
    SessionLearner Learner,
    LearnerStatus? From,
    LearnerStatus To,
    LearnerTrigger Trigger,
    Actor Actor) : DomainEvent(SessionId)
{
    public int LearnerId => Learner.Id;
}

public sealed record SessionStatusChanged(int SessionId, SessionStatus From, SessionStatus To, Actor Actor) : DomainEvent(SessionId);

/// <summary>The session's fields changed; when <see cref="CalendarChanged"/> (name, times, description or location), calendar holders get an update.</summary>
public sealed record SessionDetailsChanged(int SessionId, int CalendarSequence, bool CalendarChanged) : DomainEvent(SessionId);

public sealed record AttendanceConfirmed(int SessionId, SessionLearner Learner) : DomainEvent(SessionId);
