using System.Net;
using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Tests.Forms;

/// <summary>The form an email link opens: filled anonymously for the learner it names, used up when the answers are accepted.</summary>
[Collection(AppCollection.Name)]
public sealed partial class FormLinkTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_registration_form_link_opens_the_form_refuses_bad_answers_then_registers_the_learner_once()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        var (learnerId, _) = await app.LearnerAsync(session.Id, LearnerStatus.NotInvited);
        var token = await app.SendFormEmailAsync(session.Id, learnerId, EmailType.RegistrationForm);
        using var client = CookieClient();

        var opened = await client.GetAsync($"/l/{token}", Ct);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal($"/l/{token}/form", opened.Headers.Location?.OriginalString.Replace(app.BaseAddress.ToString().TrimEnd('/'), string.Empty, StringComparison.Ordinal));

        var page = await client.GetStringAsync($"/l/{token}/form", Ct);
        Assert.Contains("Registration form", page, StringComparison.Ordinal);
        Assert.Contains("Would you recommend it?", page, StringComparison.Ordinal);
        Assert.Contains("name=\"answer.f4\" value=\"Safety shoes\"", page, StringComparison.Ordinal);

        var refused = await PostAsync(client, token, page, [("answer.f1", ""), ("answer.f3", "Pizza"), ("answer.f5", "9"), ("answer.f6", "Yes")]);
        Assert.Contains("“Job title” is required.", refused, StringComparison.Ordinal);
        Assert.Contains("“Pizza” is not one of the choices of “Diet”.", refused, StringComparison.Ordinal);
        Assert.Contains("“How useful was it?” must be a whole number from 1 to 5.", refused, StringComparison.Ordinal);
        Assert.Equal(LearnerStatus.NotInvited, (await app.LearnerRowAsync(learnerId)).Status);
        Assert.Null(await app.ResponseAsync(learnerId, FormKind.Registration));

        var accepted = await PostAsync(client, token, refused,
            [("answer.f1", "Driver"), ("answer.f3", "Vegan"), ("answer.f4", "Laptop"), ("answer.f4", "Headset"), ("answer.f5", "5"), ("answer.f6", "No")]);
        Assert.Contains("Thank you: you are registered. See you there!", accepted, StringComparison.Ordinal);
        Assert.Equal(LearnerStatus.Registered, (await app.LearnerRowAsync(learnerId)).Status);
        Assert.Equal(new Dictionary<string, string> { ["f1"] = "Driver", ["f3"] = "Vegan", ["f4"] = "Laptop\nHeadset", ["f5"] = "5", ["f6"] = "No" },
            (await app.ResponseAsync(learnerId, FormKind.Registration))!.Values());

        var again = await client.GetStringAsync($"/l/{token}", Ct);
        Assert.Contains("This link was already used", again, StringComparison.Ordinal);
        var reopened = await client.GetStringAsync($"/l/{token}/form", Ct);
        Assert.Contains("This link cannot be used", reopened, StringComparison.Ordinal);
        Assert.DoesNotContain("answer.f1", reopened, StringComparison.Ordinal);
        var twice = await app.Get<FillForm>().SubmitByLinkAsync(token, FormBuild.GoodAnswers(), Ct);
        Assert.Equal(OutcomeKind.Conflict, twice.Kind);
        Assert.StartsWith("This link was already used.", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feedback_link_records_the_answers_and_the_filled_time_for_the_learner_it_names()
    {
        var session = await app.NewSessionWithFormsAsync(registration: false);
        var (learnerId, email) = await app.LearnerAsync(session.Id, LearnerStatus.Attended);
        var token = await app.SendFormEmailAsync(session.Id, learnerId, EmailType.FeedbackForm);
        Assert.NotNull((await app.LearnerRowAsync(learnerId)).FeedbackFormSentAt);
        var forms = app.Get<FillForm>();

        var view = await forms.ReadByLinkAsync(token, Ct);
        Assert.Equal((FormKind.Feedback, null, 6), (view.Kind, view.Closed, view.Fields.Count));

        var refused = await forms.SubmitByLinkAsync(token, FormBuild.GoodAnswers().With("f5", "0"), Ct);
        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        Assert.Equal("“How useful was it?” must be a whole number from 1 to 5.", refused.Errors!["f5"]);

        var sent = await forms.SubmitByLinkAsync(token, FormBuild.GoodAnswers(), Ct);
        Assert.True(sent.IsOk, sent.Message);
        Assert.Equal("Thank you for your feedback.", sent.Value!.Message);
        var row = await app.LearnerRowAsync(learnerId);
        Assert.NotNull(row.FeedbackFormFilledAt);
        Assert.Equal(LearnerStatus.Attended, row.Status);
        var response = (await app.ResponseAsync(learnerId, FormKind.Feedback))!;
        Assert.Equal((email, "4"), (response.SubmittedBy, response.Values()["f5"]));
        Assert.Equal("This link was already used.", (await forms.ReadByLinkAsync(token, Ct)).Closed?[..27]);
    }

    [Fact]
    public async Task A_tampered_form_link_opens_nothing()
    {
        var session = await app.NewSessionWithFormsAsync(registration: false);
        var (learnerId, _) = await app.LearnerAsync(session.Id, LearnerStatus.GoShow);
        var token = await app.SendFormEmailAsync(session.Id, learnerId, EmailType.FeedbackForm);
        var tampered = token[..^3] + (token[^3] == 'A' ? "B" : "A") + token[^2..];

        var view = await app.Get<FillForm>().ReadByLinkAsync(tampered, Ct);
        var submitted = await app.Get<FillForm>().SubmitByLinkAsync(tampered, FormBuild.GoodAnswers(), Ct);

        Assert.Empty(view.Fields);
        Assert.StartsWith("This link is damaged", view.Closed, StringComparison.Ordinal);
        Assert.Equal(OutcomeKind.Conflict, submitted.Kind);
        Assert.Null((await app.LearnerRowAsync(learnerId)).FeedbackFormFilledAt);
    }

    [Fact]
    public async Task The_registration_form_cannot_be_emailed_to_a_learner_who_already_answered_it()
    {
        var session = await app.NewSessionWithFormsAsync(feedback: false);
        var (learnerId, _) = await app.LearnerAsync(session.Id, LearnerStatus.Registered);
        var token = await app.SendFormEmailAsync(session.Id, learnerId, EmailType.RegistrationForm);
        var saved = await app.Get<FillForm>().SubmitByLinkAsync(token, FormBuild.GoodAnswers(), Ct);
        Assert.Equal("Your answers are saved.", saved.Value!.Message);

        var again = await app.Get<SendEmails>().HandleAsync(session.Id, new SendEmailsRequest(EmailType.RegistrationForm, [learnerId]), AppFixture.Admin, cancellationToken: Ct);

        Assert.Empty(again.Value!.Queued);
        Assert.EndsWith("This learner has already answered the registration form.", Assert.Single(again.Value.Skipped).Reason, StringComparison.Ordinal);
    }

    private HttpClient CookieClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    private static async Task<string> PostAsync(HttpClient client, string token, string page, IEnumerable<(string Name, string Value)> fields)
    {
        var antiforgery = Antiforgery().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(
            new[] { ("__RequestVerificationToken", antiforgery), ("_handler", "form-link") }.Concat(fields)
                .Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));
        var response = await client.PostAsync($"/l/{token}/form", form, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        return WebUtility.HtmlDecode(body);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
