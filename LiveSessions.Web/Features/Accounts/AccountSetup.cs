using System.Security.Claims;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace LiveSessions.Web.Features.Accounts;

public static class AccountSetup
{
    public static async Task EnsureRolesAsync(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    /// <summary>Creates an account (or adds roles to it); the email links it to the directory.</summary>
    public static async Task<AppUser> EnsureUserAsync(UserManager<AppUser> users, string email, string displayName, string password, params string[] roles)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Could not create {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            }
        }

        foreach (var role in roles)
        {
            if (!await users.IsInRoleAsync(user, role))
            {
                await users.AddToRoleAsync(user, role);
            }
        }

        return user;
    }

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Signing out ends the account's sign-ins everywhere: its security stamp moves, so every cookie, bearer token,
        // refresh token and circuit issued before stops working at once (this node) or within a minute (others).
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn, AccountValidity validity, Operations.AuditLog audit, ClaimsPrincipal principal, HttpContext http) =>
        {
            if (await signIn.UserManager.GetUserAsync(principal) is { } user)
            {
                await signIn.UserManager.UpdateSecurityStampAsync(user);
                validity.Forget(user.Id);
                await audit.WriteAsync(user.Email ?? user.Id, Operations.AuditAction.SignOut, user.Email ?? user.Id, "Every sign-in of the account ended", http.Connection.RemoteIpAddress?.ToString());
            }

            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        });
    }
}

/// <summary>The signed-in user for components, from the circuit's authentication state.</summary>
public sealed class UserAccessor(AuthenticationStateProvider authentication)
{
    public async Task<CurrentUser> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return CurrentUser.From(state.User ?? new ClaimsPrincipal());
    }
}
