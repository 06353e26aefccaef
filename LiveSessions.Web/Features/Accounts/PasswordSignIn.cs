using System.Net;
using System.Threading.RateLimiting;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;

namespace LiveSessions.Web.Features.Accounts;

/// <summary>What a sign-in attempt came to.</summary>
public sealed record SignInAttempt(bool Succeeded, TimeSpan? RetryAfter)
{
    /// <summary>The one answer to every refused attempt: it never says whether the account exists or is locked.</summary>
    public const string Refused = "The email or password is wrong, or this account may not sign in.";

    public static string TooMany(TimeSpan retryAfter) =>
        $"Too many sign-in attempts from here. Try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} seconds.";
}

/// <summary>
/// Signs in with an email and a password, for the sign-in form (cookie) and the API (bearer token) alike.
/// <list type="bullet">
/// <item>An unknown email costs the same work as a known one (a password hash is checked either way), so the time of the
/// answer does not tell which emails have accounts.</item>
/// <item>Wrong passwords never lock an account: anyone could lock anyone out, the admin included. Attempts are limited
/// per client address and per account from that address instead (<see cref="SignInThrottle"/>), so an attacker is slowed
/// and the real user, from their own address, still signs in. Only an admin locks an account.</item>
/// </list>
/// </summary>
public sealed class PasswordSignIn(SignInManager<AppUser> signIn, IPasswordHasher<AppUser> hasher, SignInThrottle throttle, Operations.AuditLog audit)
{
    private static readonly AppUser Nobody = new();
    private static string? nobodysHash;

    public async Task<SignInAttempt> SignInAsync(string email, string password, string scheme, bool persistent, IPAddress? client)
    {
        var normalized = email.Trim().ToLowerInvariant();
        if (throttle.Refuse(client, normalized) is { } retryAfter)
        {
            await audit.WriteAsync("anonymous", Operations.AuditAction.SignInFailed, normalized, "Refused: too many attempts from this address", client?.ToString());
            return new SignInAttempt(false, retryAfter);
        }

        var user = await signIn.UserManager.FindByEmailAsync(normalized);
        var hash = user?.PasswordHash ?? (nobodysHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString()));
        var verified = hasher.VerifyHashedPassword(user ?? Nobody, hash, password) != PasswordVerificationResult.Failed;
        if (user is null || !verified || await signIn.UserManager.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            // Which of these it was stays out of the answer, not out of the log.
            var why = user is null ? "no such account" : !verified ? "wrong password" : "account locked or not allowed to sign in";
            await audit.WriteAsync("anonymous", Operations.AuditAction.SignInFailed, normalized, why, client?.ToString());
            return new SignInAttempt(false, null);
        }

        signIn.AuthenticationScheme = scheme;
        await signIn.SignInAsync(user, persistent);
        await audit.WriteAsync(normalized, Operations.AuditAction.SignIn, normalized, scheme == IdentityConstants.BearerScheme ? "API (bearer token)" : "sign-in form", client?.ToString());
        return new SignInAttempt(true, null);
    }
}

/// <summary>
/// Sign-in attempts allowed per client address (<c>LiveSessions:RateLimits:SignInsPerClientPerMinute</c>, 20) and per
/// account from one address (<c>LiveSessions:RateLimits:SignInsPerAccountPerClientPer15Minutes</c>, 10).
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> perClient;
    private readonly PartitionedRateLimiter<string> perAccount;

    public SignInThrottle(IConfiguration configuration)
    {
        var clientLimit = configuration.GetValue("LiveSessions:RateLimits:SignInsPerClientPerMinute", 20);
        var accountLimit = configuration.GetValue("LiveSessions:RateLimits:SignInsPerAccountPerClientPer15Minutes", 10);
        perClient = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = clientLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));
        perAccount = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = accountLimit, Window = TimeSpan.FromMinutes(15), QueueLimit = 0,
        }));
    }

    /// <summary>Null when the attempt may go ahead; otherwise how long to wait.</summary>
    public TimeSpan? Refuse(IPAddress? client, string account)
    {
        var address = client?.ToString() ?? "unknown";
        using var byClient = perClient.AttemptAcquire(address);
        if (!byClient.IsAcquired)
        {
            return RetryAfter(byClient);
        }

        using var byAccount = perAccount.AttemptAcquire($"{address}|{account}");
        return byAccount.IsAcquired ? null : RetryAfter(byAccount);
    }

    public void Dispose()
    {
        perClient.Dispose();
        perAccount.Dispose();
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
}
