using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Components;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Registration;

namespace LiveSessions.Tests.Forms;

/// <summary>Opening a learner on the learners card shows their answers and where their feedback form stands.</summary>
[Collection(AppCollection.Name)]
public sealed class LearnerAnswersTests(AppFixture app) : MudComponentTest(app)
{
    [Fact]
    public async Task The_learners_details_show_the_answers_they_gave_and_their_feedback_form_dates()
    {
        var session = await App.NewSessionWithFormsAsync();
        var person = (await App.NewEmployeesAsync(1, "details"))[0];
        var registered = await App.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), FormBuild.GoodAnswers(), Ct);
        Assert.True(registered.IsOk, registered.Message);
        await App.Get<Web.Features.Attendance.MarkAttendance>().HandleAsync(session.Id, registered.Value!.Learner.Id, true, AppFixture.Admin, Ct);
        await App.SendFormEmailAsync(session.Id, registered.Value.Learner.Id, EmailType.FeedbackForm);

        var cut = await RenderCardAsync(session.Id);
        await cut.ClickAsync(c => c.Find($"a[aria-label='Open {person.Name}']"));

        cut.WaitForAssertion(() => Assert.Contains("Registration form · answered", cut.DialogText(), StringComparison.Ordinal), MudSteps.Wait);
        var table = cut.Find("[aria-label='Answers to the registration form']").TextContent;
        Assert.Contains("Job title", table, StringComparison.Ordinal);
        Assert.Contains("Forklift driver", table, StringComparison.Ordinal);
        Assert.Contains("Laptop; Headset", table, StringComparison.Ordinal);
        Assert.Contains("not filled yet", cut.Find("[data-testid=feedback-state]").TextContent, StringComparison.Ordinal);

        Assert.True((await App.Get<FillForm>().SubmitAsync(session.Id, FormKind.Feedback, FormBuild.GoodAnswers(), AppFixture.LearnerUser(person.Email), Ct)).IsOk);
        var rows = (await App.Get<FormQueries>().ForLearnerAsync(session.Id, registered.Value.Learner.Id, AppFixture.Admin, Ct)).Value!;
        Assert.Equal([FormKind.Registration, FormKind.Feedback], rows.Responses.Select(r => r.Kind).ToList());
        Assert.NotNull(rows.FeedbackFormFilledAt);
    }
}
