using System.Net;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;

namespace LiveSessions.Tests.Api;

/// <summary>POST /api/sessions/{id}/attendance and /go-show, by the session's trainers and admins.</summary>
[Collection(AppCollection.Name)]
public sealed class AttendanceApiTests(AppFixture app)
{
    [Fact]
    public async Task The_sessions_trainer_marks_a_registered_learner_attended_then_corrects_to_absent()
    {
        var session = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        var people = await app.NewEmployeesAsync(1, "att");
        LearnerDto learner;
        using (var admin = await app.AdminAsync())
        {
            learner = (await admin.SeatAsync(session.Id, people)).Single();
        }

        using var trainer = await app.TrainerAsync();
        var attended = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/attendance", new { learnerId = learner.Id, attended = true })).OkAsync<LearnerDto>();
        Assert.Equal((learner.Id, "Attended"), (attended.Id, attended.Status));

        // A repeated tap is not an error.
        var again = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/attendance", new { learnerId = learner.Id, attended = true })).OkAsync<LearnerDto>();
        Assert.Equal("Attended", again.Status);

        var absent = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/attendance", new { learnerId = learner.Id, attended = false })).OkAsync<LearnerDto>();
        Assert.Equal("Absent", absent.Status);

        var history = await (await trainer.GetAsync($"/api/sessions/{session.Id}/learners/{learner.Id}/history", TestContext.Current.CancellationToken)).OkAsync<List<HistoryDto>>();
        Assert.Equal(["MarkedAttended", "MarkedAbsent"], history.TakeLast(2).Select(h => h.Trigger).ToList());
        Assert.All(history.TakeLast(2), h => Assert.Equal(DemoSeeder.TrainerEmail, h.Actor));
        Assert.Equal("Absent", (await trainer.LearnersAsync(session.Id)).Single().Status);
    }

    [Fact]
    public async Task An_admin_can_take_attendance_too()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        var people = await app.NewEmployeesAsync(1, "attadm");
        using var admin = await app.AdminAsync();
        var learner = (await admin.SeatAsync(session.Id, people)).Single();

        var marked = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/attendance", new { learnerId = learner.Id, attended = false })).OkAsync<LearnerDto>();

        Assert.Equal("Absent", marked.Status);
    }

    [Fact]
    public async Task Marking_a_learner_who_is_not_registered_is_an_illegal_move_and_a_409()
    {
        var session = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        var people = await app.NewEmployeesAsync(1, "att409");
        LearnerDto learner;
        using (var admin = await app.AdminAsync())
        {
            learner = (await admin.AddLearnersAsync(session.Id, people[0].Email)).Added.Single();
        }

        using var trainer = await app.TrainerAsync();
        var problem = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/attendance", new { learnerId = learner.Id, attended = true })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("Only Registered learners can be marked Attended", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("Not Invited", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal("NotInvited", (await trainer.LearnersAsync(session.Id)).Single().Status);
    }

    [Fact]
    public async Task Attendance_for_an_unknown_learner_or_session_is_a_404()
    {
        var session = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        using var trainer = await app.TrainerAsync();

        var learner = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/attendance", new { learnerId = ApiTestKit.UnknownId, attended = true })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("learner", learner.Detail(), StringComparison.OrdinalIgnoreCase);

        await (await trainer.PostJsonAsync($"/api/sessions/{ApiTestKit.UnknownId}/attendance", new { learnerId = 1, attended = true })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_trainer_who_does_not_train_the_session_gets_403_for_attendance_and_go_show()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        var people = await app.NewEmployeesAsync(1, "att403");
        LearnerDto learner;
        using (var admin = await app.AdminAsync())
        {
            learner = (await admin.SeatAsync(session.Id, people)).Single();
        }

        using var trainer = await app.TrainerAsync();
        var attendance = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/attendance", new { learnerId = learner.Id, attended = true })).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("trainers", attendance.Detail(), StringComparison.Ordinal);
        var goShow = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { email = people[0].Email })).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("trainers", goShow.Detail(), StringComparison.Ordinal);

        using var admin2 = await app.AdminAsync();
        Assert.Equal("Registered", (await admin2.LearnersAsync(session.Id)).Single().Status);
    }

    [Fact]
    public async Task Go_show_by_email_by_employee_id_or_as_a_new_person_seats_them_as_GoShow()
    {
        var session = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        var people = await app.NewEmployeesAsync(2, "gs");
        var newEmail = $"walkin.{Guid.NewGuid():N}@test.example";
        using var trainer = await app.TrainerAsync();

        var byEmail = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { email = people[0].Email.ToUpperInvariant() })).OkAsync<LearnerDto>();
        var byId = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { employeeId = people[1].Id })).OkAsync<LearnerDto>();
        var newcomer = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { email = newEmail, name = "Walk In", department = "Visitors" })).OkAsync<LearnerDto>();

        Assert.Equal(("GoShow", people[0].Id), (byEmail.Status, byEmail.EmployeeId));
        Assert.Equal(("GoShow", people[1].Email), (byId.Status, byId.Email));
        Assert.Equal(("GoShow", newEmail, "Walk In", "Visitors"), (newcomer.Status, newcomer.Email, newcomer.Name, newcomer.Department));

        var view = await trainer.SessionAsync(session.Id);
        Assert.Equal((3, 3), (view.SeatsTaken, view.Counts["GoShow"]));
        Assert.Equal(0.6, view.FillRate, 3);
    }

    [Fact]
    public async Task Go_show_of_a_registered_learner_is_a_409_and_of_an_unknown_email_without_name_is_a_400()
    {
        var session = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        var people = await app.NewEmployeesAsync(1, "gs409");
        using (var admin = await app.AdminAsync())
        {
            await admin.SeatAsync(session.Id, people);
        }

        using var trainer = await app.TrainerAsync();
        var registered = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { email = people[0].Email })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("mark them Attended instead", registered.Detail(), StringComparison.Ordinal);

        var unknown = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { email = $"ghost.{Guid.NewGuid():N}@test.example" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["name"], unknown.ErrorFields());

        var nobody = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email"], nobody.ErrorFields());

        var badId = await (await trainer.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { employeeId = ApiTestKit.UnknownId })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["employeeId"], badId.ErrorFields());
    }

    [Fact]
    public async Task Go_show_on_a_draft_session_is_refused_with_409()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(1, "gsdraft");
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { employeeId = people[0].Id })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("Draft", problem.Detail(), StringComparison.Ordinal);
        Assert.Empty(await admin.LearnersAsync(session.Id));
    }
}
