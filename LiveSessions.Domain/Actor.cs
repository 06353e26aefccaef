namespace LiveSessions.Domain;

/// <summary>Who made a change: recorded on every status change.</summary>
public sealed record Actor(ActorKind Kind, string Name)
{
    public static readonly Actor SystemJob = new(ActorKind.System, "system");

    public static Actor Admin(string name) => new(ActorKind.Admin, name);

    public static Actor Trainer(string name) => new(ActorKind.Trainer, name);

    public static Actor Approver(string name) => new(ActorKind.Approver, name);

    public static Actor Learner(string name) => new(ActorKind.Learner, name);

    public override string ToString() => Kind == ActorKind.System ? "system" : $"{Name} ({Kind})";
}
