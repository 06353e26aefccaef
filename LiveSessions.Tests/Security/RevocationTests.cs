using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Security;

/// <summary>
/// Access taken away reaches every way in within the recheck interval (30 s): bearer tokens, refresh tokens,
/// cookies and hub connections. The app's clock is the test's, so "within the interval" is a step of the clock.
/// </summary>
public sealed partial class RevocationTests : IClassFixture<FakeClockFixture>
{
    private readonly FakeClockFixture app;

    public RevocationTests(FakeClockFixture app) => this.app = app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Revocations() => ["role taken", "locked", "deleted"];

    [Theory]
    [MemberData(nameof(Revocations))]
    public async Task A_bearer_token_and_its_refresh_token_stop_working_within_the_interval(string revocation)
    {
        var (email, _) = await NewTrainerAsync();
        using var client = app.Anonymous();
        var token = await (await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct)).OkAsync<TokenDto>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sessions", Ct)).StatusCode);

        await RevokeAsync(email, revocation);
        app.Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/sessions", Ct)).StatusCode);
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token.RefreshToken }, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_of_a_standing_account_gives_a_new_access_token()
    {
        var (email, _) = await NewTrainerAsync();
        using var client = app.Anonymous();
        var token = await (await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct)).OkAsync<TokenDto>();
        var renewed = await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token.RefreshToken }, Ct)).OkAsync<TokenDto>();

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", renewed.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sessions", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_stops_working_when_its_user_signs_out_and_when_its_role_is_taken()
    {
        var (email, _) = await NewTrainerAsync();
        var (cookie, page) = await SignInWithTheFormAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(cookie, "/sessions")).StatusCode);

        // Signing out (in another tab, with the same cookie) ends that cookie everywhere, at once.
        using (var signedIn = WithCookie(cookie))
        {
            using var logout = await signedIn.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Accounts.AntiforgeryToken(page),
            }), Ct);
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        var after = await GetWithCookieAsync(cookie, "/sessions");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/login", after.Headers.Location!.ToString(), StringComparison.Ordinal);

        // A fresh cookie, then the role goes: within the interval the cookie opens nothing.
        var (second, _) = await SignInWithTheFormAsync(email);
        await RevokeAsync(email, "role taken");
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var denied = await GetWithCookieAsync(second, "/sessions");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
    }

    [Fact]
    public async Task A_trainer_taken_off_a_session_hears_nothing_more_on_the_hub_while_an_admin_still_does()
    {
        var (email, _) = await NewTrainerAsync();
        var session = await app.NewSessionAsync(capacity: 5, trainers: [email]);
        var people = await app.NewEmployeesAsync(2, "revoked");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct);
        var learnerIds = added.Value!.Added.Select(l => l.Id).ToList();

        await using var trainer = await ListenAsync(email, Password, session.Id);
        await using var admin = await ListenAsync(Web.Features.Demo.DemoSeeder.AdminEmail, Web.Features.Demo.DemoSeeder.Password, session.Id);

        // While the trainer trains the session, both hear a change.
        await ChangeAsync(session.Id, learnerIds[0]);
        await trainer.HeardAsync(learnerIds[0]);
        await admin.HeardAsync(learnerIds[0]);

        var taken = await app.Get<SaveSession>().UpdateAsync(session.Id, new SessionFields { TrainerEmails = [] }, AppFixture.Admin, Ct);
        Assert.True(taken.IsOk, taken.Message);

        // The next change reaches the admin (its event), and never the trainer, names and emails included.
        await ChangeAsync(session.Id, learnerIds[1]);
        await admin.HeardAsync(learnerIds[1]);
        Assert.DoesNotContain(trainer.Heard, change => change.Contains(people[1].Email, StringComparison.Ordinal));
        Assert.False(trainer.HasHeard(learnerIds[1]));
    }

    private const string Password = Accounts.Password;

    private Task<(string Email, string Id)> NewTrainerAsync() => app.NewAccountAsync(Roles.Trainer, "trainer");

    private async Task RevokeAsync(string email, string revocation)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        var done = revocation switch
        {
            "role taken" => await users.RemoveFromRoleAsync(user, Roles.Trainer),
            "locked" => await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue),
            "deleted" => await users.DeleteAsync(user),
            _ => throw new ArgumentOutOfRangeException(nameof(revocation)),
        };
        Assert.True(done.Succeeded);
    }

    private async Task ChangeAsync(int sessionId, int learnerId)
    {
        var changed = await app.Get<UpdateLearnerStatus>().HandleAsync(sessionId, new UpdateLearnerStatusRequest([learnerId], LearnerStatus.Registered), AppFixture.Admin, Ct);
        Assert.True(changed.IsOk, changed.Message);
    }

    private async Task<(string Cookie, string Page)> SignInWithTheFormAsync(string email)
    {
        using var handler = new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        var form = await client.GetStringAsync("/account/login", Ct);
        using var answer = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = Accounts.AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        }), Ct);
        var cookie = string.Join("; ", handler.CookieContainer.GetCookies(app.BaseAddress).Select(c => $"{c.Name}={c.Value}"));
        Assert.Contains(".AspNetCore.Identity.Application=", cookie, StringComparison.Ordinal);

        // A page with the sign-out form, whose antiforgery token goes with this cookie.
        var page = await client.GetStringAsync("/sessions", Ct);
        return (string.Join("; ", handler.CookieContainer.GetCookies(app.BaseAddress).Select(c => $"{c.Name}={c.Value}")), page);
    }

    private HttpClient WithCookie(string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private async Task<HttpResponseMessage> GetWithCookieAsync(string cookie, string path)
    {
        using var client = WithCookie(cookie);
        return await client.GetAsync(path, Ct);
    }

    private async Task<Listener> ListenAsync(string email, string password, int sessionId)
    {
        using var client = app.Anonymous();
        var token = await (await client.PostAsJsonAsync("/api/auth/login", new { email, password }, Ct)).OkAsync<TokenDto>();
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "/hubs/roster"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token.AccessToken))
            .Build();
        var listener = new Listener(hub);
        await hub.StartAsync(Ct);
        await hub.InvokeAsync("JoinSession", sessionId, Ct);
        return listener;
    }


    /// <summary>A hub client that keeps every RosterChanged it hears and signals each learner it hears of.</summary>
    private sealed class Listener : IAsyncDisposable
    {
        private readonly HubConnection hub;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> learners = new();

        public Listener(HubConnection hub)
        {
            this.hub = hub;
            hub.On<JsonElement>("RosterChanged", change =>
            {
                Heard.Add(change.GetRawText());
                foreach (var learner in change.GetProperty("learners").EnumerateArray())
                {
                    Of(learner.GetProperty("id").GetInt32()).TrySetResult();
                }
            });
        }

        public System.Collections.Concurrent.ConcurrentBag<string> Heard { get; } = [];

        public Task HeardAsync(int learnerId) => Of(learnerId).Task.WaitAsync(Patience.Ceiling, Ct);

        public bool HasHeard(int learnerId) => Of(learnerId).Task.IsCompleted;

        public ValueTask DisposeAsync() => hub.DisposeAsync();

        private TaskCompletionSource Of(int learnerId) => learners.GetOrAdd(learnerId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
