using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Dashboard;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Dashboard;

[Collection(AppCollection.Name)]
public sealed class DashboardBoardTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_board_shows_each_next_session_with_its_seats_state_sparkline_and_activity_in_four_queries_whatever_their_number()
    {
        // Starting within minutes, so they are among the next sessions whatever other tests create.
        var full = await app.NewSessionAsync(capacity: 2, waitingList: true, start: DateTimeOffset.UtcNow.AddMinutes(5));
        var empty = await app.NewSessionAsync(capacity: 10, start: DateTimeOffset.UtcNow.AddMinutes(6));
        var people = await app.NewEmployeesAsync(3, "board");
        foreach (var person in people)
        {
            Assert.True((await app.Get<RegisterLearner>().HandleAsync(full.Id, AppFixture.LearnerUser(person.Email), Ct)).IsOk);
        }

        var counted = new CountingContextFactory(app.Get<DbContextOptions<LiveSessionsDbContext>>());
        var board = new DashboardBoard(counted, app.Get<TimeProvider>());
        var view = (await board.LoadAsync(new BoardFilter(48), AppFixture.Admin, Ct)).Value!;

        var tile = view.Tiles.Single(t => t.SessionId == full.Id);
        Assert.Equal((2, 0, 0, 1, 1.0, FillState.FullWithDemand), (tile.Taken, tile.Held, tile.Free, tile.Waiting, tile.FillRate, tile.State));
        Assert.Equal(DashboardBoard.SparklineDays, tile.RegistrationsPerDay.Count);
        Assert.Equal([.. Enumerable.Repeat(0, DashboardBoard.SparklineDays - 1), 2], tile.RegistrationsPerDay);

        var quiet = view.Tiles.Single(t => t.SessionId == empty.Id);
        Assert.Equal((0, 10, FillState.UnderFilled), (quiet.Taken, quiet.Free, quiet.State));
        Assert.All(quiet.RegistrationsPerDay, day => Assert.Equal(0, day));

        Assert.Equal(
            [(people[2].Name, LearnerStatus.WaitingList), (people[1].Name, LearnerStatus.Registered), (people[0].Name, LearnerStatus.Registered)],
            view.Activity.Where(a => a.SessionId == full.Id).Select(a => (a.LearnerName, a.To)).ToList());
        Assert.All(view.Activity.Where(a => a.SessionId == full.Id), a => Assert.Equal("by the learner", a.By));
        Assert.Equal(view.Activity.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Id), view.Activity.Select(a => a.Id));

        // The sessions, their seats, registrations per day, the activity: one query each, not one per session.
        Assert.True(counted.Commands.Count == 4, $"{counted.Commands.Count} commands: {string.Join(" | ", counted.Commands)}");
        Assert.True(view.Tiles.Count > 2, "the board holds other sessions too");
    }

    [Fact]
    public async Task The_board_lists_the_next_sessions_soonest_first_up_to_the_count_and_only_for_admins()
    {
        var board = app.Get<DashboardBoard>();
        var twelve = (await board.LoadAsync(new BoardFilter(12), AppFixture.Admin, Ct)).Value!;
        Assert.InRange(twelve.Tiles.Count, 1, 12);
        Assert.Equal(twelve.Tiles.OrderBy(t => t.Start).Select(t => t.SessionId), twelve.Tiles.Select(t => t.SessionId));
        Assert.All(twelve.Tiles, t => Assert.Contains(t.Status, new[] { SessionStatus.Draft, SessionStatus.Processing, SessionStatus.Ready }));

        var refused = await board.LoadAsync(new BoardFilter(), AppFixture.LearnerUser(DemoSeeder.LearnerEmail), Ct);
        Assert.Equal(OutcomeKind.Forbidden, refused.Kind);
    }

    [Fact]
    public async Task A_change_redraws_a_tile_from_the_seats_it_carries()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true, start: DateTimeOffset.UtcNow.AddMinutes(7));
        var tile = (await app.Get<DashboardBoard>().LoadAsync(new BoardFilter(48), AppFixture.Admin, Ct)).Value!.Tiles.Single(t => t.SessionId == session.Id);
        var people = await app.NewEmployeesAsync(2, "redraw");
        var first = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), Ct);
        var second = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[1].Email), Ct);

        var change = (await app.Get<Web.Features.Live.RosterChangeNotifier>().SnapshotAsync(session.Id, [first.Value!.Learner.Id, second.Value!.Learner.Id], "test", 0, 2, Ct))!;
        var redrawn = tile.With(change, DateTimeOffset.UtcNow);
        Assert.Equal((1, 0, 1, 1.0, FillState.FullWithDemand), (redrawn.Taken, redrawn.Free, redrawn.Waiting, redrawn.FillRate, redrawn.State));
    }

    [Fact]
    public async Task A_sister_session_is_a_draft_with_the_same_settings_a_week_later_at_the_same_local_time()
    {
        var source = await app.NewSessionAsync(capacity: 7, waitingList: true, approval: true, calendar: true, trainers: [DemoSeeder.TrainerEmail],
            start: new DateTimeOffset(2031, 3, 27, 8, 0, 0, TimeSpan.Zero), approvalFlow: ApprovalFlow.HierarchicManager, approvalLevels: 3);
        var automation = AutomationSettings.Default with { SeatOfferHoldTime = TimeSpan.FromHours(12), MarkAbsentAfterEnd = true };
        Assert.True((await app.Get<SaveSession>().UpdateAsync(source.Id, new SessionFields { Location = "Room 4", Description = "Bring boots", Automation = automation }, AppFixture.Admin, Ct)).IsOk);
        source = (await app.Get<SessionQueries>().GetAsync(source.Id, AppFixture.Admin, Ct)).Value!;

        var sister = (await app.Get<CreateSisterSession>().HandleAsync(source.Id, AppFixture.Admin, Ct)).Value!;

        Assert.NotEqual(source.Id, sister.Id);
        Assert.Equal(SessionStatus.Draft, sister.Status);
        Assert.Equal(source.Title + " (sister session)", sister.Title);
        Assert.Equal(
            (source.CourseId, source.Description, source.Type, source.TimeZone, source.Location, source.MaxCapacity, source.EnableWaitingList, source.RequiresApproval, source.ApprovalFlow, source.ApprovalLevels, source.EnableCalendar, source.Automation),
            (sister.CourseId, sister.Description, sister.Type, sister.TimeZone, sister.Location, sister.MaxCapacity, sister.EnableWaitingList, sister.RequiresApproval, sister.ApprovalFlow, sister.ApprovalLevels, sister.EnableCalendar, sister.Automation));
        Assert.Equal(source.Trainers.Select(t => t.Email), sister.Trainers.Select(t => t.Email));
        Assert.Equal(0, sister.SeatsTaken);

        // Paris moves to summer time on 30 March 2031: 9:00 stays 9:00 on the wall clock, an hour earlier in UTC.
        Assert.Equal(SessionTime.ToLocal(source.Start, source.TimeZone).AddDays(7), SessionTime.ToLocal(sister.Start, sister.TimeZone));
        Assert.Equal(source.End - source.Start, sister.End - sister.Start);
        Assert.Equal(TimeSpan.FromDays(7) - TimeSpan.FromHours(1), sister.Start - source.Start);

        var niece = (await app.Get<CreateSisterSession>().HandleAsync(sister.Id, AppFixture.Admin, Ct)).Value!;
        Assert.Equal(source.Title + " (sister session)", niece.Title);
    }

    [Fact]
    public async Task Only_an_admin_creates_a_sister_session_of_a_session_that_exists()
    {
        var source = await app.NewSessionAsync(capacity: 3);
        Assert.Equal(OutcomeKind.Forbidden, (await app.Get<CreateSisterSession>().HandleAsync(source.Id, AppFixture.LearnerUser(DemoSeeder.LearnerEmail), Ct)).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await app.Get<CreateSisterSession>().HandleAsync(987_654_321, AppFixture.Admin, Ct)).Kind);
        Assert.Equal(200, CreateSisterSession.SisterTitle(new string('x', 200)).Length);
    }

    [Fact]
    public async Task A_learner_taken_off_a_session_shows_in_the_activity_with_the_admin_who_did_it()
    {
        var session = await app.NewSessionAsync(capacity: 3, start: DateTimeOffset.UtcNow.AddMinutes(8));
        var person = (await app.NewEmployeesAsync(1, "feed"))[0];
        var registered = (await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct)).Value!.Learner;
        Assert.True((await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([registered.Id], LearnerStatus.Cancelled, "double booked"), AppFixture.Admin, Ct)).IsOk);

        var activity = (await app.Get<DashboardBoard>().LoadAsync(new BoardFilter(48), AppFixture.Admin, Ct)).Value!.Activity;
        var latest = activity.First(a => a.SessionId == session.Id);
        Assert.Equal((person.Name, LearnerStatus.Registered, LearnerStatus.Cancelled, $"by {DemoSeeder.AdminEmail} (Admin)"), (latest.LearnerName, latest.From, latest.To, latest.By));
    }
}
