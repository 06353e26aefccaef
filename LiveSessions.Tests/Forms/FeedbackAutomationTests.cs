using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Automation;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Forms;

/// <summary>After the end: the feedback form goes out by the automation settings, and its reminder only to those who have not filled it.</summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackAutomationTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_session_end_job_sends_the_feedback_form_to_Attended_and_Go_Show_learners_once_and_the_reminder_to_the_same()
    {
        var session = await app.NewSessionWithFormsAsync(registration: false, feedback: true);
        var attended = await app.LearnerAsync(session.Id, LearnerStatus.Attended, "fb-att");
        var goShow = await app.LearnerAsync(session.Id, LearnerStatus.GoShow, "fb-go");
        var absent = await app.LearnerAsync(session.Id, LearnerStatus.Absent, "fb-abs");
        var job = app.Get<SessionEndJob>();
        var endTicks = session.End.UtcTicks;

        Assert.Equal(0, await job.RunAsync(session.Id, endTicks - TimeSpan.TicksPerHour, Ct));
        Assert.Equal(2, await job.RunAsync(session.Id, endTicks, Ct));
        Assert.Equal(0, await job.RunAsync(session.Id, endTicks, Ct));
        Assert.Equal(2, await job.RemindFeedbackAsync(session.Id, endTicks, Ct));

        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var sent = await db.Outbox.Where(o => o.SessionId == session.Id).Select(o => new { o.LearnerId, o.Type }).ToListAsync(Ct);
        Assert.Equal(
            new[] { (attended.LearnerId, EmailType.FeedbackForm), (attended.LearnerId, EmailType.FeedbackFormReminder), (goShow.LearnerId, EmailType.FeedbackForm), (goShow.LearnerId, EmailType.FeedbackFormReminder) },
            sent.Where(s => s.Type is EmailType.FeedbackForm or EmailType.FeedbackFormReminder).Select(s => (s.LearnerId!.Value, s.Type)).Order().ToArray());
        Assert.DoesNotContain(sent, s => s.LearnerId == absent.LearnerId && s.Type == EmailType.FeedbackForm);
    }
}
