using System.Security.Claims;
using LiveSessions.Domain;

namespace LiveSessions.Web.Features.Shared;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Trainer = "Trainer";
    public const string Approver = "Approver";
    public const string Learner = "Learner";

    public const string AdminOrTrainer = Admin + "," + Trainer;

    public static readonly string[] All = [Admin, Trainer, Approver, Learner];
}

/// <summary>The signed-in person as the handlers see them: email (the link to the directory) and roles.</summary>
public sealed record CurrentUser(string Email, string Name, IReadOnlySet<string> Roles)
{
    public bool IsAdmin => Roles.Contains(Features.Shared.Roles.Admin);

    public bool IsTrainer => Roles.Contains(Features.Shared.Roles.Trainer);

    public bool IsApprover => Roles.Contains(Features.Shared.Roles.Approver);

    public bool IsLearner => Roles.Contains(Features.Shared.Roles.Learner);

    /// <summary>Admins see every session; trainers only the sessions they train.</summary>
    public bool CanSeeSession(LiveSession session) => IsAdmin || (IsTrainer && session.IsTrainedBy(Email));

    public Actor AsAdmin => Actor.Admin(Email);

    public Actor AsTrainer => IsAdmin ? Actor.Admin(Email) : Actor.Trainer(Email);

    public Actor AsLearner => Actor.Learner(Email);

    public Actor AsApprover => IsAdmin ? Actor.Admin(Email) : Actor.Approver(Email);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var email = principal.FindFirstValue(ClaimTypes.Email) ?? principal.Identity?.Name ?? string.Empty;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new CurrentUser(email.ToLowerInvariant(), principal.Identity?.Name ?? email, roles);
    }

    /// <summary>For background jobs and seeding.</summary>
    public static CurrentUser System { get; } = new("system", "system", new HashSet<string> { Features.Shared.Roles.Admin });
}
