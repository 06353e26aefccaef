using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>A session whose learners registered themselves: they are on the attendance form, not yet marked.</summary>
internal sealed record SeatedSession(SessionView Session, IReadOnlyList<EmployeeRow> People, IReadOnlyDictionary<string, int> LearnerIds)
{
    public int Id => Session.Id;
}

/// <summary>What a trainer does on the attendance form, in the words of its labels and roles.</summary>
internal static class AttendanceSteps
{
    public static readonly ViewportSize Portrait = new() { Width = 820, Height = 1180 };

    public static readonly ViewportSize Landscape = new() { Width = 1180, Height = 820 };

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>A Ready session with <paramref name="count"/> Registered learners, trained by <paramref name="trainers"/>.</summary>
    public static async Task<SeatedSession> SeatedSessionAsync(this AppFixture app, int count, string prefix, IReadOnlyList<string>? trainers = null, int? capacity = null, AutomationSettings? automation = null)
    {
        var session = await app.NewSessionAsync(capacity: capacity ?? count, waitingList: false, trainers: trainers);
        if (automation is not null)
        {
            var updated = await app.Get<SaveSession>().UpdateAsync(session.Id, new SessionFields { Automation = automation }, AppFixture.Admin);
            Assert.True(updated.IsOk, updated.Message);
            session = updated.Value!;
        }

        var people = await app.NewEmployeesAsync(count, prefix);
        var ids = new Dictionary<string, int>();
        foreach (var person in people)
        {
            var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), TestContext.Current.CancellationToken);
            Assert.True(registered.IsOk, registered.Message);
            Assert.Equal(LearnerStatus.Registered, registered.Value!.Learner.Status);
            ids[person.Name] = registered.Value.Learner.Id;
        }

        return new SeatedSession(session, people, ids);
    }

    /// <summary>A trainer account and directory entry of their own, for a second trainer on a session.</summary>
    public static async Task<string> NewTrainerAsync(this AppFixture app, string name)
    {
        var email = $"trainer.{Guid.NewGuid():N}"[..20] + "@test.example";
        var created = await app.Get<EmployeeDirectory>().CreateAsync(new EmployeeFields(name, email, "Training", null), AppFixture.Admin);
        Assert.True(created.IsOk, created.Message);
        using var scope = app.Services.CreateScope();
        await AccountSetup.EnsureUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), email, name, Web.Features.Demo.DemoSeeder.Password, Roles.Trainer);
        return email;
    }

    /// <summary>Opens the form and waits until taps are taken (interactive, and the tap queue started).</summary>
    public static async Task OpenFormAsync(IPage page, int sessionId)
    {
        await page.GotoAsync($"/sessions/{sessionId}/attendance");
        await WaitUntilReadyAsync(page);
    }

    public static Task WaitUntilReadyAsync(IPage page) =>
        Expect(page.Locator("[data-testid=attendance-form][data-ready=true]")).ToBeVisibleAsync();

    public static ILocator Row(IPage page, string name) =>
        page.GetByRole(AriaRole.List, new() { Name = "Learners", Exact = true }).GetByRole(AriaRole.Listitem, new() { Name = name, Exact = true });

    public static ILocator Toggle(IPage page, string name, string mark) =>
        Row(page, name).GetByRole(AriaRole.Button, new() { Name = mark, Exact = true });

    public static Task TapAsync(IPage page, string name, string mark) => Toggle(page, name, mark).ClickAsync();

    /// <summary>The row shows <paramref name="mark"/> pressed and saved (no tap waiting for the server).</summary>
    public static async Task ExpectMarkedAsync(IPage page, string name, string mark, float? timeout = null)
    {
        await Expect(Toggle(page, name, mark)).ToHaveAttributeAsync("aria-pressed", "true", new() { Timeout = timeout });
        await Expect(Toggle(page, name, mark == "Attended" ? "Absent" : "Attended")).ToHaveAttributeAsync("aria-pressed", "false", new() { Timeout = timeout });
        await Expect(Row(page, name)).Not.ToHaveAttributeAsync("data-pending", new System.Text.RegularExpressions.Regex(".*"), new() { Timeout = timeout });
    }

    public static ILocator Count(IPage page) => page.GetByTestId("attendance-count");

    public static ILocator Queue(IPage page) => page.GetByTestId("attendance-queue");

    /// <summary>Status changes by marking (Attended or Absent) recorded for the learner: a replayed tap must add none.</summary>
    public static async Task<int> MarkHistoryCountAsync(this AppFixture app, int learnerId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync();
        return await db.StatusChanges.CountAsync(h => h.SessionLearnerId == learnerId
            && (h.Trigger == LearnerTrigger.MarkedAttended || h.Trigger == LearnerTrigger.MarkedAbsent));
    }

    public static async Task<LearnerStatus> StatusOfAsync(this AppFixture app, int learnerId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync();
        return await db.Learners.Where(l => l.Id == learnerId).Select(l => l.Status).SingleAsync();
    }
}
