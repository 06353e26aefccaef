using LiveSessions.Domain;
using LiveSessions.Tests.Browser;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Forms;

/// <summary>In Chromium: an admin builds a feedback form on the session page; the learner answers it from the emailed link.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_admin_builds_the_feedback_form_and_a_learner_answers_it_from_the_email_link()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 5, courseId: await app.NewCourseAsync());
        var (learnerId, _) = await app.LearnerAsync(session.Id, LearnerStatus.Attended, "browser");

        var admin = await browser.SignInAsync("admin@demo.local");
        await admin.GotoAsync($"/sessions/{session.Id}");
        await BrowserFixture.WaitForInteractiveAsync(admin);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Feedback form" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add a question" }).ClickAsync();
        await dialog.GetByLabel("Question", new() { Exact = true }).FillAsync("How was it?");
        await LearnersCardSteps.PickAsync(admin, dialog, "Kind", "Rating 1–5");
        await dialog.GetByLabel("Required").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(admin.GetByTestId("session-forms")).ToContainTextAsync("set for this session");

        var token = await app.SendFormEmailAsync(session.Id, learnerId, EmailType.FeedbackForm);
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        var learner = await context.NewPageAsync();
        await learner.GotoAsync($"/l/{token}");
        await Expect(learner).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/form$"));
        await Expect(learner.GetByRole(AriaRole.Heading, new() { Name = "Feedback form", Level = 1 })).ToBeVisibleAsync();

        await learner.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Expect(learner.GetByTestId("field-error")).ToHaveTextAsync("“How was it?” is required.");
        await learner.GetByLabel("4", new() { Exact = true }).CheckAsync();
        await learner.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync();
        await Expect(learner.GetByTestId("form-sent")).ToHaveTextAsync("Thank you for your feedback.");

        await admin.GotoAsync($"/sessions/{session.Id}/feedback");
        await Expect(admin.GetByTestId("feedback-counts")).ToContainTextAsync("1 answer · 1 attended · form sent to 1");
        await Expect(admin.GetByTestId("field-summary")).ToContainTextAsync("1 answered · average 4.0");
        await context.CloseAsync();
    }
}
