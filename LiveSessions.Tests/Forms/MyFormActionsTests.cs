using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Components;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Forms;

/// <summary>The portal's session card offers the forms the learner can fill now, as links to their form pages.</summary>
[Collection(AppCollection.Name)]
public sealed class MyFormActionsTests : MudComponentTest
{
    public MyFormActionsTests(AppFixture app)
        : base(app)
    {
        Services.AddSingleton(app.Get<FillForm>());
    }

    [Fact]
    public async Task A_registered_learner_without_answers_is_offered_the_registration_form_and_an_attendee_the_feedback_form()
    {
        var session = await App.NewSessionWithFormsAsync();
        var (_, registeredEmail) = await App.LearnerAsync(session.Id, LearnerStatus.Registered, "card");
        var (_, attendedEmail) = await App.LearnerAsync(session.Id, LearnerStatus.Attended, "card");

        var registered = Render<MyFormActions>(p => p.Add(x => x.SessionId, session.Id).Add(x => x.User, AppFixture.LearnerUser(registeredEmail)));
        var attended = Render<MyFormActions>(p => p.Add(x => x.SessionId, session.Id).Add(x => x.User, AppFixture.LearnerUser(attendedEmail)));

        registered.WaitForAssertion(() => Assert.Equal($"/me/sessions/{session.Id}/form/registration", registered.Find("a").GetAttribute("href")), MudSteps.Wait);
        Assert.Equal("Answer the registration form", registered.Find("a").TextContent.Trim());
        attended.WaitForAssertion(() => Assert.Equal($"/me/sessions/{session.Id}/form/feedback", attended.Find("a").GetAttribute("href")), MudSteps.Wait);
        Assert.True(await App.Get<FillForm>().HasFormAsync(session.Id, FormKind.Registration, Ct));
    }

    [Fact]
    public async Task A_session_without_forms_offers_nothing()
    {
        var session = await App.NewSessionAsync(capacity: 5, courseId: await App.NewCourseAsync());
        var (_, email) = await App.LearnerAsync(session.Id, LearnerStatus.Attended, "card");

        var cut = Render<MyFormActions>(p => p.Add(x => x.SessionId, session.Id).Add(x => x.User, AppFixture.LearnerUser(email)));

        Assert.Empty(await App.Get<FillForm>().OpenFormsAsync(session.Id, AppFixture.LearnerUser(email), Ct));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("a")), MudSteps.Wait);
        Assert.False(await App.Get<FillForm>().HasFormAsync(session.Id, FormKind.Registration, Ct));
    }
}
