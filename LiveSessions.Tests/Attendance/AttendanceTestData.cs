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

namespace LiveSessions.Tests.Attendance;

/// <summary>A session whose learners registered themselves: they are on the attendance form, not yet marked.</summary>
internal sealed record SeatedSession(SessionView Session, IReadOnlyList<EmployeeRow> People, IReadOnlyDictionary<string, int> LearnerIds)
{
    public int Id => Session.Id;
}

/// <summary>Builders and database checks for the attendance tests, through the real handlers and database.</summary>
internal static class AttendanceTestData
{
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
