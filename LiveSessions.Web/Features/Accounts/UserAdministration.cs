using LiveSessions.Web.Features.Operations;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Accounts;

/// <summary>An account as the Users page shows it.</summary>
public sealed record UserRow(string Id, string Email, string Name, IReadOnlyList<string> Roles, bool Locked);

/// <summary>
/// Admins give and take roles and lock and unlock accounts. Every change moves the account's security stamp, so its
/// sign-ins lose what was taken at once on this node and within the recheck interval on the others, and writes a line
/// to the audit log. An admin cannot take their own admin role or lock themselves, so an admin always remains.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, IDbContextFactory<LiveSessionsDbContext> contexts, AccountValidity validity, AuditLog audit, Email.PublicUrls urls)
{
    public async Task<Outcome<IReadOnlyList<UserRow>>> ListAsync(string? search, CurrentUser admin, CancellationToken cancellationToken = default)
    {
        if (!admin.IsAdmin)
        {
            return Failure.Forbidden("Only admins can manage accounts.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            users = users.Where(u => u.Email!.ToLower().Contains(term) || u.DisplayName.ToLower().Contains(term));
        }

        var accounts = await users.OrderBy(u => u.Email).Take(500).ToListAsync(cancellationToken);
        var ids = accounts.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return accounts.Select(u => new UserRow(u.Id, u.Email ?? string.Empty, u.DisplayName,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList(), u.LockoutEnd is { } end && end > now)).ToList();
    }

    public async Task<Outcome<UserRow>> SetRolesAsync(string userId, IReadOnlyCollection<string> roles, CurrentUser admin, CancellationToken cancellationToken = default)
    {
        if (!admin.IsAdmin)
        {
            return Failure.Forbidden("Only admins can give or take roles.");
        }

        if (roles.Except(Roles.All).FirstOrDefault() is { } unknown)
        {
            return Failure.Invalid("roles", $"'{unknown}' is not a role: use {string.Join(", ", Roles.All)}.");
        }

        return await ChangeAsync(userId, admin, async (users, user) =>
        {
            if (IsSelf(user, admin) && !roles.Contains(Roles.Admin))
            {
                return Failure.Conflict("You cannot take your own admin role: ask another admin.");
            }

            var current = await users.GetRolesAsync(user);
            var taken = current.Except(roles).ToList();
            var given = roles.Except(current).ToList();
            if (taken.Count > 0)
            {
                await users.RemoveFromRolesAsync(user, taken);
            }

            if (given.Count > 0)
            {
                await users.AddToRolesAsync(user, given);
            }

            return (AuditAction.RolesChanged, $"{string.Join(", ", current.Order())} → {string.Join(", ", roles.Order())}");
        }, cancellationToken);
    }

    public Task<Outcome<UserRow>> SetLockedAsync(string userId, bool locked, CurrentUser admin, CancellationToken cancellationToken = default)
    {
        if (!admin.IsAdmin)
        {
            return Task.FromResult<Outcome<UserRow>>(Failure.Forbidden("Only admins can lock or unlock accounts."));
        }

        return ChangeAsync(userId, admin, async (users, user) =>
        {
            if (locked && IsSelf(user, admin))
            {
                return Failure.Conflict("You cannot lock your own account.");
            }

            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
            return locked ? (AuditAction.AccountLocked, "Locked until an admin unlocks it") : (AuditAction.AccountUnlocked, "Unlocked");
        }, cancellationToken);
    }

    /// <summary>
    /// A new account with the given roles and no password yet; the answer is its one-time set-password link, for the
    /// admin to pass on. The link works once (setting the password moves the account's stamp) and for three days.
    /// </summary>
    public async Task<Outcome<string>> InviteAsync(string email, string name, IReadOnlyCollection<string> roles, CurrentUser admin, CancellationToken cancellationToken = default)
    {
        if (!admin.IsAdmin)
        {
            return Failure.Forbidden("Only admins can invite people.");
        }

        string normalized;
        try
        {
            normalized = Domain.Employee.NormalizeEmail(email);
        }
        catch (Domain.DomainException ex)
        {
            return Failure.Invalid("email", ex.Message);
        }

        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > Domain.Employee.MaxNameLength)
        {
            return Failure.Invalid("name", $"Give the person's name ({Domain.Employee.MaxNameLength} characters at most).");
        }

        if (roles.Count == 0 || roles.Except(Roles.All).Any())
        {
            return Failure.Invalid("roles", $"Give at least one role of {string.Join(", ", Roles.All)}.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(normalized) is not null)
        {
            return Failure.Conflict($"{normalized} already has an account.");
        }

        var user = new AppUser { UserName = normalized, Email = normalized, EmailConfirmed = true, DisplayName = name.Trim() };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return Failure.Invalid("email", string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRolesAsync(user, roles);
        await audit.WriteAsync(admin.Email, AuditAction.AccountInvited, normalized, $"Roles {string.Join(", ", roles.Order())}; set-password link handed out", cancellationToken: cancellationToken);
        return await SetPasswordLinkAsync(users, user);
    }

    /// <summary>
    /// The account's password stops working and its sign-ins end; the answer is a one-time link to choose a new one.
    /// </summary>
    public async Task<Outcome<string>> ResetPasswordAsync(string userId, CurrentUser admin, CancellationToken cancellationToken = default)
    {
        if (!admin.IsAdmin)
        {
            return Failure.Forbidden("Only admins can reset passwords.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return Failure.NotFound("The account");
        }

        // The old password goes: nobody who knew it signs in again. Removing it moves the stamp, ending every sign-in.
        if (await users.HasPasswordAsync(user))
        {
            await users.RemovePasswordAsync(user);
        }

        validity.Forget(user.Id);
        await audit.WriteAsync(admin.Email, AuditAction.PasswordReset, user.Email ?? user.Id, "Password removed; set-password link handed out", cancellationToken: cancellationToken);
        return await SetPasswordLinkAsync(users, user);
    }

    private async Task<string> SetPasswordLinkAsync(UserManager<AppUser> users, AppUser user)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return $"{urls.BaseUrl}/account/set-password?user={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}";
    }

    private static bool IsSelf(AppUser user, CurrentUser admin) => string.Equals(user.Email, admin.Email, StringComparison.OrdinalIgnoreCase);

    private async Task<Outcome<UserRow>> ChangeAsync(string userId, CurrentUser admin, Func<UserManager<AppUser>, AppUser, Task<Outcome<(AuditAction Action, string Details)>>> change, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return Failure.NotFound("The account");
        }

        var done = await change(users, user);
        if (!done.IsOk)
        {
            return new Failure(done.Kind, done.Message!, done.Errors);
        }

        // What was taken stops working now: the stamp moves, and this node forgets what it had read.
        await users.UpdateSecurityStampAsync(user);
        validity.Forget(user.Id);
        await audit.WriteAsync(admin.Email, done.Value.Action, user.Email ?? user.Id, done.Value.Details, cancellationToken: cancellationToken);
        var roles = await users.GetRolesAsync(user);
        return new UserRow(user.Id, user.Email ?? string.Empty, user.DisplayName, roles.Order().ToList(), await users.IsLockedOutAsync(user));
    }
}
