using System.Net;
using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Tests.Forms;

/// <summary>The signed-in learner fills forms from the portal: /me/sessions/{id}/form/{kind}.</summary>
[Collection(AppCollection.Name)]
public sealed partial class FormPortalTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_learner_signed_in_with_a_cookie_registers_through_the_registration_form_page()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        await SignInAsync(client, DemoSeeder.LearnerEmail);

        var page = await client.GetStringAsync($"/me/sessions/{session.Id}/form/registration", Ct);
        Assert.Contains("For Lena Learner", page, StringComparison.Ordinal);
        Assert.Contains("Job title", page, StringComparison.Ordinal);

        var refused = await PostAsync(client, $"/me/sessions/{session.Id}/form/registration", page, [("answer.f1", "Analyst")]);
        Assert.Contains("“Diet” is required.", refused, StringComparison.Ordinal);
        Assert.Contains("value=\"Analyst\"", refused, StringComparison.Ordinal);

        var sent = await PostAsync(client, $"/me/sessions/{session.Id}/form/registration", refused,
            [("answer.f1", "Analyst"), ("answer.f3", "No preference"), ("answer.f5", "3"), ("answer.f6", "Yes")]);
        Assert.Contains("Thank you: you are registered. See you there!", sent, StringComparison.Ordinal);
        Assert.Contains("Back to my sessions", sent, StringComparison.Ordinal);

        var learnerId = await app.LearnerIdAsync(session.Id, DemoSeeder.LearnerEmail);
        Assert.Equal(LearnerStatus.Registered, (await app.LearnerRowAsync(learnerId)).Status);
        Assert.Equal("Analyst", (await app.ResponseAsync(learnerId, FormKind.Registration))!.Values()["f1"]);

        var closed = WebUtility.HtmlDecode(await client.GetStringAsync($"/me/sessions/{session.Id}/form/registration", Ct));
        Assert.Contains("You have already answered the registration form.", closed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feedback_form_opens_in_the_portal_once_the_learner_attended_and_closes_once_filled()
    {
        var session = await app.NewSessionWithFormsAsync(registration: false);
        var (learnerId, email) = await app.LearnerAsync(session.Id, LearnerStatus.Registered);
        var user = AppFixture.LearnerUser(email);
        var forms = app.Get<FillForm>();

        Assert.Empty(await forms.OpenFormsAsync(session.Id, user, Ct));
        Assert.Equal("The feedback form is for learners who attended; you are Registered.", (await forms.ReadAsync(session.Id, FormKind.Feedback, user, Ct)).Value!.Closed);
        var early = await forms.SubmitAsync(session.Id, FormKind.Feedback, FormBuild.GoodAnswers(), user, Ct);
        Assert.Equal(OutcomeKind.Conflict, early.Kind);

        await app.Get<Web.Features.Attendance.MarkAttendance>().HandleAsync(session.Id, learnerId, true, AppFixture.Admin, Ct);
        Assert.Equal([FormKind.Feedback], await forms.OpenFormsAsync(session.Id, user, Ct));

        var bad = await forms.SubmitAsync(session.Id, FormKind.Feedback, FormBuild.GoodAnswers().With("f4", "Laptop\nJetpack"), user, Ct);
        Assert.Equal("“Jetpack” is not one of the choices of “Equipment”.", bad.Errors!["f4"]);

        var sent = await forms.SubmitAsync(session.Id, FormKind.Feedback, FormBuild.GoodAnswers(), user, Ct);
        Assert.True(sent.IsOk, sent.Message);
        Assert.NotNull((await app.LearnerRowAsync(learnerId)).FeedbackFormFilledAt);
        Assert.Empty(await forms.OpenFormsAsync(session.Id, user, Ct));
        Assert.Equal("You have already sent your feedback. Thank you!", (await forms.ReadAsync(session.Id, FormKind.Feedback, user, Ct)).Value!.Closed);
    }

    [Fact]
    public async Task A_learner_cannot_open_the_form_of_a_session_they_may_not_see()
    {
        var draft = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft, courseId: await app.NewCourseAsync());
        var user = AppFixture.LearnerUser((await app.NewEmployeesAsync(1, "peek"))[0].Email);

        var outcome = await app.Get<FillForm>().ReadAsync(draft.Id, FormKind.Registration, user, Ct);

        Assert.Equal(OutcomeKind.NotFound, outcome.Kind);
    }

    private static async Task SignInAsync(HttpClient client, string email)
    {
        var login = await client.GetStringAsync("/account/login", Ct);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery().Match(login).Groups[1].Value,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = DemoSeeder.Password,
        });
        var response = await client.PostAsync("/account/login", form, Ct);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<string> PostAsync(HttpClient client, string url, string page, IEnumerable<(string Name, string Value)> fields)
    {
        using var form = new FormUrlEncodedContent(
            new[] { ("__RequestVerificationToken", Antiforgery().Match(page).Groups[1].Value), ("_handler", "form-portal") }.Concat(fields)
                .Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));
        var response = await client.PostAsync(url, form, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        return WebUtility.HtmlDecode(body);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
