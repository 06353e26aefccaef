using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Attendance;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Attendance;

/// <summary>The signed attendance link: sent to the lead trainer, it opens one session's form and nothing else.</summary>
[Collection(AppCollection.Name)]
public sealed partial class AttendanceLinkTests(AppFixture app)
{
    private static readonly CurrentUser Trainer = new(DemoSeeder.TrainerEmail, "Tina Trainer", new HashSet<string> { Roles.Trainer });

    [Fact]
    public async Task Send_Attendance_Form_queues_an_email_to_the_lead_trainer_whose_link_opens_the_session_as_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var second = await app.NewTrainerAsync("Second Trainer");
        var seated = await app.SeatedSessionAsync(2, "send", trainers: [DemoSeeder.TrainerEmail, second]);

        var sent = await app.Get<SendAttendanceForm>().HandleAsync(seated.Id, AppFixture.Admin, ct);

        Assert.True(sent.IsOk, sent.Message);
        Assert.Equal((DemoSeeder.TrainerEmail, "Tina Trainer"), (sent.Value!.To, sent.Value.Name));
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(ct);
        var email = await db.Outbox.SingleAsync(o => o.Id == sent.Value.OutboxId, ct);
        Assert.Equal((seated.Id, (int?)null, DemoSeeder.TrainerEmail), (email.SessionId, email.LearnerId, email.To));
        Assert.Equal($"Attendance form: {seated.Session.Title}", email.Subject);
        Assert.Contains("Open the attendance form", email.HtmlBody, StringComparison.Ordinal);

