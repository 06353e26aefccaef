using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Components;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Forms;

/// <summary>The feedback summary of a session: counts, averages, a chart, refreshed as feedback arrives.</summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackSummaryPageTests : MudComponentTest
{
    public FeedbackSummaryPageTests(AppFixture app)
        : base(app)
    {
        AddAuthorization().SetAuthorized(AppFixture.Admin.Email).SetRoles(Web.Features.Shared.Roles.Admin);
        Services.AddScoped<UserAccessor>();
    }

    [Fact]
    public async Task The_summary_shows_counts_and_averages_and_follows_new_feedback()
    {
        var session = await App.NewSessionWithFormsAsync(registration: false);
        var forms = App.Get<FillForm>();
        var learners = new List<string>();
        foreach (var rating in new[] { "5", "4", "2" })
        {
            var (_, email) = await App.LearnerAsync(session.Id, LearnerStatus.Attended, "summary");
            learners.Add(email);
            if (rating != "2")
            {
                Assert.True((await forms.SubmitAsync(session.Id, FormKind.Feedback, FormBuild.GoodAnswers().With("f5", rating), AppFixture.LearnerUser(email), Ct)).IsOk);
            }
        }

        var cut = Render<FeedbackSummaryPage>(p => p.Add(x => x.Id, session.Id));

        cut.WaitForAssertion(() => Assert.StartsWith("2 answers · 3 attended · form sent to 0", cut.Find("[data-testid=feedback-counts]").TextContent.Trim(), StringComparison.Ordinal), MudSteps.Wait);
        Assert.Contains("average 4.5", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Average ratings: How useful was it? 4.5", cut.Find("[data-testid=rating-chart]").GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Equal(6, cut.FindAll("[data-testid=field-summary]").Count);

        Assert.True((await forms.SubmitAsync(session.Id, FormKind.Feedback, FormBuild.GoodAnswers().With("f5", "2"), AppFixture.LearnerUser(learners[2]), Ct)).IsOk);

        cut.WaitForAssertion(() => Assert.StartsWith("3 answers", cut.Find("[data-testid=feedback-counts]").TextContent.Trim(), StringComparison.Ordinal), MudSteps.Wait);
        Assert.Contains("average 3.67", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_without_a_feedback_form_says_so()
    {
        var session = await App.NewSessionAsync(capacity: 5, courseId: await App.NewCourseAsync());

        var cut = Render<FeedbackSummaryPage>(p => p.Add(x => x.Id, session.Id));

        cut.WaitForAssertion(() => Assert.Contains("This session has no feedback form.", cut.Markup, StringComparison.Ordinal), MudSteps.Wait);
    }
}
