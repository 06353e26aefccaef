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
        await app.FeedDispatchedAsync();
        Assert.Equal(1, Reminders(session.Id));
        Assert.NotNull(await PlanAsync(session.Id));

        // What a process that stopped right after the commit leaves: the session Ready, nothing planned.
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.AutomationPlans.Where(p => p.SessionId == session.Id).ExecuteDeleteAsync(Ct);
        }

        // The minutely sweep waits a grace period before it replans (so it never doubles a commit's own planning);
        // here it is asked not to wait.
        await app.Get<AutomationSweep>().RunAsync(TimeSpan.Zero, Ct);

        Assert.Equal(2, Reminders(session.Id));
        Assert.NotNull(await PlanAsync(session.Id));

        // Planned now: later sweeps leave it alone.
        await app.Get<AutomationSweep>().RunAsync(TimeSpan.Zero, Ct);
        Assert.Equal(2, Reminders(session.Id));
    }

    [Fact]
    public async Task The_sweep_leaves_a_session_alone_until_it_has_stayed_unplanned_for_the_grace_period()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        await app.FeedDispatchedAsync();
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.AutomationPlans.Where(p => p.SessionId == session.Id).ExecuteDeleteAsync(Ct);
        }

        // Seen unplanned just now: a commit's own planning may be about to run, so nothing is scheduled yet.
        await app.Get<AutomationSweep>().RunAsync(TimeSpan.FromHours(1), Ct);
        Assert.Equal(1, Reminders(session.Id));
        Assert.Null(await PlanAsync(session.Id));

        // Once it has stayed unplanned for the grace period, the sweep plans it.
        await app.Get<AutomationSweep>().RunAsync(TimeSpan.Zero, Ct);
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
