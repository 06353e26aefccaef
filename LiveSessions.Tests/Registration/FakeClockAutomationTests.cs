using Hangfire;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Automation;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Registration;

/// <summary>Offer expiry and scheduled automation, with the clock moved by the test.</summary>
[Collection(FakeClockCollection.Name)]
public sealed class FakeClockAutomationTests(FakeClockFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_expired_offer_sends_the_learner_to_the_end_of_the_line_and_offers_the_seat_to_the_next()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true, start: app.Clock.GetUtcNow().AddDays(7));
        var people = await app.NewEmployeesAsync(3, "expiry");
        var register = app.Get<RegisterLearner>();
        foreach (var p in people)
        {
            await register.HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), Ct);
        }

        await app.Get<CancelRegistration>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), Ct);
        var offered = await LearnerAsync(session.Id, people[1].Email);
        Assert.Equal(LearnerStatus.Invited, offered.Status);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(48), offered.SeatOfferExpiresAt!.Value, TimeSpan.FromMilliseconds(1));

        app.Clock.Advance(TimeSpan.FromHours(47));
        await app.Get<ExpireSeatOffers>().HandleAsync(Ct);
        Assert.Equal(LearnerStatus.Invited, (await LearnerAsync(session.Id, people[1].Email)).Status);
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.True(await app.Get<ExpireSeatOffers>().HandleAsync(Ct) >= 1);

        var second = await LearnerAsync(session.Id, people[1].Email);
        var third = await LearnerAsync(session.Id, people[2].Email);
        Assert.Equal(LearnerStatus.WaitingList, second.Status);
        Assert.Equal(LearnerStatus.Invited, third.Status);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(48), third.SeatOfferExpiresAt!.Value, TimeSpan.FromMilliseconds(1));
        var mine = await app.Get<MySessions>().HandleAsync(AppFixture.LearnerUser(people[1].Email), Ct);
        Assert.Equal(1, mine.Mine.Single(m => m.SessionId == session.Id).WaitingListPosition);
    }

    [Fact]
    public async Task The_attendance_reminder_is_planned_24_hours_before_the_start_and_replanned_when_the_start_moves()
    {
        var start = app.Clock.GetUtcNow().AddDays(4);
        var session = await app.NewSessionAsync(capacity: 5, start: start);
        await app.FeedDispatchedAsync();
        var moved = start.AddDays(2);
        await app.Get<SaveSession>().UpdateAsync(session.Id, new SessionFields { Start = moved, End = moved.AddHours(2) }, AppFixture.Admin, Ct);
        await app.FeedDispatchedAsync();

        var scheduled = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 500)
            .Where(j => j.Value.Job?.Type.Name == "AttendanceReminderJob" && (int)j.Value.Job.Args[0] == session.Id)
            .Select(j => (EnqueueAt: j.Value.EnqueueAt, StartTicks: (long)j.Value.Job.Args[1]))
            .ToList();
        Assert.Contains(scheduled, j => j.StartTicks == new DateTimeOffset(start.UtcDateTime.AddTicks(-(start.UtcTicks % TimeSpan.TicksPerSecond)), TimeSpan.Zero).UtcTicks);
        var latest = Assert.Single(scheduled, j => j.StartTicks == moved.AddTicks(-(moved.UtcTicks % TimeSpan.TicksPerSecond)).UtcTicks);
        Assert.Equal(moved.AddTicks(-(moved.UtcTicks % TimeSpan.TicksPerSecond)).AddHours(-24).UtcDateTime, latest.EnqueueAt, TimeSpan.FromSeconds(1));
    }

    private async Task<SessionLearner> LearnerAsync(int sessionId, string email)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.AsNoTracking().SingleAsync(l => l.SessionId == sessionId && l.Employee.Email == email, Ct);
    }
}
