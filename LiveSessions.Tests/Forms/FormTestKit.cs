using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Courses;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Forms;

/// <summary>Setup for the forms' integration tests, through the real handlers and database.</summary>
internal static partial class FormTestKit
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A Ready session of a course of its own (course forms reach every session of the course, so a test never puts
    /// one on the shared demo courses) with the forms asked for, each with one field of every kind.
    /// </summary>
    public static async Task<SessionView> NewSessionWithFormsAsync(this AppFixture app, bool registration = true, bool feedback = true, int capacity = 10, bool waitingList = true, int? courseId = null)
    {
        var session = await app.NewSessionAsync(capacity, waitingList: waitingList, courseId: courseId ?? await app.NewCourseAsync());
        foreach (var (kind, wanted) in new[] { (FormKind.Registration, registration), (FormKind.Feedback, feedback) })
        {
            if (wanted)
            {
                var saved = await app.Get<FormBuilder>().SaveAsync(FormOwner.Session(session.Id), kind, FormBuild.EveryKind, 0, AppFixture.Admin, Ct);
                Assert.True(saved.IsOk, saved.Message);
            }
        }

        return session;
    }

    public static async Task<int> NewCourseAsync(this AppFixture app)
    {
        var created = await app.Get<CourseCatalog>().CreateAsync(
            new CourseFields("Forms course " + Guid.NewGuid().ToString("N")[..6], "For the forms tests", SessionType.InClass, TimeSpan.FromHours(2), 10, false, ApprovalFlow.DirectManager, true, false),
            AppFixture.Admin, Ct);
        Assert.True(created.IsOk, created.Message);
        return created.Value!.Id;
    }

    /// <summary>Adds a fresh employee to the session and moves them to <paramref name="status"/> as the admin.</summary>
    public static async Task<(int LearnerId, string Email)> LearnerAsync(this AppFixture app, int sessionId, LearnerStatus status, string prefix = "form")
    {
        var person = (await app.NewEmployeesAsync(1, prefix))[0];
        var added = await app.Get<AddLearners>().HandleAsync(sessionId, new AddLearnersRequest([person.Email]), AppFixture.Admin, Ct);
        var learnerId = Assert.Single(added.Value!.Added).Id;
        if (status != LearnerStatus.NotInvited)
        {
            var moved = await app.Get<UpdateLearnerStatus>().HandleAsync(sessionId, new UpdateLearnerStatusRequest([learnerId], status, "setup", Overbook: true), AppFixture.Admin, Ct);
            Assert.Empty(moved.Value!.Refused);
        }

        return (learnerId, person.Email);
    }

    /// <summary>Sends an email by hand (as the admin) and returns the token of the form link it carries.</summary>
    public static async Task<string> SendFormEmailAsync(this AppFixture app, int sessionId, int learnerId, EmailType type)
    {
        var sent = await app.Get<SendEmails>().HandleAsync(sessionId, new SendEmailsRequest(type, [learnerId]), AppFixture.Admin, cancellationToken: Ct);
        Assert.True(sent.IsOk, sent.Message);
        Assert.Equal([learnerId], sent.Value!.Queued);
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var body = await db.Outbox.Where(o => o.SessionId == sessionId && o.LearnerId == learnerId && o.Type == type)
            .OrderByDescending(o => o.Id).Select(o => o.TextBody).FirstAsync(Ct);
        return LinkToken().Match(body).Groups[1].Value;
    }

    public static async Task<SessionLearner> LearnerRowAsync(this AppFixture app, int learnerId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.AsNoTracking().Include(l => l.Employee).SingleAsync(l => l.Id == learnerId, Ct);
    }

    public static async Task<FormResponse?> ResponseAsync(this AppFixture app, int learnerId, FormKind kind)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.FormResponses.AsNoTracking().Include(r => r.Answers).SingleOrDefaultAsync(r => r.SessionLearnerId == learnerId && r.Kind == kind, Ct);
    }

    public static async Task<int> LearnerIdAsync(this AppFixture app, int sessionId, string email)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.Where(l => l.SessionId == sessionId && l.Employee.Email == email).Select(l => l.Id).SingleAsync(Ct);
    }

    public static Dictionary<string, string> Values(this FormResponse response) =>
        response.Answers.ToDictionary(a => a.FieldKey, a => a.Value);

    [GeneratedRegex(@"/l/([A-Za-z0-9_\-]+)")]
    private static partial Regex LinkToken();
}
