using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Attendance;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static LiveSessions.Tests.Browser.AttendanceSteps;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>Who may open the attendance form: the session's trainers and admins, and the holder of its signed link.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AttendanceAccessTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_trainer_of_another_session_is_refused_the_form()
    {
        var app = browser.App;
        var otherTrainer = await app.NewTrainerAsync("Oscar Other");
        var seated = await app.SeatedSessionAsync(2, "notmine", trainers: [otherTrainer]);

        var page = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        try
        {
            await page.GotoAsync($"/sessions/{seated.Id}/attendance");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Expect(page.GetByTestId("attendance-refused")).ToHaveTextAsync("You do not train this session. Only its trainers and admins can take its attendance.");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the attendance form refused");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Attended", Exact = true })).ToHaveCountAsync(0);
            await Expect(page.GetByText(seated.People[0].Name)).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_admin_sends_the_attendance_form_and_the_lead_trainer_takes_attendance_from_the_link_without_a_password()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var seated = await app.SeatedSessionAsync(3, "link", trainers: [DemoSeeder.TrainerEmail]);
        var name = seated.People.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase).First();

        var admin = await browser.SignInAsync(DemoSeeder.AdminEmail);
        var anonymous = await browser.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = Portrait });
        try
        {
            // The sessions list and the session page lead to the form.
            await admin.GotoAsync("/sessions");
            await BrowserFixture.WaitForInteractiveAsync(admin);
            await admin.GetByLabel("Search title or location").FillAsync(seated.Session.Title);
            await Expect(admin.GetByRole(AriaRole.Link, new() { Name = $"Attendance of {seated.Session.Title}" })).ToHaveAttributeAsync("href", $"/sessions/{seated.Id}/attendance");
            await LearnersCardSteps.OpenSessionAsync(admin, seated.Id, seated.People[0].Email);
            await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Attendance", Exact = true })).ToHaveAttributeAsync("href", $"/sessions/{seated.Id}/attendance");

            await admin.GetByRole(AriaRole.Button, new() { Name = "Send Attendance Form" }).ClickAsync();
            await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
            await Expect(admin.GetByText($"The attendance form is on its way to Tina Trainer ({DemoSeeder.TrainerEmail}).")).ToBeVisibleAsync();

            string text;
            await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(ct))
            {
                var email = await db.Outbox.Where(o => o.SessionId == seated.Id && o.To == DemoSeeder.TrainerEmail).SingleAsync(ct);
                Assert.Equal($"Attendance form: {seated.Session.Title}", email.Subject);
                text = email.TextBody;
            }

            var path = LinkPath().Match(text).Value;
            Assert.StartsWith("/attendance/", path, StringComparison.Ordinal);

            // No sign-in: the link is the credential, and it acts as the lead trainer.
            var page = await anonymous.NewPageAsync();
            await page.GotoAsync(path);
            await WaitUntilReadyAsync(page);
            await Expect(page.GetByText(seated.Session.Title)).ToBeVisibleAsync();
            await TapAsync(page, name, "Attended");
            await ExpectMarkedAsync(page, name, "Attended");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the attendance form opened from the emailed link");

            await using var check = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(ct);
            var last = await check.StatusChanges.Where(h => h.SessionLearnerId == seated.LearnerIds[name]).OrderByDescending(h => h.Id).FirstAsync(ct);
            Assert.Equal((LearnerStatus.Attended, ActorKind.Trainer, DemoSeeder.TrainerEmail), (last.To, last.ActorKind, last.ActorName));

            // A changed token opens nothing.
            var tampered = path[..^6] + (path[^6] == 'A' ? 'B' : 'A') + path[^5..];
            await page.GotoAsync(tampered);
            await Expect(page.GetByTestId("attendance-refused")).ToContainTextAsync("The link is damaged or was changed.");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link is not valid" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Attended", Exact = true })).ToHaveCountAsync(0);
            await Expect(page.GetByText(seated.Session.Title)).ToHaveCountAsync(0);

            await page.GotoAsync("/attendance/not-a-token");
            await Expect(page.GetByTestId("attendance-refused")).ToContainTextAsync("The link is damaged or was changed.");

            // Without the link, the form asks for a sign-in.
            await page.GotoAsync($"/sessions/{seated.Id}/attendance");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        }
        finally
        {
            await admin.Context.CloseAsync();
            await anonymous.CloseAsync();
        }
    }

    [GeneratedRegex(@"/attendance/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPath();
}
