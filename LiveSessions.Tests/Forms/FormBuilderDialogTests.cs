using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Components;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Forms;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LiveSessions.Tests.Forms;

/// <summary>The admin builds a form from the session page: questions added, validated, saved.</summary>
[Collection(AppCollection.Name)]
public sealed class FormBuilderDialogTests : MudComponentTest
{
    public FormBuilderDialogTests(AppFixture app)
        : base(app)
    {
        Services.AddSingleton(app.Get<FormBuilder>());
    }

    [Fact]
    public async Task An_admin_adds_a_required_choice_question_from_the_session_page_and_saves_it()
    {
        var session = await App.NewSessionAsync(capacity: 5, courseId: await App.NewCourseAsync());
        var cut = RenderButtons(session.Id, session.Title);
        cut.WaitForAssertion(() => Assert.Contains("none", cut.Markup, StringComparison.Ordinal), MudSteps.Wait);

        await cut.ClickAsync("Registration form");
        cut.WaitForElement("[role=dialog]", MudSteps.Wait);
        cut.WaitForAssertion(() => Assert.Contains("No registration form yet.", cut.DialogText(), StringComparison.Ordinal), MudSteps.Wait);
        await cut.ClickAsync("Add a question");
        await cut.ClickAsync("Save");
        cut.WaitForAssertion(() => Assert.Contains("Field 1 needs a label: the question the learner reads.", cut.DialogText(), StringComparison.Ordinal), MudSteps.Wait);

        await cut.TypeAsync("Question", "Diet");
        await cut.PickAsync("Kind", "Single choice");
        cut.WaitForAssertion(() => Assert.NotNull(cut.TextField("Choice 2")), MudSteps.Wait);
        await cut.TypeAsync("Choice 1", "Vegan");
        await cut.TypeAsync("Choice 2", "Vegetarian");
        await cut.ClickAsync("Add choice");
        await cut.TypeAsync("Choice 3", "None");
        await cut.ClickAsync(c => c.Find("[aria-label='Move choice 3 of question 1 up']"));
        await cut.TickAsync("Required");
        await cut.ClickAsync("Save");

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[role=dialog]")), MudSteps.Wait);
        cut.WaitForAssertion(() => Assert.Contains("set for this session", cut.Markup, StringComparison.Ordinal), MudSteps.Wait);
        var saved = (await App.Get<FormBuilder>().GetAsync(FormOwner.Session(session.Id), FormKind.Registration, AppFixture.Admin, Ct)).Value!;
        var field = Assert.Single(saved.Fields);
        Assert.Equal(("f1", FormFieldKind.SingleChoice, "Diet", true), (field.Key, field.Kind, field.Label, field.Required));
        Assert.Equal(["Vegan", "None", "Vegetarian"], field.Choices);
    }

    [Fact]
    public async Task Saving_a_choice_question_with_one_choice_is_refused_in_the_dialog()
    {
        var session = await App.NewSessionAsync(capacity: 5, courseId: await App.NewCourseAsync());
        var cut = RenderButtons(session.Id, session.Title);

        await cut.ClickAsync("Feedback form");
        cut.WaitForElement("[role=dialog]", MudSteps.Wait);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Button("Add a question")), MudSteps.Wait);
        await cut.ClickAsync("Add a question");
        await cut.TypeAsync("Question", "Snacks");
        await cut.PickAsync("Kind", "Multiple choice");
        cut.WaitForAssertion(() => Assert.NotNull(cut.TextField("Choice 1")), MudSteps.Wait);
        await cut.TypeAsync("Choice 1", "Fruit");
        await cut.ClickAsync(c => c.Find("[aria-label='Remove choice 2 of question 1']"));
        await cut.ClickAsync("Save");

        cut.WaitForAssertion(() => Assert.Contains("Field 1: give at least two choices.", cut.DialogText(), StringComparison.Ordinal), MudSteps.Wait);
        Assert.Equal(FormSource.None, (await App.Get<FormQueries>().StateAsync(session.Id, AppFixture.Admin, Ct)).Value!.Feedback);
    }

    private IRenderedComponent<IComponent> RenderButtons(int sessionId, string title) => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<SessionFormButtons>(2);
        builder.AddComponentParameter(3, nameof(SessionFormButtons.SessionId), sessionId);
        builder.AddComponentParameter(4, nameof(SessionFormButtons.SessionTitle), title);
        builder.AddComponentParameter(5, nameof(SessionFormButtons.User), AppFixture.Admin);
        builder.CloseComponent();
    });
}
