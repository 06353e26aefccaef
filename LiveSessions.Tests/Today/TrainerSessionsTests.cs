using LiveSessions.Domain;
using LiveSessions.Tests.Attendance;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Attendance;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Features.Today;

namespace LiveSessions.Tests.Today;

/// <summary>The trainer's Today page and the sessions list, by each session's own day.</summary>
[Collection(AppCollection.Name)]
public sealed class TrainerSessionsTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Today_lists_the_trainers_sessions_of_today_and_the_next_days_with_their_counts_and_the_past_behind_its_tab()
    {
        var email = await app.NewTrainerAsync("Tom Today");
        var trainer = new CurrentUser(email, "Tom Today", new HashSet<string> { Roles.Trainer });
        var now = DateTimeOffset.UtcNow;
        var soon = await app.NewSessionAsync(capacity: 2, waitingList: true, trainers: [email], start: now.AddMinutes(30));
        var nextWeek = await app.NewSessionAsync(capacity: 2, trainers: [email], start: now.AddDays(5));
        var later = await app.NewSessionAsync(capacity: 2, trainers: [email], start: now.AddDays(20));
        var lastWeek = await app.NewSessionAsync(capacity: 2, trainers: [email], start: now.AddDays(-6));
        var someoneElses = await app.NewSessionAsync(capacity: 2, start: now.AddMinutes(40));

        // Two registered, one waiting; then one marked Attended and a Go Show.
        var people = await app.NewEmployeesAsync(4, "count");
        foreach (var person in people.Take(3))
        {
            Assert.True((await app.Get<RegisterLearner>().HandleAsync(soon.Id, AppFixture.LearnerUser(person.Email), Ct)).IsOk);
        }

        var rows = (await app.Get<Web.Features.Roster.RosterQueries>().ListAsync(soon.Id, LearnerStatus.Registered, AppFixture.Admin, Ct)).Value!;
        Assert.True((await app.Get<MarkAttendance>().HandleAsync(soon.Id, rows[0].Id, attended: true, trainer, Ct)).IsOk);
        Assert.True((await app.Get<AddGoShow>().HandleAsync(soon.Id, new GoShowRequest(Email: people[3].Email), trainer, Ct)).IsOk);

        var upcoming = await app.Get<TrainerSessions>().ListAsync(trainer, SessionPeriod.Upcoming, Ct);
        Assert.Equal([soon.Id, nextWeek.Id], upcoming.Select(s => s.Id));
        var first = upcoming[0];
        Assert.Equal((1, 1, 2), (first.Registered, first.Waiting, first.Marked));
        Assert.Equal(DateOnly.FromDateTime(SessionTime.ToLocal(soon.Start, soon.TimeZone)), first.Day);
        Assert.True(first.TakesAttendance);

        var past = await app.Get<TrainerSessions>().ListAsync(trainer, SessionPeriod.Past, Ct);
        Assert.Equal([lastWeek.Id], past.Select(s => s.Id));
        Assert.DoesNotContain(later.Id, upcoming.Select(s => s.Id).Concat(past.Select(s => s.Id)));
        Assert.DoesNotContain(someoneElses.Id, upcoming.Select(s => s.Id));
    }

    [Fact]
    public void A_meeting_url_is_a_link_and_a_room_is_not()
    {
        var room = new TrainerSession(1, "t", "c", SessionStatus.Ready, default, default, "UTC", "Room 4.12", default, 0, 0, 0);
        var meeting = room with { Location = "https://meet.example.com/abc-defg" };
        Assert.Null(room.MeetingLink);
        Assert.Equal("https://meet.example.com/abc-defg", meeting.MeetingLink!.AbsoluteUri);
        Assert.Null((room with { Location = "javascript:alert(1)" }).MeetingLink);
    }

    [Fact]
    public async Task The_sessions_list_shows_upcoming_sessions_from_today_earliest_first_and_past_ones_latest_first()
    {
        var now = DateTimeOffset.UtcNow;
        var inTwoDays = await app.NewSessionAsync(capacity: 2, start: now.AddDays(2));
        var tomorrow = await app.NewSessionAsync(capacity: 2, start: now.AddDays(1));
        var weekAgo = await app.NewSessionAsync(capacity: 2, start: now.AddDays(-7));
        var twoDaysAgo = await app.NewSessionAsync(capacity: 2, start: now.AddDays(-2));
        var mine = new[] { inTwoDays.Id, tomorrow.Id, weekAgo.Id, twoDaysAgo.Id };
        var queries = app.Get<SessionQueries>();

        var upcoming = (await queries.ListAsync(new SessionFilter(Period: SessionPeriod.Upcoming), AppFixture.Admin, Ct)).Where(s => mine.Contains(s.Id)).Select(s => s.Id);
        Assert.Equal([tomorrow.Id, inTwoDays.Id], upcoming);
        var past = (await queries.ListAsync(new SessionFilter(Period: SessionPeriod.Past), AppFixture.Admin, Ct)).Where(s => mine.Contains(s.Id)).Select(s => s.Id);
        Assert.Equal([twoDaysAgo.Id, weekAgo.Id], past);
        var all = (await queries.ListAsync(new SessionFilter(), AppFixture.Admin, Ct)).Where(s => mine.Contains(s.Id)).Select(s => s.Id);
        Assert.Equal([weekAgo.Id, twoDaysAgo.Id, tomorrow.Id, inTwoDays.Id], all);
    }

    [Fact]
    public void A_session_of_this_morning_is_still_upcoming_until_midnight_in_its_own_zone()
    {
        // 09:00–11:00 in Tokyo on 3 December; now is 20:00 there (11:00 UTC), the same day.
        var end = new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
        var now = new DateTimeOffset(2026, 12, 3, 11, 0, 0, TimeSpan.Zero);
        Assert.True(SessionQueries.EndsTodayOrLater(end, "Asia/Tokyo", now));

        // At 01:00 on 4 December in Tokyo (16:00 UTC) it is yesterday's.
        Assert.False(SessionQueries.EndsTodayOrLater(end, "Asia/Tokyo", now.AddHours(5)));
    }
}
