using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Demo;

/// <summary>The app on a first start with the whole demo (its big roster cut to 300 learners).</summary>
public sealed class ShowcaseFixture : AppFixture
{
    protected override bool ShowcaseDemo => true;
}

/// <summary>A newcomer's first start shows every feature: each demo account has something to do.</summary>
public sealed class DemoDataTests(ShowcaseFixture app) : IClassFixture<ShowcaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_approver_has_requests_waiting_direct_and_hierarchic_and_the_admins_one_with_nobody_to_approve()
    {
        var approver = new CurrentUser(DemoSeeder.ApproverEmail, "approver", new HashSet<string> { Roles.Approver });
        var mine = await app.Get<PendingApprovals>().HandleAsync(approver, Ct);
        Assert.Equal(3, mine.Count(p => p.SessionTitle == "Leadership Essentials — approvals"));
        Assert.Equal(3, mine.Count(p => p.SessionTitle == "Customer Summit — approvals"));

        var all = await app.Get<PendingApprovals>().HandleAsync(AppFixture.Admin, Ct);
        var orphan = Assert.Single(all, p => p.LearnerEmail == DemoSeeder.NewJoinerEmail);
        Assert.True(orphan.NoApprover);
    }

    [Fact]
    public async Task The_mailbox_holds_an_email_of_every_type()
    {
        var outbox = await app.Get<OutboxQueries>().ListAsync(null, null, null, 500, AppFixture.Admin, Ct);
        Assert.True(outbox.IsOk, outbox.Message);
        Assert.Empty(Enum.GetValues<EmailType>().Except(outbox.Value!.Select(r => r.Type)));
    }

    [Fact]
    public async Task The_trainer_has_attendance_to_take_today_and_a_session_tomorrow()
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        var theirs = await db.Sessions.AsNoTracking().Where(s => s.Status == SessionStatus.Ready && s.Trainers.Any(t => t.Employee.Email == DemoSeeder.TrainerEmail))
            .Select(s => new { s.Title, s.Start, s.End, Registered = s.Learners.Count(l => l.Status == LearnerStatus.Registered), Marked = s.Learners.Count(l => l.Status == LearnerStatus.Attended || l.Status == LearnerStatus.Absent) })
            .ToListAsync(Ct);
        Assert.True(theirs.Any(s => s.Start <= now && s.End > now && s.Registered > 0 && s.Marked == 0), string.Join("; ", theirs.Select(s => $"{s.Title} {s.Start:u}–{s.End:u} {s.Registered}")));
        Assert.Contains(theirs, s => s.Start > now && s.Start < now.AddDays(2) && s.Registered > 0);
    }

    [Fact]
    public async Task The_learner_has_a_seat_offer_in_a_full_session_whose_waiting_list_raises_the_demand_alert()
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var hers = await db.Learners.AsNoTracking().Where(l => l.Employee.Email == DemoSeeder.LearnerEmail)
            .Select(l => new { l.Status, l.SessionId, l.SeatOfferExpiresAt }).ToListAsync(Ct);
        var offer = Assert.Single(hers, l => l.SeatOfferExpiresAt > DateTimeOffset.UtcNow);
        Assert.Equal(LearnerStatus.Invited, offer.Status);
        var waiting = await db.Learners.CountAsync(l => l.SessionId == offer.SessionId && l.Status == LearnerStatus.WaitingList, Ct);
        Assert.True(waiting >= 5, $"{waiting} waiting");
    }

    [Fact]
    public async Task Forms_have_answers_and_the_big_roster_has_the_configured_size_and_the_new_joiner_no_manager()
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.True(await db.FormResponses.CountAsync(r => r.Kind == FormKind.Registration, Ct) >= 5);
        Assert.True(await db.FormResponses.CountAsync(r => r.Kind == FormKind.Feedback, Ct) >= 5);

        var largest = await db.Sessions.AsNoTracking().Select(s => s.Learners.Count).MaxAsync(Ct);
        Assert.Equal(300, largest);

        var newJoiner = await db.Employees.AsNoTracking().SingleAsync(e => e.Email == DemoSeeder.NewJoinerEmail, Ct);
        Assert.Null(newJoiner.ManagerId);
        Assert.NotNull(await db.Users.SingleOrDefaultAsync(u => u.Email == DemoSeeder.NewJoinerEmail, Ct));
    }
}
