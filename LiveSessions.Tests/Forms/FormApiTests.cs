using System.Net;
using System.Text.Json;
using LiveSessions.Domain;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;

namespace LiveSessions.Tests.Forms;

/// <summary>POST /api/me/registrations with the registration form's answers, and GET /api/me/sessions/{id}/forms/{kind}.</summary>
[Collection(AppCollection.Name)]
public sealed class FormApiTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_form_lists_its_fields_with_the_keys_answers_use()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        using var learner = await app.LearnerAsync();

        var form = await (await learner.GetAsync($"/api/me/sessions/{session.Id}/forms/registration", Ct)).OkAsync<JsonElement>();

        var fields = form.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["f1", "f2", "f3", "f4", "f5", "f6"], fields.Select(f => f.GetProperty("key").GetString()).ToList());
        Assert.Equal(["ShortText", "LongText", "SingleChoice", "MultipleChoice", "Rating", "YesNo"], fields.Select(f => f.GetProperty("kind").GetString()).ToList());
        Assert.Equal(["Vegetarian", "Vegan", "No preference"], fields[2].GetProperty("choices").EnumerateArray().Select(c => c.GetString()).ToList());
        Assert.Equal(JsonValueKind.Null, form.GetProperty("closed").ValueKind);

        var unknown = await (await learner.GetAsync($"/api/me/sessions/{session.Id}/forms/survey", Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["kind"], unknown.ErrorFields());
    }

    [Fact]
    public async Task Bad_answers_are_a_400_with_an_error_per_field_and_register_nobody()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        using var learner = await app.LearnerAsync();

        var problem = await (await learner.PostJsonAsync("/api/me/registrations", new
        {
            sessionId = session.Id,
            answers = new Dictionary<string, string> { ["f1"] = "", ["f3"] = "Pizza", ["f4"] = "Laptop\nJetpack", ["f5"] = "6", ["f6"] = "maybe", ["f9"] = "?" },
        })).ProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal(["f1", "f3", "f4", "f5", "f6", "f9"], problem.ErrorFields().Order(StringComparer.Ordinal).ToList());
        Assert.Equal("“Job title” is required.", errors.GetProperty("f1")[0].GetString());
        Assert.Equal("“Pizza” is not one of the choices of “Diet”.", errors.GetProperty("f3")[0].GetString());
        Assert.Equal("“Jetpack” is not one of the choices of “Equipment”.", errors.GetProperty("f4")[0].GetString());
        Assert.Equal("“How useful was it?” must be a whole number from 1 to 5.", errors.GetProperty("f5")[0].GetString());
        Assert.Equal("“Would you recommend it?” must be Yes or No.", errors.GetProperty("f6")[0].GetString());
        Assert.Equal("This form has no field “f9”.", errors.GetProperty("f9")[0].GetString());

        using var admin = await app.AdminAsync();
        Assert.Empty(await admin.LearnersAsync(session.Id));
    }

    [Fact]
    public async Task Good_answers_register_the_learner_and_are_stored()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        using var learner = await app.LearnerAsync();

        var registration = await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId = session.Id, answers = FormBuild.GoodAnswers() })).OkAsync<RegistrationDto>();

        Assert.Equal("Registered", registration.Status);
        var response = (await app.ResponseAsync(registration.Id, FormKind.Registration))!;
        Assert.Equal(("Vegan", "Laptop\nHeadset", DemoSeeder.LearnerEmail), (response.Values()["f3"], response.Values()["f4"], response.SubmittedBy));
    }

    [Fact]
    public async Task Registering_without_answers_to_a_session_with_a_form_is_a_400_naming_the_required_fields()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        using var learner = await app.LearnerAsync();

        var problem = await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId = session.Id })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.StartsWith("Fill the registration form to register", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(["f1", "f3", "f5", "f6"], problem.ErrorFields().Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Answers_to_a_session_without_a_registration_form_are_refused()
    {
        var session = await app.NewSessionAsync(capacity: 5, courseId: await app.NewCourseAsync());
        using var learner = await app.LearnerAsync();

        var problem = await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId = session.Id, answers = new Dictionary<string, string> { ["f1"] = "x" } }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["answers"], problem.ErrorFields());
        var empty = await (await learner.PostJsonAsync("/api/me/registrations", new { sessionId = session.Id, answers = new Dictionary<string, string>() })).OkAsync<RegistrationDto>();
        Assert.Equal("Registered", empty.Status);
    }
}
