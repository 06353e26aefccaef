using System.Collections.Concurrent;
using System.Security.Claims;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;

namespace LiveSessions.Web.Features.Accounts;

/// <summary>
/// Whether a signed-in principal still stands: its account exists, is not locked, has the same security stamp (a
/// sign-out or password change moves it) and still has every role the principal claims. Read from the database at
/// most every <c>LiveSessions:AccessRecheckSeconds</c> (30) per account, on the app's clock, so a revocation reaches
/// bearer tokens, cookies, open circuits and hub connections within a minute.
/// </summary>
public sealed class AccountValidity(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, (Account? Account, DateTimeOffset ReadAt)> accounts = new();
    private readonly TimeSpan recheckAfter = TimeSpan.FromSeconds(configuration.GetValue("LiveSessions:AccessRecheckSeconds", 30));

    public TimeSpan RecheckAfter => recheckAfter;

    public async Task<bool> StandsAsync(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal.FindFirstValue(new ClaimsIdentityOptions().SecurityStampClaimType);
        if (id is null || stamp is null)
        {
            // Not an account's sign-in (anonymous): nothing to revoke.
            return principal.Identity?.IsAuthenticated != true;
        }

        var now = clock.GetUtcNow();
        if (!accounts.TryGetValue(id, out var known) || now - known.ReadAt >= recheckAfter)
        {
            known = (await ReadAsync(id), now);
            accounts[id] = known;
        }

        return known.Account is { Locked: false } account
            && account.Stamp == stamp
            && principal.FindAll(ClaimTypes.Role).All(role => account.Roles.Contains(role.Value));
    }

    /// <summary>Forgets what was read about an account, so its next request reads it again (after a sign-out, say).</summary>
    public void Forget(string userId) => accounts.TryRemove(userId, out _);

    private async Task<Account?> ReadAsync(string id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(id);
        return user is null
            ? null
            : new Account(user.SecurityStamp, await users.IsLockedOutAsync(user), (await users.GetRolesAsync(user)).ToHashSet(StringComparer.Ordinal));
    }

    private sealed record Account(string? Stamp, bool Locked, IReadOnlySet<string> Roles);
}

/// <summary>
/// Every request's principal, cookie or bearer token, passes <see cref="AccountValidity"/> or becomes a signed-out one
/// marked revoked (see <see cref="RevokedMeansSignIn"/>).
/// </summary>
public sealed class RevalidateAccount(AccountValidity validity) : IClaimsTransformation
{
    public const string RevokedClaim = "livesessions:revoked";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal) =>
        // A mail provider signed in by the inbound-email secret is no account: there is nothing to revoke.
        principal.Identity?.AuthenticationType == Features.Email.InboundEmailSecret.Scheme || await validity.StandsAsync(principal)
            ? principal
            : new ClaimsPrincipal(new ClaimsIdentity([new Claim(RevokedClaim, "true")]));
}

/// <summary>
/// A revoked sign-in still counts as "authenticated" to the policy evaluator (its scheme gave a ticket), which would
/// answer 403 or send a browser to the denied page. It is a sign-in that no longer holds: answer as to nobody signed in
/// (401 for the API, the sign-in page for a browser).
/// </summary>
public sealed class RevokedMeansSignIn : Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler
{
    private readonly Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, Microsoft.AspNetCore.Authorization.AuthorizationPolicy policy, Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.HasClaim(RevalidateAccount.RevokedClaim, "true"))
        {
            if (policy.AuthenticationSchemes.Count == 0)
            {
                await context.ChallengeAsync();
                return;
            }

            foreach (var scheme in policy.AuthenticationSchemes)
            {
                await context.ChallengeAsync(scheme);
            }

            return;
        }

        await standard.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>An open circuit checks its user as often as requests do; a revoked one becomes signed out in place.</summary>
public sealed class RevalidateCircuit(ILoggerFactory loggers, AccountValidity validity) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => validity.RecheckAfter;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        validity.StandsAsync(authenticationState.User);
}
