using LiveSessions.Domain;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>Builders that make test data through the real feature handlers and database.</summary>
public static class TestData
{
    public static async Task<int> CourseIdAsync(this AppFixture app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync();
        return await db.Courses.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
    }

    /// <summary>A new session (moved to <paramref name="status"/>), starting in 10 days unless told.</summary>
    public static async Task<SessionView> NewSessionAsync(this AppFixture app, int capacity, bool waitingList = true, bool approval = false, bool calendar = false,
        SessionStatus status = SessionStatus.Ready, IReadOnlyList<string>? trainers = null, DateTimeOffset? start = null, int? courseId = null,
        ApprovalFlow? approvalFlow = null, int? approvalLevels = null)
    {
        var begin = start ?? DateTimeOffset.UtcNow.AddDays(10);
        var outcome = await app.Get<SaveSession>().CreateAsync(new SessionFields
        {
            CourseId = courseId ?? await app.CourseIdAsync(),
            Title = "Test session " + Guid.NewGuid().ToString("N")[..6],
            Start = begin,
            End = begin.AddHours(2),
            TimeZone = "Europe/Paris",
            MaxCapacity = capacity,
            EnableWaitingList = waitingList,
            RequiresApproval = approval,
            ApprovalFlow = approvalFlow,
            ApprovalLevels = approvalLevels,
            EnableCalendar = calendar,
            TrainerEmails = trainers ?? [],
        }, AppFixture.Admin);
        Assert.True(outcome.IsOk, outcome.Message);
        if (status != SessionStatus.Draft)
        {
            var moved = await app.Get<SetSessionStatus>().HandleAsync(outcome.Value!.Id, status, AppFixture.Admin);
            Assert.True(moved.IsOk, moved.Message);
            return moved.Value!;
        }

        return outcome.Value!;
    }

    /// <summary>Fresh employees (each with a unique email) for a test.</summary>
    public static async Task<List<EmployeeRow>> NewEmployeesAsync(this AppFixture app, int count, string prefix = "p")
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var rows = new List<EmployeeRow>();
        for (var i = 0; i < count; i++)
        {
            var outcome = await app.Get<EmployeeDirectory>().CreateAsync(new EmployeeFields($"{prefix} {i} {tag}", $"{prefix}{i}.{tag}@test.example", "Testing", null), AppFixture.Admin);
            Assert.True(outcome.IsOk, outcome.Message);
            rows.Add(outcome.Value!);
        }

        return rows;
    }

    /// <summary>
    /// A management chain of fresh employees, top first: each of <paramref name="names"/> reports to the one before
    /// (names get a unique tag); returned bottom first, so [0] is the person at the foot of the chain.
    /// </summary>
    public static async Task<List<EmployeeRow>> NewChainAsync(this AppFixture app, params string[] names)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var chain = new List<EmployeeRow>();
        foreach (var name in names)
        {
            var outcome = await app.Get<EmployeeDirectory>().CreateAsync(
                new EmployeeFields($"{name} {tag}", $"{name.Replace(' ', '.').ToLowerInvariant()}.{tag}@test.example", "Testing", chain.LastOrDefault()?.Id), AppFixture.Admin);
            Assert.True(outcome.IsOk, outcome.Message);
            chain.Add(outcome.Value!);
        }

        chain.Reverse();
        return chain;
    }
}
