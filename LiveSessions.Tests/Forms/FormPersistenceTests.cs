using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Forms;

/// <summary>Forms and answers on the real SQLite file: what the builder saves and the learners answer reads back.</summary>
[Collection(AppCollection.Name)]
public sealed class FormPersistenceTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_form_saved_by_the_builder_reads_back_with_its_fields_choices_and_order()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);

        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var form = await db.Forms.AsNoTracking().Include(f => f.Fields).SingleAsync(f => f.SessionId == session.Id, Ct);

        Assert.Equal(FormKind.Registration, form.Kind);
        Assert.Equal(FormBuild.EveryKind.Select(f => (f.Kind, f.Label, f.Required)).ToList(), form.Fields.Select(f => (f.Kind, f.Label, f.Required)).ToList());
        Assert.Equal(["f1", "f2", "f3", "f4", "f5", "f6"], form.Fields.Select(f => f.Key).ToList());
        Assert.Equal(["Laptop", "Headset", "Safety shoes"], form.Fields.Single(f => f.Key == "f4").Choices);
    }

    [Fact]
    public async Task The_builder_reorders_and_removes_fields_keeping_keys_and_refuses_a_save_over_a_newer_version()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        var builder = app.Get<FormBuilder>();
        var opened = (await builder.GetAsync(FormOwner.Session(session.Id), FormKind.Registration, AppFixture.Admin, Ct)).Value!;
        Assert.Equal(FormSource.Own, opened.Source);

        var reordered = new[] { opened.Fields[5], opened.Fields[0], opened.Fields[2] };
        var saved = await builder.SaveAsync(FormOwner.Session(session.Id), FormKind.Registration, reordered, opened.Version, AppFixture.Admin, Ct);
        Assert.True(saved.IsOk, saved.Message);
        Assert.Equal(["f6", "f1", "f3"], saved.Value!.Fields.Select(f => f.Key).ToList());

        var stale = await builder.SaveAsync(FormOwner.Session(session.Id), FormKind.Registration, opened.Fields, opened.Version, AppFixture.Admin, Ct);
        Assert.Equal(OutcomeKind.Conflict, stale.Kind);
        Assert.StartsWith("Someone else changed this form meanwhile", stale.Message, StringComparison.Ordinal);

        var invalid = await builder.SaveAsync(FormOwner.Session(session.Id), FormKind.Registration, [new FormFieldSpec(null, FormFieldKind.SingleChoice, "Room", true, ["A"])], saved.Value.Version, AppFixture.Admin, Ct);
        Assert.Equal(OutcomeKind.Invalid, invalid.Kind);
        Assert.Equal("Field 1: give at least two choices.", invalid.Errors!["fields[0].choices"]);
    }

    [Fact]
    public async Task Only_admins_build_forms()
    {
        var session = await app.NewSessionAsync(capacity: 5, courseId: await app.NewCourseAsync());
        var trainer = new CurrentUser("trainer@demo.local", "trainer", new HashSet<string> { Roles.Trainer });

        var refused = await app.Get<FormBuilder>().SaveAsync(FormOwner.Session(session.Id), FormKind.Feedback, FormBuild.EveryKind, 0, trainer, Ct);

        Assert.Equal(OutcomeKind.Forbidden, refused.Kind);
    }

    [Fact]
    public async Task A_session_without_its_own_form_uses_its_courses_until_it_gets_its_own_copy()
    {
        var courseId = await app.NewCourseAsync();
        var builder = app.Get<FormBuilder>();
        Assert.True((await builder.SaveAsync(FormOwner.Course(courseId), FormKind.Feedback, FormBuild.EveryKind, 0, AppFixture.Admin, Ct)).IsOk);
        var session = await app.NewSessionAsync(capacity: 5, courseId: courseId);

        var state = (await app.Get<FormQueries>().StateAsync(session.Id, AppFixture.Admin, Ct)).Value!;
        Assert.Equal((FormSource.None, FormSource.Course), (state.Registration, state.Feedback));
        var inherited = (await builder.GetAsync(FormOwner.Session(session.Id), FormKind.Feedback, AppFixture.Admin, Ct)).Value!;
        Assert.Equal(FormSource.Course, inherited.Source);
        Assert.All(inherited.Fields, f => Assert.Null(f.Key));

        var copy = await builder.SaveAsync(FormOwner.Session(session.Id), FormKind.Feedback, inherited.Fields.Take(2).ToList(), inherited.Version, AppFixture.Admin, Ct);
        Assert.Equal(FormSource.Own, copy.Value!.Source);
        Assert.Equal(2, copy.Value.Fields.Count);
        Assert.Equal(6, (await builder.GetAsync(FormOwner.Course(courseId), FormKind.Feedback, AppFixture.Admin, Ct)).Value!.Fields.Count);

        var removed = await builder.RemoveAsync(FormOwner.Session(session.Id), FormKind.Feedback, AppFixture.Admin, Ct);
        Assert.Equal(FormSource.Course, removed.Value!.Source);
    }

    [Fact]
    public async Task Registering_with_answers_stores_them_with_the_learner_and_shows_them_on_the_row()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        var person = (await app.NewEmployeesAsync(1, "answers"))[0];

        var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), FormBuild.GoodAnswers(), Ct);

        Assert.True(registered.IsOk, registered.Message);
        Assert.Equal(LearnerStatus.Registered, registered.Value!.Learner.Status);
        var learnerId = registered.Value.Learner.Id;
        var response = (await app.ResponseAsync(learnerId, FormKind.Registration))!;
        Assert.Equal(new Dictionary<string, string>
        {
            ["f1"] = "Forklift driver",
            ["f2"] = "Loading safely",
            ["f3"] = "Vegan",
            ["f4"] = "Laptop\nHeadset",
            ["f5"] = "4",
            ["f6"] = "Yes",
        }, response.Values());
        Assert.Equal(person.Email, response.SubmittedBy);
        Assert.NotNull((await app.LearnerRowAsync(learnerId)).RegistrationFormFilledAt);

        var row = (await app.Get<FormQueries>().ForLearnerAsync(session.Id, learnerId, AppFixture.Admin, Ct)).Value!;
        var shown = Assert.Single(row.Responses);
        Assert.Equal(FormKind.Registration, shown.Kind);
        Assert.Contains(new AnswerLine("Equipment", "Laptop; Headset"), shown.Answers);
    }

    [Fact]
    public async Task Registering_without_answers_when_the_form_has_required_fields_is_refused_and_changes_nothing()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        var person = (await app.NewEmployeesAsync(1, "noanswers"))[0];

        var refused = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct);

        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        Assert.StartsWith("Fill the registration form to register: “Job title” is required.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["f1", "f3", "f5", "f6"], refused.Errors!.Keys.Order(StringComparer.Ordinal).ToList());
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.False(await db.Learners.AnyAsync(l => l.SessionId == session.Id, Ct));
    }

    [Fact]
    public async Task Registering_again_after_cancelling_replaces_the_answers()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        var user = AppFixture.LearnerUser((await app.NewEmployeesAsync(1, "again"))[0].Email);
        var first = await app.Get<RegisterLearner>().HandleAsync(session.Id, user, FormBuild.GoodAnswers(), Ct);
        Assert.True((await app.Get<CancelRegistration>().HandleAsync(session.Id, user, Ct)).IsOk);

        var second = await app.Get<RegisterLearner>().HandleAsync(session.Id, user, FormBuild.GoodAnswers().With("f1", "Warehouse lead").With("f2", null), Ct);

        Assert.True(second.IsOk, second.Message);
        var response = (await app.ResponseAsync(first.Value!.Learner.Id, FormKind.Registration))!;
        Assert.Equal("Warehouse lead", response.Values()["f1"]);
        Assert.DoesNotContain("f2", response.Values().Keys);
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(1, await db.FormResponses.CountAsync(r => r.SessionLearnerId == first.Value.Learner.Id, Ct));
    }

    [Fact]
    public async Task A_form_learners_have_answered_cannot_be_removed()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        var person = (await app.NewEmployeesAsync(1, "keep"))[0];
        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), FormBuild.GoodAnswers(), Ct);

        var refused = await app.Get<FormBuilder>().RemoveAsync(FormOwner.Session(session.Id), FormKind.Registration, AppFixture.Admin, Ct);

        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Equal("1 learner has answered this form, so it stays; change its fields instead.", refused.Message);
    }
}
