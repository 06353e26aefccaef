using Hangfire;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Automation;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Registration;

/// <summary>A reaction lost after a commit (a crash, a handler that threw) is made good by the automation sweep.</summary>
[Collection(AppCollection.Name)]
public sealed class AutomationSweepTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_Ready_session_whose_planning_was_lost_gets_its_reminder_from_the_next_sweep_and_only_once()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        Assert.Equal(1, Reminders(session.Id));
        Assert.NotNull(await PlanAsync(session.Id));

        // What a process that stopped right after the commit leaves: the session Ready, nothing planned.
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.AutomationPlans.Where(p => p.SessionId == session.Id).ExecuteDeleteAsync(Ct);
        }

        await app.Get<AutomationSweep>().RunAsync(Ct);

        Assert.Equal(2, Reminders(session.Id));
        Assert.NotNull(await PlanAsync(session.Id));

        // Planned now: later sweeps leave it alone.
        await app.Get<AutomationSweep>().RunAsync(Ct);
        Assert.Equal(2, Reminders(session.Id));
    }

    private int Reminders(int sessionId) =>
        app.Get<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10_000)
            .Count(j => j.Value.Job?.Type == typeof(AttendanceReminderJob) && (int)j.Value.Job.Args[0] == sessionId);

    private async Task<string?> PlanAsync(int sessionId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.AutomationPlans.Where(p => p.SessionId == sessionId).Select(p => p.Key).SingleOrDefaultAsync(Ct);
    }
}
