namespace LiveSessions.Domain;

/// <summary>One line of a learner's history: append-only, never edited or deleted.</summary>
public sealed class StatusChange
{
    private StatusChange()
    {
        ActorName = string.Empty;
    }

    internal StatusChange(LearnerStatus? from, LearnerStatus to, LearnerTrigger trigger, Actor actor, DateTimeOffset at, string? note, string? cause)
    {
        From = from;
        To = to;
        Trigger = trigger;
        ActorKind = actor.Kind;
        ActorName = actor.Name;
        At = at;
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        Cause = cause;
    }

    public long Id { get; private set; }

    public int SessionLearnerId { get; private set; }

    public LearnerStatus? From { get; private set; }

    public LearnerStatus To { get; private set; }

    public LearnerTrigger Trigger { get; private set; }

    public ActorKind ActorKind { get; private set; }

    public string ActorName { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The automation setting that caused an automatic change, e.g. "Auto-promote the waiting list".</summary>
    public string? Cause { get; private set; }

    public Actor Actor => new(ActorKind, ActorName);
}
