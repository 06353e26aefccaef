using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Tests.Registration;

/// <summary>The learner portal's reads: each session once, open sessions searched and paged on the server, and the calendar file.</summary>
[Collection(AppCollection.Name)]
public sealed class PortalQueryTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_session_the_learner_is_in_is_listed_under_theirs_and_not_again_under_open_sessions()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var mine = await app.NewSessionAsync(capacity: 3);
        var other = await app.NewSessionAsync(capacity: 3);
        await RenameAsync(mine.Id, $"Portal {tag} mine");
        await RenameAsync(other.Id, $"Portal {tag} other");
        var learner = AppFixture.LearnerUser((await app.NewEmployeesAsync(1, "portal"))[0].Email);
        Assert.True((await app.Get<RegisterLearner>().HandleAsync(mine.Id, learner, Ct)).IsOk);

        var portal = await app.Get<MySessions>().PortalAsync(learner, tag, 12, Ct);

        var row = Assert.Single(portal.Mine);
        Assert.Equal((mine.Id, LearnerStatus.Registered, true, false), (row.SessionId, row.Status, row.HasCalendar, row.Ended));
        Assert.Equal([other.Id], portal.Open.Sessions.Select(s => s.Id));
        Assert.Equal(1, portal.Open.Total);

        // The API still lists every open session with its seats, the caller's own among them.
        var api = await app.Get<MySessions>().HandleAsync(learner, Ct);
        Assert.Contains(api.Open, s => s.Id == mine.Id);
    }

    [Fact]
    public async Task Open_sessions_are_searched_by_title_course_or_location_whatever_the_case_and_paged_soonest_first()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow.AddDays(40);
        var sessions = new List<SessionView>();
        for (var i = 0; i < 5; i++)
        {
            var session = await app.NewSessionAsync(capacity: 2, start: start.AddHours(5 - i));
            await RenameAsync(session.Id, $"Paging {i}", location: $"Room {tag.ToUpperInvariant()} {i}");
            sessions.Add(session);
        }

        var learner = AppFixture.LearnerUser((await app.NewEmployeesAsync(1, "paging"))[0].Email);
        var query = app.Get<MySessions>();
        var first = await query.OpenAsync(learner, tag, 0, 2, Ct);
        var second = await query.OpenAsync(learner, tag, 2, 2, Ct);
        var last = await query.OpenAsync(learner, tag, 4, 2, Ct);

        Assert.Equal([5, 5, 5], new[] { first.Total, second.Total, last.Total });
        var soonestFirst = sessions.OrderBy(s => s.Start).Select(s => s.Id).ToList();
        Assert.Equal(soonestFirst, first.Sessions.Concat(second.Sessions).Concat(last.Sessions).Select(s => s.Id));
        Assert.Equal(0, (await query.OpenAsync(learner, tag + "-nothing", 0, 12, Ct)).Total);
        Assert.Equal(5, (await query.OpenAsync(learner, $"room {tag}", 0, 12, Ct)).Total);
        Assert.Equal(sessions[3].Id, Assert.Single((await query.OpenAsync(learner, $"{tag.ToUpperInvariant()} 3", 0, 12, Ct)).Sessions).Id);
    }

    [Fact]
    public async Task The_calendar_file_is_the_learners_event_published_with_the_uid_of_their_invitations()
    {
        var session = await app.NewSessionAsync(capacity: 3);
        await RenameAsync(session.Id, "Forklift: refresher / level 2", location: "https://meet.example.com/forklift");
        var person = (await app.NewEmployeesAsync(1, "ics"))[0];
        var learner = AppFixture.LearnerUser(person.Email);
        var registered = (await app.Get<RegisterLearner>().HandleAsync(session.Id, learner, Ct)).Value!.Learner;

        var file = (await app.Get<MyCalendar>().HandleAsync(session.Id, learner, Ct)).Value!;

        Assert.Equal("Forklift refresher level 2.ics", file.FileName);
        Assert.Contains("METHOD:PUBLISH", file.Content, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Forklift: refresher / level 2", file.Content, StringComparison.Ordinal);
        Assert.Contains("LOCATION:https://meet.example.com/forklift", file.Content, StringComparison.Ordinal);
        Assert.Contains($"UID:session-{session.Id}-learner-{registered.Id}@livesessions", file.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("ATTENDEE", file.Content, StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE", file.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task There_is_no_calendar_file_of_a_session_the_learner_is_not_in_or_has_left()
    {
        var session = await app.NewSessionAsync(capacity: 3);
        var people = await app.NewEmployeesAsync(2, "noics");
        var learner = AppFixture.LearnerUser(people[0].Email);
        Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[1].Email), Ct)).IsOk);
        Assert.Equal(OutcomeKind.NotFound, (await app.Get<MyCalendar>().HandleAsync(session.Id, learner, Ct)).Kind);

        Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, learner, Ct)).IsOk);
        Assert.True((await app.Get<MyCalendar>().HandleAsync(session.Id, learner, Ct)).IsOk);
        Assert.True((await app.Get<CancelRegistration>().HandleAsync(session.Id, learner, Ct)).IsOk);
        Assert.Equal(OutcomeKind.NotFound, (await app.Get<MyCalendar>().HandleAsync(session.Id, learner, Ct)).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await app.Get<MyCalendar>().HandleAsync(session.Id, AppFixture.Admin, Ct)).Kind);
    }

    private async Task RenameAsync(int sessionId, string title, string? location = null) =>
        Assert.True((await app.Get<SaveSession>().UpdateAsync(sessionId, new SessionFields { Title = title, Location = location }, AppFixture.Admin, Ct)).IsOk);
}
