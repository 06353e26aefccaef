using System.Net;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;

namespace LiveSessions.Tests.Api;

/// <summary>GET /api/me/sessions, POST /api/me/registrations and DELETE /api/me/registrations/{sessionId} as learner@demo.local.</summary>
[Collection(AppCollection.Name)]
public sealed class LearnerApiTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registering_to_an_open_session_with_a_free_seat_answers_Registered()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        using var learner = await app.LearnerAsync();

        var registration = await RegisterAsync(learner, session.Id);

        Assert.Equal("Registered", registration.Status);
        Assert.Equal((registration.Id, "Registered", DemoSeeder.LearnerEmail, "Lena Learner"), (registration.Learner.Id, registration.Learner.Status, registration.Learner.Email, registration.Learner.Name));
        Assert.Null(registration.WaitingListPosition);

        using var admin = await app.AdminAsync();
        var view = await admin.SessionAsync(session.Id);
        Assert.Equal((1, 0.2), (view.SeatsTaken, view.FillRate));
        var row = Assert.Single(await admin.LearnersAsync(session.Id));
        Assert.Equal((registration.Id, "Registered"), (row.Id, row.Status));

        var history = await (await admin.GetAsync($"/api/sessions/{session.Id}/learners/{registration.Id}/history", Ct)).OkAsync<List<HistoryDto>>();
        var entry = Assert.Single(history);
        Assert.Equal((null, "Registered", "RegistrationCompleted", DemoSeeder.LearnerEmail), (entry.From, entry.To, entry.Trigger, entry.Actor));
    }

    [Fact]
    public async Task Registering_twice_is_a_409()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        using var learner = await app.LearnerAsync();
        await RegisterAsync(learner, session.Id);

        var problem = await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId = session.Id })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("already registered", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registering_to_a_full_session_with_a_waiting_list_answers_WaitingList_with_the_position()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await app.NewEmployeesAsync(1, "wl");
        using (var admin = await app.AdminAsync())
        {
            await admin.SeatAsync(session.Id, people);
        }

        using var learner = await app.LearnerAsync();
        var registration = await RegisterAsync(learner, session.Id);

        Assert.Equal(("WaitingList", 1), (registration.Status, registration.WaitingListPosition));
        Assert.Contains("waiting list", registration.Message, StringComparison.Ordinal);
        Assert.Equal(1, registration.Learner.WaitingListPosition);
    }

    [Fact]
    public async Task Registering_to_a_session_that_requires_approval_answers_NeedsApproval()
    {
        var session = await app.NewSessionAsync(capacity: 5, approval: true);
        using var learner = await app.LearnerAsync();

        var registration = await RegisterAsync(learner, session.Id);

        Assert.Equal("NeedsApproval", registration.Status);
        using var admin = await app.AdminAsync();
        var view = await admin.SessionAsync(session.Id);
        Assert.Equal((0, 1), (view.SeatsTaken, view.Counts["NeedsApproval"]));
    }

    [Fact]
    public async Task Registering_to_a_calendar_session_answers_Invited_holding_the_seat()
    {
        var session = await app.NewSessionAsync(capacity: 5, calendar: true);
        using var learner = await app.LearnerAsync();

        var registration = await RegisterAsync(learner, session.Id);

        Assert.Equal("Invited", registration.Status);
        Assert.NotNull(registration.SeatOfferExpiresAt);
        Assert.True(registration.SeatOfferExpiresAt > DateTimeOffset.UtcNow);
        using var admin = await app.AdminAsync();
        var view = await admin.SessionAsync(session.Id);
        Assert.Equal((0, 1, 4), (view.SeatsTaken, view.SeatsHeld, view.SeatsFree));
    }

    [Fact]
    public async Task Registering_to_a_full_session_without_a_waiting_list_is_a_409_saying_it_is_full()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: false);
        var people = await app.NewEmployeesAsync(1, "full");
        using var admin = await app.AdminAsync();
        await admin.SeatAsync(session.Id, people);
        using var learner = await app.LearnerAsync();

        var problem = await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId = session.Id })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("session is full", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("no waiting list", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal([people[0].Email], (await admin.LearnersAsync(session.Id)).Select(l => l.Email).ToList());
    }

    [Fact]
    public async Task Registering_to_a_session_that_is_not_open_is_a_409_and_to_an_unknown_one_a_404()
    {
        var draft = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft);
        using var learner = await app.LearnerAsync();

        var closed = await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId = draft.Id })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("not open for registration", closed.Detail(), StringComparison.Ordinal);

        await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId = ApiTestKit.UnknownId })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancelling_frees_the_seat_for_the_head_of_the_waiting_list()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await app.NewEmployeesAsync(2, "cancel");
        using var learner = await app.LearnerAsync();
        var registration = await RegisterAsync(learner, session.Id);
        Assert.Equal("Registered", registration.Status);
        using var admin = await app.AdminAsync();
        var added = (await admin.AddLearnersAsync(session.Id, people.Select(p => p.Email))).Added;
        foreach (var row in added)
        {
            Assert.Equal("WaitingList", (await admin.SetLearnerStatusAsync(session.Id, [row.Id], "WaitingList")).Updated.Single().Status);
        }

        var response = await learner.SendAsync(HttpMethod.Delete, $"/api/me/registrations/{session.Id}");
        var cancelled = await response.OkAsync<CancellationDto>();

        Assert.Equal((registration.Id, "Cancelled", "Cancelled"), (cancelled.Id, cancelled.Status, cancelled.Learner.Status));
        var learners = (await admin.LearnersAsync(session.Id)).ToDictionary(l => l.EmployeeId);
        var head = learners[people[0].Id];
        Assert.Equal("Invited", head.Status);
        Assert.NotNull(head.SeatOfferExpiresAt);
        var next = learners[people[1].Id];
        Assert.Equal(("WaitingList", 1), (next.Status, next.WaitingListPosition));

        var view = await admin.SessionAsync(session.Id);
        Assert.Equal((0, 1, 0), (view.SeatsTaken, view.SeatsHeld, view.SeatsFree));
        var offer = (await (await admin.GetAsync($"/api/sessions/{session.Id}/learners/{head.Id}/history", Ct)).OkAsync<List<HistoryDto>>()).Last();
        Assert.Equal(("WaitingList", "Invited", "SeatOfferedFromWaitingList"), (offer.From, offer.To, offer.Trigger));
    }

    [Fact]
    public async Task Cancelling_a_session_one_is_not_in_is_a_404_and_cancelling_twice_a_409()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        using var learner = await app.LearnerAsync();

        var missing = await learner.SendAsync(HttpMethod.Delete, $"/api/me/registrations/{session.Id}");
        Assert.Contains("registration", (await missing.ProblemAsync(HttpStatusCode.NotFound)).Detail(), StringComparison.OrdinalIgnoreCase);

        await RegisterAsync(learner, session.Id);
        await (await learner.SendAsync(HttpMethod.Delete, $"/api/me/registrations/{session.Id}")).OkAsync<CancellationDto>();
        var twice = await (await learner.SendAsync(HttpMethod.Delete, $"/api/me/registrations/{session.Id}")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Cancelled", twice.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task My_sessions_lists_open_sessions_and_my_own_rows()
    {
        // Starting within the hour so it is among the first open sessions whatever other tests create.
        var open = await app.NewSessionAsync(capacity: 3, start: DateTimeOffset.UtcNow.AddHours(1));
        var waiting = await app.NewSessionAsync(capacity: 1, waitingList: true, start: DateTimeOffset.UtcNow.AddHours(1).AddMinutes(1));
        var draft = await app.NewSessionAsync(capacity: 3, status: SessionStatus.Draft, start: DateTimeOffset.UtcNow.AddMinutes(50));
        var people = await app.NewEmployeesAsync(1, "mine");
        using (var admin = await app.AdminAsync())
        {
            await admin.SeatAsync(waiting.Id, people);
        }

        using var learner = await app.LearnerAsync();
        var before = await (await learner.GetAsync("/api/me/sessions", Ct)).OkAsync<MySessionsDto>();
        var listed = before.Open.Single(s => s.Id == open.Id);
        Assert.Equal((open.Title, 3, true, false), (listed.Title, listed.SeatsFree, listed.EnableWaitingList, listed.RequiresApproval));
        Assert.Equal(0, before.Open.Single(s => s.Id == waiting.Id).SeatsFree);
        Assert.DoesNotContain(draft.Id, before.Open.Select(s => s.Id));
        Assert.DoesNotContain(open.Id, before.Mine.Select(m => m.SessionId));
        Assert.All(before.Open, s => Assert.True(s.Start > DateTimeOffset.UtcNow.AddMinutes(-1), $"{s.Id} has started"));

        var registered = await RegisterAsync(learner, open.Id);
        var waitlisted = await RegisterAsync(learner, waiting.Id);

        var after = await (await learner.GetAsync("/api/me/sessions", Ct)).OkAsync<MySessionsDto>();
        Assert.Equal(2, after.Open.Single(s => s.Id == open.Id).SeatsFree);
        var mine = after.Mine.Where(m => m.SessionId == open.Id || m.SessionId == waiting.Id).OrderBy(m => m.SessionId).ToList();
        Assert.Equal(
            [(open.Id, registered.Id, "Registered", (int?)null), (waiting.Id, waitlisted.Id, "WaitingList", 1)],
            mine.Select(m => (m.SessionId, m.LearnerId, m.Status, m.WaitingListPosition)).ToList());
        Assert.Equal(open.Title, mine[0].Title);
    }

    private static async Task<RegistrationDto> RegisterAsync(HttpClient learner, int sessionId) =>
        await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId })).OkAsync<RegistrationDto>();
}