        var access = app.Get<AttendanceLinks>().Open(TokenIn(email.TextBody));
        Assert.True(access.IsValid, access.Message);
        Assert.Equal(seated.Id, access.SessionId);
        Assert.Equal(DemoSeeder.TrainerEmail, access.User!.Email);
        Assert.False(access.User.IsAdmin);
        var sheet = await app.Get<AttendanceQueries>().GetAsync(access.SessionId, access.User, ct);
        Assert.True(sheet.IsOk, sheet.Message);
        Assert.Equal(2, sheet.Value!.Learners.Count);
    }

    [Fact]
    public async Task Only_admins_send_the_attendance_form_and_only_to_a_session_with_a_trainer()
    {
        var ct = TestContext.Current.CancellationToken;
        var trained = await app.SeatedSessionAsync(1, "sendtr", trainers: [DemoSeeder.TrainerEmail]);
        var untrained = await app.SeatedSessionAsync(1, "sendno");
        var draft = await app.NewSessionAsync(capacity: 3, status: SessionStatus.Draft, trainers: [DemoSeeder.TrainerEmail]);

        var byTrainer = await app.Get<SendAttendanceForm>().HandleAsync(trained.Id, Trainer, ct);
        var noTrainer = await app.Get<SendAttendanceForm>().HandleAsync(untrained.Id, AppFixture.Admin, ct);
        var notReady = await app.Get<SendAttendanceForm>().HandleAsync(draft.Id, AppFixture.Admin, ct);

        Assert.Equal(OutcomeKind.Forbidden, byTrainer.Kind);
        Assert.Equal((OutcomeKind.Conflict, "This session has no trainer to send the attendance form to: add a trainer first."), (noTrainer.Kind, noTrainer.Message));
        Assert.Equal(OutcomeKind.Conflict, notReady.Kind);
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(ct);
        Assert.False(await db.Outbox.AnyAsync(o => (o.SessionId == trained.Id || o.SessionId == untrained.Id || o.SessionId == draft.Id) && o.Subject.StartsWith("Attendance form"), ct));
    }

    [Fact]
    public async Task A_tampered_token_or_an_email_link_token_opens_nothing()
    {
        var links = app.Get<AttendanceLinks>();
        var seated = await app.SeatedSessionAsync(1, "tamper", trainers: [DemoSeeder.TrainerEmail]);
        var token = links.Create(seated.Id, DemoSeeder.TrainerEmail, DateTimeOffset.UtcNow.AddDays(1));
        var changed = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
        string emailLinkToken;
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            emailLinkToken = app.Get<SignedLinks>().Create(db, seated.Id, seated.LearnerIds.Values.Single(), DemoSeeder.TrainerEmail, DateTimeOffset.UtcNow.AddDays(1), LinkPurpose.ConfirmAttendance)[LinkPurpose.ConfirmAttendance];
        }

        Assert.True(links.Open(token).IsValid);
        foreach (var bad in new[] { changed, token + "x", token[..^4], "not-a-token", string.Empty, emailLinkToken })
        {
            var access = links.Open(bad);
            Assert.Equal((AttendanceLinkCheck.Tampered, null), (access.Check, access.User));
        }

        // Nor is an attendance token an email link.
        await using var check = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(LinkCheck.Tampered, (await app.Get<SignedLinks>().ReadAsync(check, token, TestContext.Current.CancellationToken)).Check);
    }

    [Fact]
    public async Task An_expired_link_is_refused()
    {
        var links = app.Get<AttendanceLinks>();
        var seated = await app.SeatedSessionAsync(1, "expired", trainers: [DemoSeeder.TrainerEmail]);

        var access = links.Open(links.Create(seated.Id, DemoSeeder.TrainerEmail, DateTimeOffset.UtcNow.AddMinutes(-1)));

        Assert.Equal((AttendanceLinkCheck.Expired, null), (access.Check, access.User));
        Assert.Contains("expired", access.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_for_one_session_cannot_read_or_change_another()
    {
        var ct = TestContext.Current.CancellationToken;
        var mine = await app.SeatedSessionAsync(1, "mine", trainers: [DemoSeeder.TrainerEmail]);
        var otherTrainer = await app.NewTrainerAsync("Ursula Other");
        var other = await app.SeatedSessionAsync(1, "theirs", trainers: [otherTrainer]);
        var otherLearner = other.LearnerIds.Values.Single();
        var access = app.Get<AttendanceLinks>().Open(app.Get<AttendanceLinks>().Create(mine.Id, DemoSeeder.TrainerEmail, DateTimeOffset.UtcNow.AddDays(1)));

        // The form of the link's session only knows its own learners...
        var tapped = await app.Get<SaveTaps>().HandleAsync(access.SessionId, [new AttendanceTap("t1", otherLearner, true, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], access.User!, ct);
        // ...and the trainer the link names does not train the other session.
        var sheet = await app.Get<AttendanceQueries>().GetAsync(other.Id, access.User!, ct);
        var direct = await app.Get<SaveTaps>().HandleAsync(other.Id, [new AttendanceTap("t2", otherLearner, true, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], access.User!, ct);

        Assert.Equal(mine.Id, access.SessionId);
        Assert.Equal((TapResult.Refused, "The learner was not found."), (tapped.Single().Result, tapped.Single().Message));
        Assert.Equal((OutcomeKind.Forbidden, "You do not train this session."), (sheet.Kind, sheet.Message));
        Assert.Equal(TapResult.Refused, direct.Single().Result);
        Assert.Equal(LearnerStatus.Registered, await app.StatusOfAsync(otherLearner));
        Assert.Equal(0, await app.MarkHistoryCountAsync(otherLearner));
    }

    [Fact]
    public async Task A_link_stops_working_when_its_trainer_no_longer_trains_the_session()
    {
        var ct = TestContext.Current.CancellationToken;
        var replacement = await app.NewTrainerAsync("Victor Replacement");
        var seated = await app.SeatedSessionAsync(1, "moved", trainers: [DemoSeeder.TrainerEmail]);
        var access = app.Get<AttendanceLinks>().Open(app.Get<AttendanceLinks>().Create(seated.Id, DemoSeeder.TrainerEmail, DateTimeOffset.UtcNow.AddDays(1)));
        var updated = await app.Get<SaveSession>().UpdateAsync(seated.Id, new SessionFields { TrainerEmails = [replacement] }, AppFixture.Admin, ct);
        Assert.True(updated.IsOk, updated.Message);

        var sheet = await app.Get<AttendanceQueries>().GetAsync(access.SessionId, access.User!, ct);
        var tapped = await app.Get<SaveTaps>().HandleAsync(access.SessionId, [new AttendanceTap("t", seated.LearnerIds.Values.Single(), true, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())], access.User!, ct);

        Assert.Equal(OutcomeKind.Forbidden, sheet.Kind);
        Assert.Equal(TapResult.Refused, tapped.Single().Result);
        Assert.Equal(LearnerStatus.Registered, await app.StatusOfAsync(seated.LearnerIds.Values.Single()));
    }

    private static string TokenIn(string text)
    {
        var match = LinkInText().Match(text);
        Assert.True(match.Success, $"No attendance link in: {text}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"/attendance/([A-Za-z0-9_\-]+)")]
    private static partial Regex LinkInText();
}
