using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Attendance;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Tests.Attendance;

/// <summary>What the attendance form lists, who may open it, Go Show candidates, and closing the session.</summary>
[Collection(AppCollection.Name)]
public sealed class AttendanceSheetTests(AppFixture app)
{
    private static readonly CurrentUser Trainer = new(DemoSeeder.TrainerEmail, "Tina Trainer", new HashSet<string> { Roles.Trainer });

    [Fact]
    public async Task The_form_lists_the_learners_expected_in_the_room_and_those_already_marked_by_name()
    {
        var ct = TestContext.Current.CancellationToken;
        var seated = await app.SeatedSessionAsync(3, "sheet", trainers: [DemoSeeder.TrainerEmail], capacity: 5);
        var outsiders = await app.NewEmployeesAsync(3, "outside");
        await app.Get<AddLearners>().HandleAsync(seated.Id, new AddLearnersRequest([outsiders[0].Email]), AppFixture.Admin, ct);
        Assert.True((await app.Get<RegisterLearner>().HandleAsync(seated.Id, AppFixture.LearnerUser(outsiders[1].Email), ct)).IsOk);
        var cancelled = await app.Get<CancelRegistration>().HandleAsync(seated.Id, AppFixture.LearnerUser(outsiders[1].Email), ct);
        Assert.Equal(LearnerStatus.Cancelled, cancelled.Value!.Learner.Status);
        await app.Get<AddGoShow>().HandleAsync(seated.Id, new GoShowRequest(EmployeeId: outsiders[2].Id), Trainer, ct);
        var ids = seated.LearnerIds.Values.ToList();
        await app.Get<SaveTaps>().HandleAsync(seated.Id, [new AttendanceTap("a", ids[0], false, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], Trainer, ct);

        var sheet = (await app.Get<AttendanceQueries>().GetAsync(seated.Id, Trainer, ct)).Value!;

        Assert.Equal(
            seated.People.Select(p => p.Name).Append(outsiders[2].Name).Order(StringComparer.OrdinalIgnoreCase),
            sheet.Learners.Select(l => l.Name));
        Assert.Equal(
            [LearnerStatus.Absent, LearnerStatus.Registered, LearnerStatus.Registered, LearnerStatus.GoShow],
            seated.People.Select(p => p.Name).Append(outsiders[2].Name).Select(name => sheet.Learners.Single(l => l.Name == name).Status));
        Assert.DoesNotContain(sheet.Learners, l => l.Email == outsiders[0].Email || l.Email == outsiders[1].Email);
        Assert.Equal((seated.Session.Title, SessionStatus.Ready, "Tina Trainer", true), (sheet.Session.Title, sheet.Session.Status, sheet.Session.LeadTrainer, sheet.Session.TakesAttendance));
    }

    [Fact]
    public async Task A_trainer_of_another_session_is_told_they_do_not_train_it_and_an_unknown_session_is_not_found()
    {
        var other = await app.NewTrainerAsync("Wanda Other");
        var seated = await app.SeatedSessionAsync(1, "refuse", trainers: [other]);

        var refused = await app.Get<AttendanceQueries>().GetAsync(seated.Id, Trainer, TestContext.Current.CancellationToken);
        var unknown = await app.Get<AttendanceQueries>().GetAsync(int.MaxValue, Trainer, TestContext.Current.CancellationToken);
        var admin = await app.Get<AttendanceQueries>().GetAsync(seated.Id, AppFixture.Admin, TestContext.Current.CancellationToken);

        Assert.Equal((OutcomeKind.Forbidden, "You do not train this session."), (refused.Kind, refused.Message));
        Assert.Equal(OutcomeKind.NotFound, unknown.Kind);
        Assert.True(admin.IsOk);
    }

    [Fact]
    public async Task Go_show_candidates_show_whether_they_are_already_on_the_form()
    {
        var ct = TestContext.Current.CancellationToken;
        var seated = await app.SeatedSessionAsync(1, "cand", trainers: [DemoSeeder.TrainerEmail]);
        var tag = seated.People[0].Name.Split(' ')[^1];
        var invited = (await app.NewEmployeesAsync(1, "cand")).Single();
        await app.Get<AddLearners>().HandleAsync(seated.Id, new AddLearnersRequest([invited.Email]), AppFixture.Admin, ct);

        var found = (await app.Get<AttendanceQueries>().CandidatesAsync(seated.Id, tag, Trainer, ct)).Value!;
        var tooShort = (await app.Get<AttendanceQueries>().CandidatesAsync(seated.Id, "c", Trainer, ct)).Value!;

        var registered = Assert.Single(found);
        Assert.Equal((seated.People[0].Email, LearnerStatus.Registered, true), (registered.Email, registered.Status, registered.OnForm));
        var notInvited = Assert.Single((await app.Get<AttendanceQueries>().CandidatesAsync(seated.Id, invited.Email, Trainer, ct)).Value!);
        Assert.Equal((LearnerStatus.NotInvited, false), (notInvited.Status, notInvited.OnForm));
        Assert.Empty(tooShort);
    }

    [Fact]
    public async Task Completing_the_session_marks_learners_still_unmarked_Absent_when_the_automation_is_on()
    {
        var ct = TestContext.Current.CancellationToken;
        var seated = await app.SeatedSessionAsync(3, "close", trainers: [DemoSeeder.TrainerEmail], automation: new AutomationSettings { MarkAbsentAfterEnd = true });
        var ids = seated.LearnerIds.Values.ToList();
        await app.Get<SaveTaps>().HandleAsync(seated.Id, [new AttendanceTap("c", ids[0], true, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], Trainer, ct);

        var completed = await app.Get<SetSessionStatus>().HandleAsync(seated.Id, SessionStatus.Completed, AppFixture.Admin, ct);

        Assert.True(completed.IsOk, completed.Message);
        Assert.Equal(LearnerStatus.Attended, await app.StatusOfAsync(ids[0]));
        Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(ids[1]));
        Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(ids[2]));

        // Attendance can still be corrected once the session is completed.
        var corrected = await app.Get<SaveTaps>().HandleAsync(seated.Id, [new AttendanceTap("d", ids[1], true, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], Trainer, ct);
        Assert.Equal(TapResult.Saved, corrected.Single().Result);
        Assert.Equal(LearnerStatus.Attended, await app.StatusOfAsync(ids[1]));
    }

    [Fact]
    public async Task Completing_the_session_leaves_unmarked_learners_Registered_when_the_automation_is_off()
    {
        var ct = TestContext.Current.CancellationToken;
        var seated = await app.SeatedSessionAsync(2, "open", trainers: [DemoSeeder.TrainerEmail]);

        var completed = await app.Get<SetSessionStatus>().HandleAsync(seated.Id, SessionStatus.Completed, AppFixture.Admin, ct);

        Assert.True(completed.IsOk, completed.Message);
        foreach (var id in seated.LearnerIds.Values)
        {
            Assert.Equal(LearnerStatus.Registered, await app.StatusOfAsync(id));
        }

        var sheet = (await app.Get<AttendanceQueries>().GetAsync(seated.Id, Trainer, ct)).Value!;
        Assert.Equal((SessionStatus.Completed, true), (sheet.Session.Status, sheet.Session.TakesAttendance));
    }
}
