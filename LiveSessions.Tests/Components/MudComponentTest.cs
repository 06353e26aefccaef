using Bunit;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace LiveSessions.Tests.Components;

/// <summary>
/// bUnit with MudBlazor and the app's real handlers: the components read and write the real SQLite database of the
/// shared app, and live changes come from the app's own notifier.
/// </summary>
public abstract class MudComponentTest : BunitContext
{
    protected MudComponentTest(AppFixture app)
    {
        App = app;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();

        // Every handler the card and its dialogs inject, taken from the running app so they share its database and notifier.
        Services.AddSingleton(app.Get<RosterPage>());
        Services.AddSingleton(app.Get<RosterQueries>());
        Services.AddSingleton(app.Get<RosterChangeNotifier>());
        Services.AddSingleton(app.Get<UpdateLearnerStatus>());
        Services.AddSingleton(app.Get<CopyLearners>());
        Services.AddSingleton(app.Get<AddLearners>());
        Services.AddSingleton(app.Get<ImportLearners>());
        Services.AddSingleton(app.Get<ExportLearners>());
        Services.AddSingleton(app.Get<PreparedExports>());
        Services.AddSingleton(app.Get<EmployeeDirectory>());
        Services.AddSingleton(app.Get<SessionQueries>());
        Services.AddSingleton(app.Get<SendEmails>());
        Services.AddSingleton(app.Get<OutboxQueries>());
        Services.AddSingleton(app.Get<Web.Features.Forms.FormQueries>());
        Services.AddSingleton(app.Get<TimeProvider>());
    }

    protected AppFixture App { get; }

    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>The session as the session page loads it, with its seats and counts now.</summary>
    protected async Task<SessionView> ViewAsync(int sessionId)
    {
        var outcome = await App.Get<SessionQueries>().GetAsync(sessionId, AppFixture.Admin, Ct);
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!;
    }

    /// <summary>Each employee registers through the learner's own registration flow.</summary>
    protected async Task RegisterAsync(int sessionId, IEnumerable<string> emails)
    {
        foreach (var email in emails)
        {
            var outcome = await App.Get<RegisterLearner>().HandleAsync(sessionId, AppFixture.LearnerUser(email), Ct);
            Assert.True(outcome.IsOk, outcome.Message);
        }
    }

    /// <summary>
    /// The layout's providers and the Session Learners card of <paramref name="sessionId"/> as the session page shows
    /// it to an admin; returns once the first page of learners is on screen.
    /// </summary>
    protected async Task<IRenderedComponent<IComponent>> RenderCardAsync(int sessionId)
    {
        var session = await ViewAsync(sessionId);
        var cut = RenderCard(session);
        var total = session.Counts.Values.Sum();
        cut.WaitForAssertion(() => Assert.Equal(Math.Min(total, 50), cut.RowNames().Count), MudSteps.Wait);
        return cut;
    }

    /// <summary>The layout's providers and the card of <paramref name="session"/>, as first rendered (its learners still on their way).</summary>
    protected IRenderedComponent<IComponent> RenderCard(SessionView session)
    {
        // The card runs in an interactive circuit: its dialogs start live parts (the email progress) only there. Set here,
        // not in the constructor, because reaching the renderer freezes the services that derived tests still add.
        SetRendererInfo(new RendererInfo("Server", true));
        return Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<LearnersCard>(2);
            builder.AddComponentParameter(3, nameof(LearnersCard.SessionId), session.Id);
            builder.AddComponentParameter(4, nameof(LearnersCard.User), AppFixture.Admin);
            builder.AddComponentParameter(5, nameof(LearnersCard.CourseId), session.CourseId);
            builder.AddComponentParameter(6, nameof(LearnersCard.TimeZone), session.TimeZone);
            builder.AddComponentParameter(7, nameof(LearnersCard.Summary),
                new RosterSummary(session.FillRate, session.SeatsTaken, session.SeatsHeld, session.SeatsFree, session.MaxCapacity, session.Counts));
            builder.CloseComponent();
        });
    }
}
