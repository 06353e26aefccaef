using System.Net;
using LiveSessions.Domain;
using LiveSessions.Tests.Browser;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;

namespace LiveSessions.Tests.Security;

/// <summary>The app as it runs in Production answers with its security headers and serves no API description.</summary>
public sealed class SecurityHeadersTests : IClassFixture<SecurityHeadersTests.ProductionApp>
{
    private readonly ProductionApp app;

    public SecurityHeadersTests(ProductionApp app) => this.app = app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/denied")]
    [InlineData("/api/sessions")]
    [InlineData("/health/ready")]
    public async Task Every_answer_in_Production_carries_the_security_headers(string path)
    {
        using var client = app.Anonymous();
        using var response = await client.GetAsync(path, Ct);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar")]
    public async Task The_API_description_is_not_served_in_Production(string path)
    {
        using var admin = await app.AdminAsync();
        using var response = await admin.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_denied_page_exists_and_says_what_to_do()
    {
        using var client = app.Anonymous();
        using var response = await client.GetAsync("/account/denied", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You are not allowed here", html, StringComparison.Ordinal);
    }

    /// <summary>The app in the Production environment (demo data asked for explicitly).</summary>
    public sealed class ProductionApp : AppFixture
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}

/// <summary>Every main page, as each kind of user sees it, loads in Chromium under the policy with no violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Every_main_page_runs_under_the_content_security_policy_without_a_violation()
    {
        var session = await browser.App.NewSessionAsync(capacity: 5, calendar: true);
        var pages = new (string Email, string[] Paths)[]
        {
            (DemoSeeder.AdminEmail, ["/", "/sessions", $"/sessions/{session.Id}", $"/sessions/{session.Id}/edit", "/sessions/new", "/courses", "/employees", "/dashboard", "/mailbox", "/approvals", "/account/denied"]),
            (DemoSeeder.TrainerEmail, ["/", "/sessions"]),
            (DemoSeeder.LearnerEmail, ["/me"]),
        };

        var violations = new List<string>();
        foreach (var (email, paths) in pages)
        {
            var page = await browser.SignInAsync(email);

            // The policy's own event for whatever it blocks (an inline script, a style, a connection), counted per page.
            await page.Context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => { window.__cspViolations = (window.__cspViolations || 0) + 1; console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI); });");
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"{email} {page.Url}: {message.Text}");
                }
            };
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                Assert.NotNull(response);
                Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
                if (path != "/account/denied")
                {
                    await BrowserFixture.WaitForInteractiveAsync(page);
                }

                if (await page.EvaluateAsync<int>("() => window.__cspViolations ?? 0") is var blocked and > 0)
                {
                    violations.Add($"{email} {path}: {blocked} blocked");
                }
            }

            await page.Context.CloseAsync();
        }

        Assert.Empty(violations);
    }
}
