using System.Net;
using System.Net.Http.Json;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Security;

/// <summary>
/// Every /api route the app maps, read from its endpoint list, called by six callers: anonymous, an admin, a trainer
/// of the session, a trainer of another session, an approver and a learner. Each gets in or is turned away as the
/// table says; a route the table does not know, or one mapped without an authorization policy, fails the test.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuthorizationMatrixTests(AppFixture app)
{
    private enum Caller
    {
        Anonymous,
        Admin,
        TrainerOfSession,
        TrainerOfAnother,
        Approver,
        Learner,
    }

    /// <summary>Who may call each route (beyond admins, who may call every route but the learner's own).</summary>
    private enum Who
    {
        Anyone,
        Admin,
        AdminOrAnyTrainer,
        AdminOrItsTrainers,
        Learner,
    }

    private static readonly Dictionary<string, Who> Table = new()
    {
        ["POST /api/auth/login"] = Who.Anyone,
        ["POST /api/auth/refresh"] = Who.Anyone,
        ["GET /api/courses"] = Who.Admin,
        ["GET /api/employees"] = Who.AdminOrAnyTrainer,
        ["GET /api/sessions/"] = Who.AdminOrAnyTrainer,
        ["POST /api/sessions/"] = Who.Admin,
        ["GET /api/sessions/{id:int}"] = Who.AdminOrItsTrainers,
        ["PATCH /api/sessions/{id:int}"] = Who.Admin,
        ["POST /api/sessions/{id:int}/status"] = Who.Admin,
        ["GET /api/sessions/{id:int}/learners"] = Who.AdminOrItsTrainers,
        ["POST /api/sessions/{id:int}/learners"] = Who.Admin,
        ["POST /api/sessions/{id:int}/learners/status"] = Who.Admin,
        ["POST /api/sessions/{id:int}/learners/copy"] = Who.Admin,
        ["POST /api/sessions/{id:int}/learners/import"] = Who.Admin,
        ["GET /api/sessions/{id:int}/learners/export"] = Who.Admin,
        ["GET /api/sessions/{id:int}/learners/{learnerId:int}/history"] = Who.AdminOrItsTrainers,
        ["POST /api/sessions/{id:int}/emails"] = Who.Admin,
        ["GET /api/outbox"] = Who.Admin,
        ["POST /api/inbound-email"] = Who.Admin,
        ["GET /api/calendar-replies"] = Who.Admin,
        ["POST /api/sessions/{id:int}/attendance"] = Who.AdminOrItsTrainers,
        ["POST /api/sessions/{id:int}/go-show"] = Who.AdminOrItsTrainers,
        ["GET /api/me/sessions"] = Who.Learner,
        ["GET /api/me/sessions/{id:int}/forms/{kind}"] = Who.Learner,
        ["POST /api/me/registrations"] = Who.Learner,
        ["DELETE /api/me/registrations/{sessionId:int}"] = Who.Learner,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_api_route_is_in_the_table_and_every_one_but_sign_in_requires_authorization()
    {
        var routes = ApiRoutes();
        Assert.Empty(routes.Select(r => r.Key).Except(Table.Keys));
        Assert.Empty(Table.Keys.Except(routes.Select(r => r.Key)));
        foreach (var (key, endpoint) in routes)
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var authorized = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 || endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0;
            Assert.True(Table[key] == Who.Anyone ? anonymous : authorized && !anonymous, $"{key}: anonymous {anonymous}, authorized {authorized}");
        }
    }

    [Fact]
    public async Task Every_api_route_lets_in_exactly_the_callers_the_table_names()
    {
        var trainerOfAnother = await NewTrainerAsync();
        var session = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        var person = (await app.NewEmployeesAsync(1, "matrix"))[0];
        var learnerId = (await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([person.Email]), AppFixture.Admin, Ct)).Value!.Added.Single().Id;
        var clients = new Dictionary<Caller, HttpClient>
        {
            [Caller.Anonymous] = app.Anonymous(),
            [Caller.Admin] = await app.AdminAsync(),
            [Caller.TrainerOfSession] = await app.TrainerAsync(),
            [Caller.TrainerOfAnother] = await app.SignedInAsync(trainerOfAnother, TrainerPassword),
            [Caller.Approver] = await app.ApproverAsync(),
            [Caller.Learner] = await app.LearnerAsync(),
        };

        var wrong = new List<string>();
        foreach (var (key, _) in ApiRoutes().Where(r => Table[r.Key] != Who.Anyone))
        {
            var method = key[..key.IndexOf(' ', StringComparison.Ordinal)];
            var path = key[(method.Length + 1)..]
                .Replace("{id:int}", session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{sessionId:int}", session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{learnerId:int}", learnerId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{kind}", "registration", StringComparison.Ordinal);
            foreach (var (caller, client) in clients)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (path.EndsWith("/import", StringComparison.Ordinal))
                {
                    // The route takes multipart only (routing answers 415 to anything else before authorization).
                    request.Content = new MultipartFormDataContent { { new ByteArrayContent([]), "file", "empty.csv" } };
                }
                else if (method is "POST" or "PATCH")
                {
                    // An empty body: a caller let in gets a validation answer (or nothing to do), never 401 or 403.
                    request.Content = JsonContent.Create(new { });
                }

                using var response = await client.SendAsync(request, Ct);
                var status = response.StatusCode;
                var expected = Expected(Table[key], caller);
                var turnedAway = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (caller == Caller.TrainerOfAnother && status == HttpStatusCode.NotFound);
                var ok = expected switch
                {
                    HttpStatusCode.Unauthorized => status == HttpStatusCode.Unauthorized,
                    HttpStatusCode.Forbidden => turnedAway && status != HttpStatusCode.Unauthorized,
                    _ => !turnedAway && (int)status < 500,
                };
                if (!ok)
                {
                    wrong.Add($"{key} as {caller}: {(int)status}, expected {(expected == HttpStatusCode.OK ? "to be let in" : ((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
                }
            }
        }

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task The_roster_hub_lets_in_exactly_admins_and_the_sessions_trainers()
    {
        var trainerOfAnother = await NewTrainerAsync();
        var session = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        var outcomes = new Dictionary<Caller, string>();
        foreach (var (caller, email, password) in new (Caller, string?, string)[]
        {
            (Caller.Anonymous, null, string.Empty),
            (Caller.Admin, DemoSeeder.AdminEmail, DemoSeeder.Password),
            (Caller.TrainerOfSession, DemoSeeder.TrainerEmail, DemoSeeder.Password),
            (Caller.TrainerOfAnother, trainerOfAnother, TrainerPassword),
            (Caller.Approver, DemoSeeder.ApproverEmail, DemoSeeder.Password),
            (Caller.Learner, DemoSeeder.LearnerEmail, DemoSeeder.Password),
        })
        {
            string? token = null;
            if (email is not null)
            {
                using var signedIn = await app.SignedInAsync(email, password);
                token = signedIn.DefaultRequestHeaders.Authorization!.Parameter;
            }

            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(app.BaseAddress, "/hubs/roster"), o => o.AccessTokenProvider = () => Task.FromResult(token))
                .Build();
            try
            {
                await hub.StartAsync(Ct);
                await hub.InvokeAsync("JoinSession", session.Id, Ct);
                outcomes[caller] = "joined";
            }
            catch (HttpRequestException ex)
            {
                outcomes[caller] = ((int?)ex.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "refused";
            }
            catch (Microsoft.AspNetCore.SignalR.HubException)
            {
                outcomes[caller] = "refused by JoinSession";
            }
        }

        Assert.Equal("401", outcomes[Caller.Anonymous]);
        Assert.Equal("joined", outcomes[Caller.Admin]);
        Assert.Equal("joined", outcomes[Caller.TrainerOfSession]);
        Assert.Equal("refused by JoinSession", outcomes[Caller.TrainerOfAnother]);
        Assert.Equal("403", outcomes[Caller.Approver]);
        Assert.Equal("403", outcomes[Caller.Learner]);
    }

    [Fact]
    public async Task Every_page_has_a_policy_sends_strangers_to_sign_in_and_people_without_the_role_to_the_denied_page()
    {
        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
            .ToList();
        Assert.NotEmpty(pages);
        var session = await app.NewSessionAsync(capacity: 5);
        using var learner = await CookieClientAsync(DemoSeeder.LearnerEmail, DemoSeeder.Password);
        var wrong = new List<string>();
        foreach (var page in pages)
        {
            var pattern = page.RoutePattern.RawText!;
            var anonymous = page.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var roles = page.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Roles).FirstOrDefault(r => r is not null);
            if (!anonymous && page.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0)
            {
                wrong.Add($"{pattern}: no [Authorize] and no [AllowAnonymous]");
                continue;
            }

            var path = "/" + pattern.TrimStart('/')
                .Replace("{Id:int}", session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{SessionId:int}", session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{Token}", "not-a-token", StringComparison.Ordinal)
                .Replace("{Kind}", "registration", StringComparison.Ordinal);
            using var stranger = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
            using var answer = await stranger.GetAsync(path, Ct);
            var toSignIn = answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location!.ToString().Contains("/account/login", StringComparison.Ordinal);
            if (anonymous ? toSignIn || (int)answer.StatusCode >= 500 : !toSignIn)
            {
                wrong.Add($"{pattern} anonymous: {(int)answer.StatusCode} {answer.Headers.Location}");
            }

            if (!anonymous && roles is not null && !roles.Split(',').Contains(Roles.Learner))
            {
                using var asLearner = await learner.GetAsync(path, Ct);
                if (!(asLearner.StatusCode == HttpStatusCode.Redirect && asLearner.Headers.Location!.ToString().Contains("/account/denied", StringComparison.Ordinal)))
                {
                    wrong.Add($"{pattern} as a learner: {(int)asLearner.StatusCode} {asLearner.Headers.Location}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    private async Task<HttpClient> CookieClientAsync(string email, string password)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var form = await client.GetStringAsync("/account/login", Ct);
        var token = Accounts.AntiforgeryToken(form);
        using var signedIn = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return client;
    }

    private const string TrainerPassword = Accounts.Password;

    private static HttpStatusCode Expected(Who who, Caller caller) => (who, caller) switch
    {
        (Who.Anyone, _) => HttpStatusCode.OK,
        (_, Caller.Anonymous) => HttpStatusCode.Unauthorized,
        (Who.Learner, Caller.Learner) => HttpStatusCode.OK,
        (Who.Learner, _) => HttpStatusCode.Forbidden,
        (_, Caller.Admin) => HttpStatusCode.OK,
        (Who.AdminOrAnyTrainer, Caller.TrainerOfSession or Caller.TrainerOfAnother) => HttpStatusCode.OK,
        (Who.AdminOrItsTrainers, Caller.TrainerOfSession) => HttpStatusCode.OK,
        _ => HttpStatusCode.Forbidden,
    };

    private List<KeyValuePair<string, RouteEndpoint>> ApiRoutes() =>
    [
        .. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => new KeyValuePair<string, RouteEndpoint>($"{m} {e.RoutePattern.RawText}", e))),
    ];

    private async Task<string> NewTrainerAsync() => (await app.NewAccountAsync(Roles.Trainer, "othertrainer")).Email;
}
