using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveSessions.Tests.Security;

/// <summary>
/// Sign-in with the limits as shipped: one answer for every refusal, no lockout an attacker can cause, 429 with
/// Retry-After past the limits. Client addresses are told by X-Forwarded-For, which the app trusts from loopback
/// (the test's own address), as it would from a proxy on the same machine.
/// </summary>
public sealed partial class SignInTests : IClassFixture<SignInTests.ShippedLimitsApp>
{
    private readonly ShippedLimitsApp app;

    public SignInTests(ShippedLimitsApp app) => this.app = app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer_which_never_mentions_a_lock()
    {
        var known = await LoginAsync("198.51.100.1", DemoSeeder.TrainerEmail, "wrong-password");
        var unknown = await LoginAsync("198.51.100.1", "nobody.here@acme.example", "wrong-password");

        Assert.Equal(HttpStatusCode.Unauthorized, known.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var knownBody = await known.Content.ReadAsStringAsync(Ct);
        var unknownBody = await unknown.Content.ReadAsStringAsync(Ct);
        Assert.Equal(Detail(knownBody), Detail(unknownBody));
        Assert.DoesNotContain("lock", knownBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_attacker_hammering_the_admins_password_is_slowed_and_the_admin_still_signs_in_from_their_own_address()
    {
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 15; i++)
        {
            answers.Add(await LoginAsync("203.0.113.9", DemoSeeder.AdminEmail, $"guess-{i}"));
        }

        // Ten tries per account from one address, then 429 with how long to wait.
        Assert.All(answers.Take(10), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.All(answers.Skip(10), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        var retryAfter = answers[^1].Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: > 0 }, "429 without Retry-After");
        await answers[^1].ProblemAsync(HttpStatusCode.TooManyRequests);

        // The admin's account is not locked, and the admin, elsewhere, signs in.
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = await users.FindByEmailAsync(DemoSeeder.AdminEmail);
            Assert.False(await users.IsLockedOutAsync(admin!));
        }

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("198.51.100.7", DemoSeeder.AdminEmail, DemoSeeder.Password)).StatusCode);
    }

    [Fact]
    public async Task One_address_trying_many_accounts_gets_429_with_Retry_After_after_twenty_tries_a_minute()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            using var answer = await LoginAsync("192.0.2.44", $"sprayed{i}@acme.example", "Summer2026!");
            statuses.Add(answer.StatusCode);
            if (i == 20)
            {
                Assert.NotNull(answer.Headers.RetryAfter);
            }
        }

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
    }

    [Fact]
    public async Task The_sign_in_form_is_limited_as_the_API_is()
    {
        using var handler = new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        string last = string.Empty;
        for (var i = 0; i < 11; i++)
        {
            var form = await client.GetStringAsync("/account/login", Ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["_handler"] = "login",
                    ["__RequestVerificationToken"] = Accounts.AntiforgeryToken(form),
                    ["Input.Email"] = DemoSeeder.ApproverEmail,
                    ["Input.Password"] = $"guess-{i}",
                }),
            };
            request.Headers.Add("X-Forwarded-For", "203.0.113.77");
            using var answer = await client.SendAsync(request, Ct);
            statuses.Add(answer.StatusCode);
            last = await answer.Content.ReadAsStringAsync(Ct);
        }

        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
        Assert.Contains("Too many sign-in attempts", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_link_pages_answer_429_with_Retry_After_past_sixty_requests_a_minute_from_one_address()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? lastAnswer = null;
        for (var i = 0; i < 61; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/l/guessed-token-{i}");
            request.Headers.Add("X-Forwarded-For", "203.0.113.200");
            lastAnswer?.Dispose();
            lastAnswer = await app.Anonymous().SendAsync(request, Ct);
            statuses.Add(lastAnswer.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(60));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[60]);
        Assert.NotNull(lastAnswer!.Headers.RetryAfter);
        lastAnswer.Dispose();
    }

    private async Task<HttpResponseMessage> LoginAsync(string clientAddress, string email, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return await app.Anonymous().SendAsync(request, Ct);
    }

    private static string Detail(string problem) => System.Text.Json.JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString()!;


    /// <summary>The app with its sign-in and link limits as shipped.</summary>
    public sealed class ShippedLimitsApp : AppFixture
    {
        protected override IEnumerable<(string Key, string Value)> ExtraSettings() =>
        [
            ("LiveSessions:RateLimits:SignInsPerClientPerMinute", "20"),
            ("LiveSessions:RateLimits:SignInsPerAccountPerClientPer15Minutes", "10"),
            ("LiveSessions:RateLimits:LinkPagesPerClientPerMinute", "60"),
        ];
    }
}

/// <summary>
/// A refused sign-in must not tell by its time whether the email has an account. Nearly all of that time is the
/// password hash, so both paths must check exactly one hash against the same store: the test counts the real hasher's
/// checks (a counting wrapper around it) instead of timing requests, which a loaded machine would make flaky. The time
/// itself is a figure of the benchmarks (`--only signin`).
/// </summary>
public sealed class SignInTimingTests : IClassFixture<SignInTimingTests.CountingApp>
{
    private readonly CountingApp app;

    public SignInTimingTests(CountingApp app) => this.app = app;

    [Fact]
    public async Task Unknown_and_known_emails_cost_one_password_hash_check_each_and_get_the_same_answer()
    {
        using var client = app.Anonymous();
        async Task<(int Checks, string Answer)> RefuseAsync(string email)
        {
            var before = app.Hasher.Checks;
            using var answer = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "not-the-password" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            var body = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("detail").GetString()!;
            return (app.Hasher.Checks - before, body);
        }

        var known = await RefuseAsync(DemoSeeder.TrainerEmail);
        var unknown = await RefuseAsync($"ghost.{Guid.NewGuid():N}@acme.example");

        Assert.Equal(1, known.Checks);
        Assert.Equal(1, unknown.Checks);
        Assert.Equal(known.Answer, unknown.Answer);
    }

    /// <summary>The app with its password hasher wrapped to count checks.</summary>
    public sealed class CountingApp : AppFixture
    {
        public CountingHasher Hasher { get; } = new();

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.RemoveAll<IPasswordHasher<AppUser>>();
            services.AddSingleton<IPasswordHasher<AppUser>>(Hasher);
        }
    }

    /// <summary>Identity's own hasher, counting its checks.</summary>
    public sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> real = new();
        private int checks;

        public int Checks => Volatile.Read(ref checks);

        public string HashPassword(AppUser user, string password) => real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref checks);
            return real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
