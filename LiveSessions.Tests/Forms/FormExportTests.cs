using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using MiniExcelLibs;

namespace LiveSessions.Tests.Forms;

/// <summary>The learners export carries each form's dates and answers, one column per question, as text cells like every cell.</summary>
[Collection(AppCollection.Name)]
public sealed class FormExportTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Answers_are_exported_as_columns_per_question_with_formula_text_kept_as_plain_text()
    {
        var session = await app.NewSessionWithFormsAsync();
        var person = (await app.NewEmployeesAsync(1, "export"))[0];
        var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email),
            FormBuild.GoodAnswers().With("f1", "=HYPERLINK(\"http://evil.example\",\"x\")").With("f2", "-1 for the coffee"), Ct);
        Assert.True(registered.IsOk, registered.Message);
        var attended = await app.LearnerAsync(session.Id, LearnerStatus.Attended, "exportfb");
        await app.SendFormEmailAsync(session.Id, attended.LearnerId, EmailType.FeedbackForm);
        var feedback = await app.Get<FillForm>().SubmitAsync(session.Id, FormKind.Feedback, FormBuild.GoodAnswers().With("f5", "5").With("f4", "Safety shoes"), AppFixture.LearnerUser(attended.Email), Ct);
        Assert.True(feedback.IsOk, feedback.Message);
        var silent = await app.LearnerAsync(session.Id, LearnerStatus.NotInvited, "silent");

        var rows = await ExportAsync(session.Id);

        Assert.Equal(3, rows.Count);
        var headers = rows[0].Keys.ToList();
        Assert.Equal(Api.RosterApiTests.FixedExportColumns, headers.Take(Api.RosterApiTests.FixedExportColumns.Length));
        Assert.Equal(
            ["Registration form filled at (UTC)", "Registration: Job title", "Registration: What do you hope to learn?", "Registration: Diet", "Registration: Equipment",
             "Registration: How useful was it?", "Registration: Would you recommend it?", "Feedback form sent at (UTC)", "Feedback form filled at (UTC)", "Feedback: Job title"],
            headers.SkipWhile(h => h != "Registration form filled at (UTC)").Take(10).ToList());
        var byEmail = rows.ToDictionary(r => (string)r["Email"]!);

        var answered = byEmail[person.Email];
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"x\")", answered["Registration: Job title"]);
        Assert.Equal("-1 for the coffee", answered["Registration: What do you hope to learn?"]);
        Assert.Equal("Laptop; Headset", answered["Registration: Equipment"]);
        Assert.Equal("Yes", answered["Registration: Would you recommend it?"]);
        Assert.False(string.IsNullOrEmpty(answered["Registration form filled at (UTC)"] as string));
        Assert.True(string.IsNullOrEmpty(answered["Feedback: How useful was it?"] as string));

        var gaveFeedback = byEmail[attended.Email];
        Assert.Equal("5", gaveFeedback["Feedback: How useful was it?"]?.ToString());
        Assert.Equal("Safety shoes", gaveFeedback["Feedback: Equipment"]);
        Assert.False(string.IsNullOrEmpty(gaveFeedback["Feedback form sent at (UTC)"] as string));
        Assert.False(string.IsNullOrEmpty(gaveFeedback["Feedback form filled at (UTC)"] as string));

        var nothing = byEmail[silent.Email];
        Assert.All(headers.Where(h => h.StartsWith("Registration", StringComparison.Ordinal) || h.StartsWith("Feedback", StringComparison.Ordinal)),
            h => Assert.True(string.IsNullOrEmpty(nothing[h]?.ToString()), h));
    }

    [Fact]
    public async Task A_session_without_forms_exports_no_form_columns()
    {
        var session = await app.NewSessionAsync(capacity: 5, courseId: await app.NewCourseAsync());
        await app.LearnerAsync(session.Id, LearnerStatus.Registered, "plain");

        var rows = await ExportAsync(session.Id);

        Assert.DoesNotContain(rows[0].Keys, h => h.StartsWith("Registration", StringComparison.Ordinal) || h.StartsWith("Feedback", StringComparison.Ordinal));
    }

    private async Task<List<IDictionary<string, object?>>> ExportAsync(int sessionId)
    {
        var export = await app.Get<ExportLearners>().HandleAsync(sessionId, null, AppFixture.Admin, Ct);
        Assert.True(export.IsOk, export.Message);
        await using var stream = export.Value!.OpenRead();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        copy.Position = 0;
        return MiniExcel.Query(copy, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
    }
}
