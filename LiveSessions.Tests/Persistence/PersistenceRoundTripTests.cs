using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Attendance;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Persistence;

[Collection(AppCollection.Name)]
public sealed class PersistenceRoundTripTests(AppFixture app)
{
    [Fact]
    public async Task A_session_its_roster_and_every_status_change_read_back_from_SQLite_as_written()
    {
        var session = await app.NewSessionAsync(capacity: 2, waitingList: true, status: SessionStatus.Draft, trainers: ["trainer@demo.local"]);
        var people = await app.NewEmployeesAsync(3, "rt");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(Emails: people.Select(p => p.Email).ToList()), AppFixture.Admin, TestContext.Current.CancellationToken);
        Assert.Equal(3, added.Value!.Added.Count);
        await app.Get<Web.Features.Sessions.SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, TestContext.Current.CancellationToken);
        var respond = app.Get<RespondToInvitation>();
        Assert.True((await respond.HandleAsync(session.Id, true, AppFixture.LearnerUser(people[0].Email), TestContext.Current.CancellationToken)).IsOk);
        Assert.True((await respond.HandleAsync(session.Id, true, AppFixture.LearnerUser(people[1].Email), TestContext.Current.CancellationToken)).IsOk);
        var third = await respond.HandleAsync(session.Id, true, AppFixture.LearnerUser(people[2].Email), TestContext.Current.CancellationToken);
        Assert.Equal(LearnerStatus.WaitingList, third.Value!.Learner.Status);
        var trainer = new CurrentUser("trainer@demo.local", "trainer", new HashSet<string> { Roles.Trainer });
        var first = added.Value.Added.Single(a => a.Email == people[0].Email);
        Assert.True((await app.Get<MarkAttendance>().HandleAsync(session.Id, first.Id, true, trainer, TestContext.Current.CancellationToken)).IsOk);

        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var stored = await db.Sessions.AsNoTracking()
            .Include(s => s.Learners).ThenInclude(l => l.History)
            .Include(s => s.Trainers).ThenInclude(t => t.Employee)
            .SingleAsync(s => s.Id == session.Id, TestContext.Current.CancellationToken);

        Assert.Equal(SessionStatus.Ready, stored.Status);
        Assert.Equal("Europe/Paris", stored.TimeZone);
        Assert.Equal(TimeSpan.FromHours(48), stored.Automation.SeatOfferHoldTime);
        Assert.Equal("trainer@demo.local", Assert.Single(stored.Trainers).Employee.Email);
        Assert.Equal(session.Start, stored.Start);
        Assert.Equal(0, stored.Start.Ticks % TimeSpan.TicksPerSecond);

        var attended = stored.Learners.Single(l => l.Id == first.Id);
        Assert.Equal(LearnerStatus.Attended, attended.Status);
        Assert.Equal(
            [(null, LearnerStatus.NotInvited, LearnerTrigger.AddedToDraftSession), (LearnerStatus.NotInvited, LearnerStatus.Invited, LearnerTrigger.SessionSetReady),
             (LearnerStatus.Invited, LearnerStatus.Registered, LearnerTrigger.InvitationAccepted), (LearnerStatus.Registered, LearnerStatus.Attended, LearnerTrigger.MarkedAttended)],
            attended.History.OrderBy(h => h.Id).Select(h => (h.From, h.To, h.Trigger)).ToList());
        var last = attended.History.OrderBy(h => h.Id).Last();
        Assert.Equal(ActorKind.Trainer, last.ActorKind);
        Assert.Equal("trainer@demo.local", last.ActorName);
        Assert.Equal("Auto-invite on Ready", attended.History.OrderBy(h => h.Id).ElementAt(1).Cause);

        var waiting = stored.Learners.Single(l => l.Status == LearnerStatus.WaitingList);
        Assert.NotNull(waiting.WaitingListJoinedAt);
        Assert.Equal(1, stored.WaitingListPosition(waiting));
    }

    [Fact]
    public async Task The_same_employee_cannot_be_stored_twice_in_one_session()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft);
        var person = (await app.NewEmployeesAsync(1, "dup"))[0];
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO SessionLearners (SessionId, EmployeeId, Status, StatusChangedAt, Version) VALUES ({session.Id}, {person.Id}, 'NotInvited', 0, 0)",
            TestContext.Current.CancellationToken);
        var duplicate = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => db.Database.ExecuteSqlAsync(
            $"INSERT INTO SessionLearners (SessionId, EmployeeId, Status, StatusChangedAt, Version) VALUES ({session.Id}, {person.Id}, 'Invited', 0, 0)",
            TestContext.Current.CancellationToken));
        Assert.Contains("UNIQUE", duplicate.Message, StringComparison.Ordinal);
    }
}
