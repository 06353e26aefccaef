using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Forms;

namespace LiveSessions.Tests.Forms;

/// <summary>Sending the feedback form records it; the reminder then goes only to Attended/Go Show learners who have not filled it.</summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackReminderTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_feedback_reminder_goes_only_to_attendees_who_were_sent_the_form_and_have_not_filled_it()
    {
        var session = await app.NewSessionWithFormsAsync(registration: false);
        var waiting = await app.LearnerAsync(session.Id, LearnerStatus.Attended, "waiting");
        var notSent = await app.LearnerAsync(session.Id, LearnerStatus.Attended, "notsent");
        var filled = await app.LearnerAsync(session.Id, LearnerStatus.GoShow, "filled");
        var goShow = await app.LearnerAsync(session.Id, LearnerStatus.GoShow, "goshow");
        var registered = await app.LearnerAsync(session.Id, LearnerStatus.Registered, "registered");
        var send = app.Get<SendEmails>();

        var forms = await send.HandleAsync(session.Id, new SendEmailsRequest(EmailType.FeedbackForm, [waiting.LearnerId, filled.LearnerId, goShow.LearnerId, registered.LearnerId]), AppFixture.Admin, cancellationToken: Ct);
        Assert.Equal([waiting.LearnerId, filled.LearnerId, goShow.LearnerId], forms.Value!.Queued);
        Assert.Null((await app.LearnerRowAsync(registered.LearnerId)).FeedbackFormSentAt);
        Assert.NotNull((await app.LearnerRowAsync(goShow.LearnerId)).FeedbackFormSentAt);
        var filledUp = await app.Get<FillForm>().SubmitAsync(session.Id, FormKind.Feedback, FormBuild.GoodAnswers(), AppFixture.LearnerUser(filled.Email), Ct);
        Assert.True(filledUp.IsOk, filledUp.Message);

        var reminder = await send.HandleAsync(session.Id,
            new SendEmailsRequest(EmailType.FeedbackFormReminder, [waiting.LearnerId, notSent.LearnerId, filled.LearnerId, goShow.LearnerId, registered.LearnerId]),
            AppFixture.Admin, cancellationToken: Ct);

        Assert.Equal([waiting.LearnerId, goShow.LearnerId], reminder.Value!.Queued);
        var skipped = reminder.Value.Skipped.ToDictionary(s => s.LearnerId, s => s.Reason);
        Assert.EndsWith("The feedback form has not been sent to this learner yet.", skipped[notSent.LearnerId], StringComparison.Ordinal);
        Assert.EndsWith("This learner has already filled the feedback form.", skipped[filled.LearnerId], StringComparison.Ordinal);
        Assert.EndsWith("The feedback form goes to Attended or Go Show learners only; this learner is Registered.", skipped[registered.LearnerId], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_of_the_feedback_form_does_not_count_as_sent()
    {
        var session = await app.NewSessionWithFormsAsync(registration: false);
        var attended = await app.LearnerAsync(session.Id, LearnerStatus.Attended);

        var preview = await app.Get<SendEmails>().HandleAsync(session.Id, new SendEmailsRequest(EmailType.FeedbackForm, [attended.LearnerId]), AppFixture.Admin, preview: true, Ct);

        Assert.NotNull(preview.Value!.PreviewHtml);
        Assert.Null((await app.LearnerRowAsync(attended.LearnerId)).FeedbackFormSentAt);
    }
}
