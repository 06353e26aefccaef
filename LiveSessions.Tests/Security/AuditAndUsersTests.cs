using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Operations;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Security;

/// <summary>The audit log records who did what (never a password or a token), and admins manage accounts.</summary>
[Collection(AppCollection.Name)]
public sealed class AuditAndUsersTests(AppFixture app)
{
    private const string Password = Accounts.Password;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_ins_and_failed_sign_ins_are_logged_without_the_password_or_the_token()
    {
        var (email, _) = await NewTrainerAsync();
        var wrong = $"Wrong-{Guid.NewGuid():N}";
        using var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { email, password = wrong }, Ct)).StatusCode);
        var token = await (await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct)).OkAsync<TokenDto>();

        var lines = await LinesAsync(email);
        Assert.Contains(lines, l => l.Action == AuditAction.SignInFailed && l.Subject == email && l.Details == "wrong password");
        Assert.Contains(lines, l => l.Action == AuditAction.SignIn && l.Actor == email);
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Details.Contains(wrong) || e.Subject.Contains(wrong) || e.Details.Contains(token.AccessToken.Substring(0, 20)), Ct));
    }

    [Fact]
    public async Task Status_changes_exports_bulk_emails_imports_and_automation_changes_are_logged_with_who_did_them()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        var person = (await app.NewEmployeesAsync(1, "audited"))[0];
        var other = (await app.NewEmployeesAsync(1, "imported"))[0];
        using var admin = await app.AdminAsync();
        var learner = (await admin.SeatAsync(session.Id, [person])).Single();
        (await admin.GetAsync($"/api/sessions/{session.Id}/learners/export", Ct)).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync($"/api/sessions/{session.Id}/emails", new { learnerIds = new[] { learner.Id }, type = "AttendanceReminder" })).EnsureSuccessStatusCode();
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"email\n{other.Email}\n")), "file", "more.csv" } })
        {
            (await admin.PostAsync($"/api/sessions/{session.Id}/learners/import", form, Ct)).EnsureSuccessStatusCode();
        }

        (await admin.PatchJsonAsync($"/api/sessions/{session.Id}", new { automation = new { seatOfferHoldTime = "1.00:00:00" } })).EnsureSuccessStatusCode();

        var lines = await LinesAsync($"session {session.Id}");
        Assert.All(lines, l => Assert.Equal(DemoSeeder.AdminEmail, l.Actor));
        Assert.Contains(lines, l => l.Action == AuditAction.StatusChanged && l.Details.Contains(person.Email, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Action == AuditAction.Exported);
        Assert.Contains(lines, l => l.Action == AuditAction.BulkEmail && l.Details.StartsWith("AttendanceReminder", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Action == AuditAction.Imported && l.Details.Contains("1 added", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Action == AuditAction.AutomationChanged && l.Details.Contains("SeatOfferHoldTime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Taking_a_role_or_locking_an_account_ends_its_access_at_once_and_is_logged()
    {
        var (email, id) = await NewTrainerAsync();
        using var trainer = await app.SignedInAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, (await trainer.GetAsync("/api/sessions", Ct)).StatusCode);
        var administration = app.Get<UserAdministration>();

        var taken = await administration.SetRolesAsync(id, [Roles.Learner], AppFixture.Admin, Ct);
        Assert.True(taken.IsOk, taken.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, (await trainer.GetAsync("/api/sessions", Ct)).StatusCode);

        var given = await administration.SetRolesAsync(id, [Roles.Trainer], AppFixture.Admin, Ct);
        Assert.True(given.IsOk, given.Message);
        using var again = await app.SignedInAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/sessions", Ct)).StatusCode);

        var locked = await administration.SetLockedAsync(id, true, AppFixture.Admin, Ct);
        Assert.True(locked.IsOk && locked.Value!.Locked, locked.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/sessions", Ct)).StatusCode);
        using var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct)).StatusCode);

        var lines = await LinesAsync(email);
        Assert.Contains(lines, l => l.Action == AuditAction.RolesChanged && l.Details == "Trainer → Learner" && l.Actor == DemoSeeder.AdminEmail);
        Assert.Contains(lines, l => l.Action == AuditAction.AccountLocked);
    }

    [Fact]
    public async Task An_admin_cannot_take_their_own_admin_role_or_lock_themselves()
    {
        using var scope = app.Services.CreateScope();
        var admin = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(DemoSeeder.AdminEmail))!;
        var administration = app.Get<UserAdministration>();

        Assert.Equal(OutcomeKind.Conflict, (await administration.SetRolesAsync(admin.Id, [Roles.Trainer], AppFixture.Admin, Ct)).Kind);
        Assert.Equal(OutcomeKind.Conflict, (await administration.SetLockedAsync(admin.Id, true, AppFixture.Admin, Ct)).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await administration.SetLockedAsync(admin.Id, true, AppFixture.LearnerUser("someone@acme.example"), Ct)).Kind);
    }

    [Fact]
    public async Task An_invited_person_sets_a_password_once_with_their_link_and_signs_in_with_the_role_given()
    {
        var email = $"invited.{Guid.NewGuid():N}@acme.example";
        var invited = await app.Get<UserAdministration>().InviteAsync(email, "Ivy Invited", [Roles.Trainer], AppFixture.Admin, Ct);
        Assert.True(invited.IsOk, invited.Message);

        Assert.Contains("Your password is set", await SetPasswordAsync(invited.Value!, "Fresh!Pass2026"), StringComparison.Ordinal);
        using var trainer = await app.SignedInAsync(email, "Fresh!Pass2026");
        Assert.Equal(HttpStatusCode.OK, (await trainer.GetAsync("/api/sessions", Ct)).StatusCode);

        Assert.Contains("already used", await SetPasswordAsync(invited.Value!, "Another!Pass2026"), StringComparison.Ordinal);
        Assert.Contains(await LinesAsync(email), l => l.Action == AuditAction.AccountInvited && l.Actor == DemoSeeder.AdminEmail);
    }

    [Fact]
    public async Task A_password_reset_ends_the_old_password_and_its_sign_ins_and_the_link_sets_a_new_one()
    {
        var (email, id) = await NewTrainerAsync();
        using var before = await app.SignedInAsync(email, Password);

        var reset = await app.Get<UserAdministration>().ResetPasswordAsync(id, AppFixture.Admin, Ct);
        Assert.True(reset.IsOk, reset.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/sessions", Ct)).StatusCode);
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct)).StatusCode);

        Assert.Contains("Your password is set", await SetPasswordAsync(reset.Value!, "Renewed!Pass2026"), StringComparison.Ordinal);
        using var after = await app.SignedInAsync(email, "Renewed!Pass2026");
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/api/sessions", Ct)).StatusCode);
        Assert.Contains(await LinesAsync(email), l => l.Action == AuditAction.PasswordReset);
    }

    /// <summary>Opens the set-password link and sends its form, as a browser would; returns the page answered.</summary>
    private async Task<string> SetPasswordAsync(string link, string password)
    {
        var path = new Uri(link).PathAndQuery;
        using var handler = new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        var page = await browser.GetStringAsync(path, Ct);
        string Field(string name) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, $"name=\"{System.Text.RegularExpressions.Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value);
        using var answer = await browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "set-password",
            ["__RequestVerificationToken"] = Field("__RequestVerificationToken"),
            ["Input.User"] = Field("Input.User"),
            ["Input.Token"] = Field("Input.Token"),
            ["Input.Password"] = password,
            ["Input.Confirm"] = password,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return await answer.Content.ReadAsStringAsync(Ct);
    }

    private async Task<List<AuditEntry>> LinesAsync(string who) =>
        [.. (await app.Get<AuditLog>().ListAsync(null, who, null, null, 1000, AppFixture.Admin, Ct)).Value!];

    private Task<(string Email, string Id)> NewTrainerAsync() => app.NewAccountAsync(Roles.Trainer, "audittrainer");
}
