using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;

namespace LiveSessions.Tests.Api;

/// <summary>GET/POST/PATCH /api/sessions, GET /api/sessions/{id} and POST /api/sessions/{id}/status.</summary>
[Collection(AppCollection.Name)]
public sealed partial class SessionsApiTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_a_session_answers_201_with_a_Draft_session_and_its_location()
    {
        var courses = await CoursesAsync();
        var course = courses.Single(c => c.Title == "Security Awareness");
        var start = new DateTimeOffset(2031, 3, 4, 9, 0, 0, TimeSpan.FromHours(1));
        using var admin = await app.AdminAsync();

        var response = await admin.PostJsonAsync("/api/sessions", new
        {
            courseId = course.Id,
            title = "API created session",
            start,
            end = start.AddHours(3),
            timeZone = "Europe/Paris",
            location = "Room 42",
            maxCapacity = 7,
            enableWaitingList = false,
            requiresApproval = true,
            approvalFlow = "HierarchicManager",
            enableCalendar = false,
            trainerEmails = new[] { DemoSeeder.TrainerEmail },
        });
        var created = await response.OkAsync<SessionDto>(HttpStatusCode.Created);

        Assert.Equal($"/api/sessions/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Draft", created.Status);
        Assert.Equal((course.Id, "API created session", "Room 42", 7), (created.CourseId, created.Title, created.Location, created.MaxCapacity));
        Assert.Equal((false, true, "HierarchicManager", false), (created.EnableWaitingList, created.RequiresApproval, created.ApprovalFlow, created.EnableCalendar));
        Assert.Equal(start, created.Start);
        Assert.Equal(start.AddHours(3), created.End);
        Assert.Equal("Europe/Paris", created.TimeZone);
        Assert.Equal(DemoSeeder.TrainerEmail, Assert.Single(created.Trainers).Email);

        var fetched = await admin.SessionAsync(created.Id);
        Assert.Equal(created with { Counts = fetched.Counts, Trainers = fetched.Trainers }, fetched);
    }

    [Fact]
    public async Task Creating_with_only_course_and_start_takes_the_course_defaults()
    {
        var course = (await CoursesAsync()).Single(c => c.Title == "Advanced Spreadsheets");
        var start = DateTimeOffset.UtcNow.AddDays(40);
        using var admin = await app.AdminAsync();

        var created = await (await admin.PostJsonAsync("/api/sessions", new { courseId = course.Id, start })).OkAsync<SessionDto>(HttpStatusCode.Created);

        Assert.Equal("Advanced Spreadsheets", created.Title);
        Assert.Equal(12, created.MaxCapacity);
        Assert.Equal(TimeSpan.FromHours(4), created.End - created.Start);
        Assert.Equal("Draft", created.Status);
    }

    [Fact]
    public async Task A_session_answers_its_seats_fill_rate_and_counts_per_status()
    {
        var session = await app.NewSessionAsync(capacity: 4);
        var people = await app.NewEmployeesAsync(3, "seat");
        using var admin = await app.AdminAsync();
        await admin.SeatAsync(session.Id, people.Take(1));
        await admin.AddLearnersAsync(session.Id, people.Skip(1).Select(p => p.Email));

        var response = await admin.GetAsync($"/api/sessions/{session.Id}", Ct);
        var view = await response.OkAsync<SessionDto>();

        Assert.Equal("Ready", view.Status);
        Assert.Equal(0.25, view.FillRate, 3);
        Assert.Equal((1, 0, 3), (view.SeatsTaken, view.SeatsHeld, view.SeatsFree));
        Assert.Equal(1, view.Counts["Registered"]);
        Assert.Equal(2, view.Counts["NotInvited"]);
        Assert.Equal(0, view.Counts["WaitingList"]);
        Assert.Equal(Enum.GetNames<LearnerStatus>().Order(StringComparer.Ordinal), view.Counts.Keys.Order(StringComparer.Ordinal));

        // Times are ISO 8601 with an offset.
        using var raw = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Matches(IsoWithOffset(), raw.RootElement.GetProperty("start").GetString()!);
        Assert.Matches(IsoWithOffset(), raw.RootElement.GetProperty("end").GetString()!);
    }

    [Fact]
    public async Task Listing_filters_by_status_course_and_time_window()
    {
        var courses = await CoursesAsync();
        var other = courses.First(c => c.Id != courses.Min(x => x.Id));
        var start = new DateTimeOffset(2033, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(0, 500_000));
        var draft = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft, start: start);
        var ready = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Ready, start: start, courseId: other.Id);
        var outside = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft, start: start.AddDays(2));
        using var admin = await app.AdminAsync();
        var window = $"from={Q(start.AddMinutes(-1))}&to={Q(start.AddHours(1))}";

        var inWindow = await ListAsync(admin, window);
        Assert.Contains(draft.Id, inWindow.Select(s => s.Id));
        Assert.Contains(ready.Id, inWindow.Select(s => s.Id));
        Assert.DoesNotContain(outside.Id, inWindow.Select(s => s.Id));
        Assert.All(inWindow, s => Assert.True(s.End >= start.AddMinutes(-1) && s.Start <= start.AddHours(1), $"{s.Id} {s.Start}–{s.End} is outside the window"));

        var drafts = await ListAsync(admin, window + "&status=Draft");
        Assert.Contains(draft.Id, drafts.Select(s => s.Id));
        Assert.DoesNotContain(ready.Id, drafts.Select(s => s.Id));
        Assert.All(drafts, s => Assert.Equal("Draft", s.Status));

        var ofCourse = await ListAsync(admin, $"courseId={other.Id}&{window}");
        Assert.Contains(ready.Id, ofCourse.Select(s => s.Id));
        Assert.DoesNotContain(draft.Id, ofCourse.Select(s => s.Id));
        Assert.All(ofCourse, s => Assert.Equal(other.Id, s.CourseId));

        var summary = inWindow.Single(s => s.Id == ready.Id);
        Assert.Equal((ready.Title, "Ready", 5, 0.0), (summary.Title, summary.Status, summary.MaxCapacity, summary.FillRate));
    }

    [Fact]
    public async Task A_trainer_lists_and_reads_only_the_sessions_they_train()
    {
        var mine = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        var notMine = await app.NewSessionAsync(capacity: 5);
        using var trainer = await app.TrainerAsync();

        var listed = await ListAsync(trainer, string.Empty);
        Assert.Contains(mine.Id, listed.Select(s => s.Id));
        Assert.DoesNotContain(notMine.Id, listed.Select(s => s.Id));

        var view = await trainer.SessionAsync(mine.Id);
        Assert.Equal(mine.Title, view.Title);

        // A session the trainer does not train does not exist for them: 404, like an unknown id.
        var problem = await (await trainer.GetAsync($"/api/sessions/{notMine.Id}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(notMine.Title, problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_session_is_a_404_problem()
    {
        using var admin = await app.AdminAsync();
        var problem = await (await admin.GetAsync($"/api/sessions/{ApiTestKit.UnknownId}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("session", problem.Detail(), StringComparison.OrdinalIgnoreCase);

        await (await admin.PatchJsonAsync($"/api/sessions/{ApiTestKit.UnknownId}", new { title = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync($"/api/sessions/{ApiTestKit.UnknownId}/status", new { status = "Ready" })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Patching_changes_only_the_given_fields()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft);
        using var admin = await app.AdminAsync();

        var patched = await (await admin.PatchJsonAsync($"/api/sessions/{session.Id}", new { title = "Renamed by API", location = "Room 9", maxCapacity = 8 })).OkAsync<SessionDto>();

        Assert.Equal(("Renamed by API", "Room 9", 8), (patched.Title, patched.Location, patched.MaxCapacity));
        Assert.Equal((session.Start, session.End, session.EnableWaitingList), (patched.Start, patched.End, patched.EnableWaitingList));
        var fetched = await admin.SessionAsync(session.Id);
        Assert.Equal(("Renamed by API", "Room 9", 8), (fetched.Title, fetched.Location, fetched.MaxCapacity));
    }

    [Fact]
    public async Task Patching_a_bigger_capacity_offers_the_new_seat_to_the_waiting_list()
    {
        var session = await app.NewSessionAsync(capacity: 1);
        var people = await app.NewEmployeesAsync(2, "grow");
        using var admin = await app.AdminAsync();
        await admin.SeatAsync(session.Id, people.Take(1));
        var waiting = (await admin.AddLearnersAsync(session.Id, people[1].Email)).Added.Single();
        Assert.Equal("WaitingList", (await admin.SetLearnerStatusAsync(session.Id, [waiting.Id], "WaitingList")).Updated.Single().Status);

        var patched = await (await admin.PatchJsonAsync($"/api/sessions/{session.Id}", new { maxCapacity = 2 })).OkAsync<SessionDto>();

        Assert.Equal((1, 1, 0), (patched.SeatsTaken, patched.SeatsHeld, patched.SeatsFree));
        var offered = (await admin.LearnersAsync(session.Id)).Single(l => l.Id == waiting.Id);
        Assert.Equal("Invited", offered.Status);
        Assert.NotNull(offered.SeatOfferExpiresAt);
    }

    [Fact]
    public async Task A_zero_capacity_is_a_400_validation_problem_listing_the_field()
    {
        var courseId = await app.CourseIdAsync();
        var start = DateTimeOffset.UtcNow.AddDays(20);
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PostJsonAsync("/api/sessions", new { courseId, title = "Zero", start, end = start.AddHours(1), timeZone = "UTC", maxCapacity = 0 }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["maxCapacity"], problem.ErrorFields());
        Assert.Contains("capacity", problem.Detail(), StringComparison.OrdinalIgnoreCase);

        var session = await app.NewSessionAsync(capacity: 3, status: SessionStatus.Draft);
        var patchProblem = await (await admin.PatchJsonAsync($"/api/sessions/{session.Id}", new { maxCapacity = 0 })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["maxCapacity"], patchProblem.ErrorFields());
        Assert.Equal(3, (await admin.SessionAsync(session.Id)).MaxCapacity);
    }

    [Fact]
    public async Task An_end_before_the_start_is_a_400_validation_problem_listing_the_field()
    {
        var courseId = await app.CourseIdAsync();
        var start = DateTimeOffset.UtcNow.AddDays(20);
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PostJsonAsync("/api/sessions", new { courseId, title = "Backwards", start, end = start.AddHours(-1), timeZone = "UTC", maxCapacity = 5 }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["end"], problem.ErrorFields());
        Assert.Contains("end must be after the start", problem.Detail(), StringComparison.Ordinal);

        var session = await app.NewSessionAsync(capacity: 3, status: SessionStatus.Draft);
        var patchProblem = await (await admin.PatchJsonAsync($"/api/sessions/{session.Id}", new { end = session.Start.AddMinutes(-30) })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["end"], patchProblem.ErrorFields());
    }

    [Fact]
    public async Task Approval_levels_are_taken_on_create_kept_by_other_patches_and_changed_by_their_own()
    {
        var courseId = await app.CourseIdAsync();
        var start = DateTimeOffset.UtcNow.AddDays(20);
        using var admin = await app.AdminAsync();

        var created = await (await admin.PostJsonAsync("/api/sessions", new { courseId, title = "Three up", start, requiresApproval = true, approvalFlow = "HierarchicManager", approvalLevels = 3 }))
            .OkAsync<SessionDto>(HttpStatusCode.Created);
        Assert.Equal(("HierarchicManager", 3), (created.ApprovalFlow, created.ApprovalLevels));
        Assert.Equal(3, (await admin.SessionAsync(created.Id)).ApprovalLevels);

        var renamed = await (await admin.PatchJsonAsync($"/api/sessions/{created.Id}", new { title = "Still three up" })).OkAsync<SessionDto>();
        Assert.Equal(3, renamed.ApprovalLevels);

        var changed = await (await admin.PatchJsonAsync($"/api/sessions/{created.Id}", new { approvalLevels = 10 })).OkAsync<SessionDto>();
        Assert.Equal(10, changed.ApprovalLevels);
        Assert.Equal(10, (await admin.SessionAsync(created.Id)).ApprovalLevels);

        // Not given: the course's default, the manager's manager.
        var byDefault = await (await admin.PostJsonAsync("/api/sessions", new { courseId, start })).OkAsync<SessionDto>(HttpStatusCode.Created);
        Assert.Equal(2, byDefault.ApprovalLevels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task Approval_levels_outside_1_to_10_are_a_400_validation_problem_listing_the_field(int levels)
    {
        var courseId = await app.CourseIdAsync();
        var start = DateTimeOffset.UtcNow.AddDays(20);
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PostJsonAsync("/api/sessions", new { courseId, title = "Too far", start, approvalFlow = "HierarchicManager", approvalLevels = levels }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["approvalLevels"], problem.ErrorFields());
        Assert.Contains("from 1 to 10", problem.Detail(), StringComparison.Ordinal);

        var session = await app.NewSessionAsync(capacity: 3, status: SessionStatus.Draft, approvalFlow: ApprovalFlow.HierarchicManager, approvalLevels: 4);
        var patchProblem = await (await admin.PatchJsonAsync($"/api/sessions/{session.Id}", new { approvalLevels = levels })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["approvalLevels"], patchProblem.ErrorFields());
        Assert.Equal(4, (await admin.SessionAsync(session.Id)).ApprovalLevels);
    }

    [Fact]
    public async Task Several_invalid_fields_are_all_listed()
    {
        var courseId = await app.CourseIdAsync();
        var start = DateTimeOffset.UtcNow.AddDays(20);
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PostJsonAsync("/api/sessions", new { courseId, title = " ", start, end = start, timeZone = "Mars/Olympus", maxCapacity = -1 }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["end", "maxCapacity", "timeZone", "title"], problem.ErrorFields().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_missing_course_or_an_unknown_trainer_is_a_400_validation_problem()
    {
        var start = DateTimeOffset.UtcNow.AddDays(20);
        using var admin = await app.AdminAsync();

        var noCourse = await (await admin.PostJsonAsync("/api/sessions", new { title = "No course", start, maxCapacity = 5 })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["courseId"], noCourse.ErrorFields());

        var courseId = await app.CourseIdAsync();
        var noTrainer = await (await admin.PostJsonAsync("/api/sessions", new { courseId, start, trainerEmails = new[] { "ghost@nowhere.example" } })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["trainerEmails"], noTrainer.ErrorFields());
        Assert.Contains("ghost@nowhere.example", noTrainer.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_enum_value_is_a_400_problem_naming_the_problem()
    {
        var courseId = await app.CourseIdAsync();
        var session = await app.NewSessionAsync(capacity: 3, status: SessionStatus.Draft);
        using var admin = await app.AdminAsync();

        var status = await (await admin.PostRawJsonAsync($"/api/sessions/{session.Id}/status", """{ "status": "Finished" }""")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("$.status", status.Detail(), StringComparison.Ordinal);

        var flow = await (await admin.PostRawJsonAsync("/api/sessions", $$"""{ "courseId": {{courseId}}, "start": "2031-01-01T09:00:00+00:00", "approvalFlow": "TheBoss" }"""))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("$.approvalFlow", flow.Detail(), StringComparison.Ordinal);

        var query = await (await admin.GetAsync("/api/sessions?status=Finished", Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Finished", query.Detail(), StringComparison.Ordinal);
        Assert.Equal("Draft", (await admin.SessionAsync(session.Id)).Status);
    }

    [Fact]
    public async Task Setting_Ready_invites_every_Not_Invited_learner()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(3, "ready");
        using var admin = await app.AdminAsync();
        var added = await admin.AddLearnersAsync(session.Id, people.Select(p => p.Email));
        Assert.All(added.Added, l => Assert.Equal("NotInvited", l.Status));

        var processing = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/status", new { status = "Processing" })).OkAsync<SessionDto>();
        Assert.Equal("Processing", processing.Status);
        Assert.Equal(3, processing.Counts["NotInvited"]);

        var ready = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/status", new { status = "Ready" })).OkAsync<SessionDto>();

        Assert.Equal("Ready", ready.Status);
        Assert.Equal((0, 3), (ready.Counts["NotInvited"], ready.Counts["Invited"]));
        var learners = await admin.LearnersAsync(session.Id);
        Assert.Equal(people.Select(p => p.Email).Order(StringComparer.Ordinal), learners.Select(l => l.Email).Order(StringComparer.Ordinal));
        Assert.All(learners, l => Assert.Equal("Invited", l.Status));
    }

    [Fact]
    public async Task An_illegal_session_move_is_a_409_problem_and_changes_nothing()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft);
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/status", new { status = "Completed" })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("Draft", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("Completed", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal("Draft", (await admin.SessionAsync(session.Id)).Status);

        var cancelled = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/status", new { status = "Cancelled" })).OkAsync<SessionDto>();
        Assert.Equal("Cancelled", cancelled.Status);
        var again = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/status", new { status = "Ready" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Cancelled", again.Detail(), StringComparison.Ordinal);
        var edit = await (await admin.PatchJsonAsync($"/api/sessions/{session.Id}", new { title = "Too late" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Cancelled", edit.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trainer_cannot_change_a_session_they_train()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft, trainers: [DemoSeeder.TrainerEmail]);
        using var trainer = await app.TrainerAsync();

        await (await trainer.PatchJsonAsync($"/api/sessions/{session.Id}", new { title = "Trainer edit" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/status", new { status = "Ready" })).ProblemAsync(HttpStatusCode.Forbidden);

        var view = await trainer.SessionAsync(session.Id);
        Assert.Equal((session.Title, "Draft"), (view.Title, view.Status));
    }

    private async Task<List<CourseDto>> CoursesAsync()
    {
        using var admin = await app.AdminAsync();
        return await (await admin.GetAsync("/api/courses", Ct)).OkAsync<List<CourseDto>>();
    }

    private static async Task<List<SessionSummaryDto>> ListAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/sessions" + (query.Length > 0 ? "?" + query : string.Empty), Ct)).OkAsync<List<SessionSummaryDto>>();

    private static string Q(DateTimeOffset value) => Uri.EscapeDataString(value.ToString("O", CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex IsoWithOffset();
}
