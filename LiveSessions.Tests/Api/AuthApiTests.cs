using System.Net;
using System.Net.Http.Headers;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;

namespace LiveSessions.Tests.Api;

/// <summary>POST /api/auth/login, and who may call what: 401 without a token, 403 for the wrong role.</summary>
[Collection(AppCollection.Name)]
public sealed class AuthApiTests(AppFixture app)
{
    [Fact]
    public async Task Login_with_the_right_password_answers_a_bearer_token_that_opens_the_api()
    {
        using var client = app.Anonymous();
        var token = await (await client.PostJsonAsync("/api/auth/login", new { email = DemoSeeder.AdminEmail, password = DemoSeeder.Password })).OkAsync<TokenDto>();

        Assert.Equal("Bearer", token.TokenType);
        Assert.False(string.IsNullOrWhiteSpace(token.AccessToken));
        Assert.False(string.IsNullOrWhiteSpace(token.RefreshToken));
        Assert.True(token.ExpiresIn > 0, $"expiresIn is {token.ExpiresIn}");

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var courses = await (await client.GetAsync("/api/courses", TestContext.Current.CancellationToken)).OkAsync<List<CourseDto>>();
        Assert.NotEmpty(courses);
    }

    [Fact]
    public async Task Login_is_case_insensitive_on_the_email()
    {
        using var client = app.Anonymous();
        var token = await (await client.PostJsonAsync("/api/auth/login", new { email = "  Trainer@Demo.Local ", password = DemoSeeder.Password })).OkAsync<TokenDto>();
        Assert.Equal("Bearer", token.TokenType);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_is_a_401_problem_that_says_what_was_wrong()
    {
        using var client = app.Anonymous();
        var response = await client.PostJsonAsync("/api/auth/login", new { email = DemoSeeder.ApproverEmail, password = "Wrong!2026" });

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("email or password is wrong", problem.Detail(), StringComparison.Ordinal);
        Assert.DoesNotContain("accessToken", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_with_an_unknown_email_is_the_same_401_so_it_reveals_nothing()
    {
        using var client = app.Anonymous();
        var response = await client.PostJsonAsync("/api/auth/login", new { email = "nobody@demo.local", password = DemoSeeder.Password });

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("email or password is wrong", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_without_a_password_is_a_400_validation_problem()
    {
        using var client = app.Anonymous();
        var response = await client.PostJsonAsync("/api/auth/login", new { email = DemoSeeder.AdminEmail, password = "" });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("email", problem.ErrorFields());
    }

    [Theory]
    [InlineData("GET", "/api/courses")]
    [InlineData("GET", "/api/employees")]
    [InlineData("GET", "/api/sessions")]
    [InlineData("POST", "/api/sessions")]
    [InlineData("GET", "/api/sessions/1")]
    [InlineData("PATCH", "/api/sessions/1")]
    [InlineData("POST", "/api/sessions/1/status")]
    [InlineData("GET", "/api/sessions/1/learners")]
    [InlineData("POST", "/api/sessions/1/learners")]
    [InlineData("POST", "/api/sessions/1/learners/status")]
    [InlineData("POST", "/api/sessions/1/learners/copy")]
    [InlineData("GET", "/api/sessions/1/learners/export")]
    [InlineData("GET", "/api/sessions/1/learners/1/history")]
    [InlineData("POST", "/api/sessions/1/attendance")]
    [InlineData("POST", "/api/sessions/1/go-show")]
    [InlineData("GET", "/api/me/sessions")]
    [InlineData("POST", "/api/me/registrations")]
    [InlineData("DELETE", "/api/me/registrations/1")]
    public async Task Every_call_without_a_token_is_a_401_problem(string method, string url)
    {
        using var client = app.Anonymous();
        var response = await client.SendAsync(new HttpMethod(method), url, method is "POST" or "PATCH" ? new { } : null);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_forged_token_is_a_401_problem()
    {
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-real-token");
        var response = await client.GetAsync("/api/sessions", TestContext.Current.CancellationToken);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("GET", "/api/courses")]
    [InlineData("GET", "/api/employees")]
    [InlineData("GET", "/api/sessions")]
    [InlineData("POST", "/api/sessions")]
    [InlineData("GET", "/api/sessions/1")]
    [InlineData("PATCH", "/api/sessions/1")]
    [InlineData("POST", "/api/sessions/1/status")]
    [InlineData("GET", "/api/sessions/1/learners")]
    [InlineData("POST", "/api/sessions/1/learners")]
    [InlineData("POST", "/api/sessions/1/learners/status")]
    [InlineData("POST", "/api/sessions/1/learners/copy")]
    [InlineData("GET", "/api/sessions/1/learners/export")]
    [InlineData("GET", "/api/sessions/1/learners/1/history")]
    [InlineData("POST", "/api/sessions/1/attendance")]
    [InlineData("POST", "/api/sessions/1/go-show")]
    public async Task A_learner_calling_admin_or_trainer_routes_gets_a_403_problem(string method, string url)
    {
        using var learner = await app.LearnerAsync();
        var response = await learner.SendAsync(new HttpMethod(method), url, method is "POST" or "PATCH" ? new { } : null);

        await response.ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("GET", "/api/courses")]
    [InlineData("POST", "/api/sessions")]
    [InlineData("PATCH", "/api/sessions/1")]
    [InlineData("POST", "/api/sessions/1/status")]
    [InlineData("POST", "/api/sessions/1/learners")]
    [InlineData("POST", "/api/sessions/1/learners/status")]
    [InlineData("POST", "/api/sessions/1/learners/copy")]
    [InlineData("GET", "/api/sessions/1/learners/export")]
    [InlineData("GET", "/api/me/sessions")]
    [InlineData("POST", "/api/me/registrations")]
    public async Task A_trainer_calling_admin_only_or_learner_routes_gets_a_403_problem(string method, string url)
    {
        using var trainer = await app.TrainerAsync();
        var response = await trainer.SendAsync(new HttpMethod(method), url, method is "POST" or "PATCH" ? new { } : null);

        await response.ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("GET", "/api/courses")]
    [InlineData("GET", "/api/employees")]
    [InlineData("GET", "/api/sessions")]
    [InlineData("GET", "/api/me/sessions")]
    public async Task An_approver_has_no_api_role_and_gets_403_problems(string method, string url)
    {
        using var approver = await app.ApproverAsync();
        var response = await approver.SendAsync(new HttpMethod(method), url);

        await response.ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_is_not_a_learner_and_cannot_register_through_the_learner_routes()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        using var admin = await app.AdminAsync();
        var response = await admin.PostJsonAsync("/api/me/registrations", new { sessionId = session.Id });

        await response.ProblemAsync(HttpStatusCode.Forbidden);
    }
}
