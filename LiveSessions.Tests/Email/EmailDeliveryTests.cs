using System.Net;
using System.Text.RegularExpressions;
using Ical.Net;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace LiveSessions.Tests.Email;

[Collection(EmailCollection.Name)]
public sealed partial class EmailDeliveryTests(EmailFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Setting_a_session_Ready_sends_each_Not_Invited_learner_a_calendar_invitation_through_SMTP()
    {
        var (session, people) = await DraftWithLearnersAsync(2, calendar: true);
        await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct);

        foreach (var person in people)
        {
            var message = Assert.Single(await app.WaitForAsync(To(person.Email, "Invitation"), 1));
            Assert.Equal($"Invitation: {session.Title}", message.Subject);
            Assert.Equal("training@acme.example", message.From.Mailboxes.Single().Address);
            Assert.Contains("Hello " + person.Name, message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Accept", message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("http://links.test/l/", message.TextBody, StringComparison.Ordinal);

            var calendar = Calendar.Load(Ics(message))!;
            Assert.Equal("REQUEST", calendar.Method);
            var invitation = Assert.Single(calendar.Events);
            // Each learner's event has its own random UID, the one kept on the learner.
            var learnerUid = await CalendarUidAsync(session.Id, person.Email);
            Assert.Equal(learnerUid, invitation.Uid);
            Assert.Matches("^[0-9a-f]{32}@livesessions$", invitation.Uid);
            Assert.Equal(0, invitation.Sequence);
            Assert.Equal(session.Title, invitation.Summary);
            Assert.Equal("Europe/Paris", invitation.DtStart!.TzId);
        }
    }

    [Fact]
    public async Task Changing_the_session_times_sends_a_calendar_update_with_a_higher_sequence_and_cancelling_sends_CANCEL()
    {
        var (session, people) = await DraftWithLearnersAsync(1, calendar: true);
        await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct);
        await app.WaitForAsync(To(people[0].Email, "Invitation"), 1);

        var moved = await app.Get<SaveSession>().UpdateAsync(session.Id, new SessionFields { Start = session.Start.AddHours(1), End = session.End.AddHours(1) }, AppFixture.Admin, Ct);
        Assert.True(moved.IsOk, moved.Message);
        var update = Assert.Single(await app.WaitForAsync(To(people[0].Email, "CalendarUpdate"), 1));
        var updated = Calendar.Load(Ics(update))!;
        Assert.Equal("REQUEST", updated.Method);
        Assert.Equal(1, updated.Events.Single().Sequence);

        await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Cancelled, AppFixture.Admin, Ct);
        var cancel = Assert.Single(await app.WaitForAsync(To(people[0].Email, "CancellationConfirmation"), 1));
        var cancelled = Calendar.Load(Ics(cancel))!;
        Assert.Equal("CANCEL", cancelled.Method);
        Assert.Equal(update.Subject!.Replace("Updated: ", string.Empty, StringComparison.Ordinal), cancelled.Events.Single().Summary);
        Assert.Equal(2, cancelled.Events.Single().Sequence);
    }

    [Fact]
    public async Task Moving_learners_to_Invited_by_hand_sends_their_invitation_unless_the_admin_says_not_to()
    {
        var (session, people) = await DraftWithLearnersAsync(2, calendar: true);
        var moved = await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Processing, AppFixture.Admin, Ct);
        Assert.True(moved.IsOk, moved.Message);
        var first = await LearnerIdAsync(session.Id, people[0].Email);
        var second = await LearnerIdAsync(session.Id, people[1].Email);

        var quiet = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([second], LearnerStatus.Invited, SendInvitation: false), AppFixture.Admin, Ct);
        Assert.True(quiet.IsOk && quiet.Value!.Updated.Count == 1, quiet.Message);
        var invited = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([first], LearnerStatus.Invited), AppFixture.Admin, Ct);
        Assert.True(invited.IsOk && invited.Value!.Updated.Count == 1, invited.Message);

        // The invitation the first one gets carries the links to answer it; the second, moved quietly and first, gets none.
        var message = Assert.Single(await app.WaitForAsync(To(people[0].Email, "Invitation"), 1));
        Assert.Equal(2, LinkPattern().Matches(message.TextBody!).Count);
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.False(await db.Outbox.AnyAsync(o => o.LearnerId == second, Ct));
    }

    [Fact]
    public async Task Learners_copied_into_a_Ready_calendar_session_are_invited_there_and_get_the_invitation()
    {
        var (source, people) = await DraftWithLearnersAsync(2, calendar: false);
        var target = await app.NewSessionAsync(capacity: 10, calendar: true);
        var ids = new List<int> { await LearnerIdAsync(source.Id, people[0].Email), await LearnerIdAsync(source.Id, people[1].Email) };

        var copied = await app.Get<CopyLearners>().HandleAsync(source.Id, new CopyLearnersRequest(ids, target.Id, LearnerStatus.NotInvited), AppFixture.Admin, Ct);

        Assert.True(copied.IsOk, copied.Message);
        Assert.All(copied.Value!.Copied, l => Assert.Equal(LearnerStatus.Invited, l.Status));
        foreach (var person in people)
        {
            var invitation = Assert.Single(await app.WaitForAsync(To(person.Email, "Invitation"), 1));
            Assert.Equal(2, LinkPattern().Matches(invitation.TextBody!).Count);
        }
    }

    [Fact]
    public async Task An_invitation_cancelled_at_once_reaches_the_learner_first_and_its_CANCEL_carries_a_higher_SEQUENCE()
    {
        var (session, people) = await DraftWithLearnersAsync(1, calendar: true);

        // The order the SMTP server takes them in (its list of received messages is not kept in order).
        var arrivals = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var bothArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Record(object? sender, netDumbster.smtp.MessageReceivedArgs e)
        {
            var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(e.Message.Data)));
            if (message.To.Mailboxes.Any(t => t.Address == people[0].Email) && message.BodyParts.OfType<TextPart>().Any(p => p.ContentType.MimeType == "text/calendar"))
            {
                arrivals.Enqueue(Ics(message));
                if (arrivals.Count == 2)
                {
                    bothArrived.TrySetResult();
                }
            }
        }

        app.Smtp.MessageReceived += Record;
        try
        {
            await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct);
            var learnerId = await LearnerIdAsync(session.Id, people[0].Email);

            // Cancelled in the same breath as invited: both calendar messages are queued together.
            var cancelled = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([learnerId], LearnerStatus.Cancelled), AppFixture.Admin, Ct);
            Assert.True(cancelled.IsOk, cancelled.Message);
            await bothArrived.Task.WaitAsync(Patience.Ceiling, Ct);
        }
        finally
        {
            app.Smtp.MessageReceived -= Record;
        }

        var calendars = arrivals.Select(ics => Calendar.Load(ics)!).ToList();
        Assert.Equal(["REQUEST", "CANCEL"], calendars.Select(c => c.Method));
        Assert.True(calendars[1].Events.Single().Sequence > calendars[0].Events.Single().Sequence,
            $"CANCEL SEQUENCE {calendars[1].Events.Single().Sequence} after REQUEST {calendars[0].Events.Single().Sequence}");
    }

    [Fact]
    public async Task Following_the_Accept_link_registers_the_learner_exactly_once_and_a_reused_or_tampered_link_changes_nothing()
    {
        var (session, people) = await DraftWithLearnersAsync(1, calendar: true);
        await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct);
        var invitation = Assert.Single(await app.WaitForAsync(To(people[0].Email, "Invitation"), 1));
        var links = LinkPattern().Matches(invitation.TextBody!).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, links.Count);
        var accept = links[0];

        using var client = CookieClient();
        var page = await client.GetStringAsync($"/l/{accept}", Ct);
        Assert.Contains("Accept the invitation", page, StringComparison.Ordinal);
        Assert.Equal(LearnerStatus.Invited, await StatusAsync(session.Id, people[0].Email));

        var first = await PostLinkAsync(client, accept, page);
        Assert.Contains("You are registered", first, StringComparison.Ordinal);
        Assert.Equal(LearnerStatus.Registered, await StatusAsync(session.Id, people[0].Email));

        var again = await client.GetStringAsync($"/l/{accept}", Ct);
        Assert.Contains("This link was already used", again, StringComparison.Ordinal);
        var decline = await client.GetStringAsync($"/l/{links[1]}", Ct);
        Assert.Contains("This link was already used", decline, StringComparison.Ordinal);

        var tampered = accept[..^3] + (accept[^3] == 'A' ? "B" : "A") + accept[^2..];
        Assert.Contains("This link is not valid", await client.GetStringAsync($"/l/{tampered}", Ct), StringComparison.Ordinal);

        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var learnerId = await LearnerIdAsync(session.Id, people[0].Email);
        Assert.Equal(1, await db.StatusChanges.CountAsync(h => h.SessionLearnerId == learnerId && h.To == LearnerStatus.Registered, Ct));
        Assert.Single(await app.WaitForAsync(To(people[0].Email, "RegistrationConfirmation"), 1));
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_changes_nothing()
    {
        var (session, people) = await DraftWithLearnersAsync(1, calendar: true);
        await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct);
        var learnerId = await LearnerIdAsync(session.Id, people[0].Email);
        string token;
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            token = app.Get<SignedLinks>().Create(db, session.Id, learnerId, people[0].Email, DateTimeOffset.UtcNow.AddSeconds(-1), LinkPurpose.AcceptInvitation)[LinkPurpose.AcceptInvitation];
            await db.SaveChangesAsync(Ct);
        }

        var result = await app.Get<LinkActions>().ActAsync(token, null, Ct);
        Assert.False(result.Done);
        Assert.Contains("past its time limit", result.Message, StringComparison.Ordinal);
        Assert.Equal(LearnerStatus.Invited, await StatusAsync(session.Id, people[0].Email));
    }

    [Fact]
    public async Task Each_email_type_goes_only_to_eligible_learners_and_names_the_skipped()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await app.NewEmployeesAsync(2, "elig");
        foreach (var p in people)
        {
            await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), Ct);
        }

        var ids = new[] { await LearnerIdAsync(session.Id, people[0].Email), await LearnerIdAsync(session.Id, people[1].Email) };
        var send = app.Get<SendEmails>();

        var reminder = (await send.HandleAsync(session.Id, new SendEmailsRequest(EmailType.AttendanceReminder, ids), AppFixture.Admin, cancellationToken: Ct)).Value!;
        Assert.Equal([ids[0]], reminder.Queued);
        Assert.Contains("Registered learners only; this learner is Waiting List", Assert.Single(reminder.Skipped).Reason, StringComparison.Ordinal);

        var followUp = (await send.HandleAsync(session.Id, new SendEmailsRequest(EmailType.FollowUp, ids), AppFixture.Admin, cancellationToken: Ct)).Value!;
        Assert.Empty(followUp.Queued);
        Assert.Equal(2, followUp.Skipped.Count);

        var form = (await send.HandleAsync(session.Id, new SendEmailsRequest(EmailType.FeedbackForm, ids), AppFixture.Admin, cancellationToken: Ct)).Value!;
        Assert.All(form.Skipped, s => Assert.Contains("no feedback form", s.Reason, StringComparison.Ordinal));

        var custom = (await send.HandleAsync(session.Id, new SendEmailsRequest(EmailType.CustomNotification, ids, "Room change", "We moved to room 5.\n\nSee you there."), AppFixture.Admin, cancellationToken: Ct)).Value!;
        Assert.Equal(2, custom.Queued.Count);
        var received = await app.WaitForAsync(m => m.Subject == "Room change" && people.Any(p => m.To.Mailboxes.Any(t => t.Address == p.Email)), 2);
        Assert.Equal(2, received.Count);
        Assert.Contains("We moved to room 5.", received[0].TextBody, StringComparison.Ordinal);

        // The waiting learner is offered the seat that the cancellation frees; by hand it needs a free seat.
        var offer = (await send.HandleAsync(session.Id, new SendEmailsRequest(EmailType.WaitingLearnersInvitation, [ids[1]]), AppFixture.Admin, cancellationToken: Ct)).Value!;
        Assert.Contains("no free seat", Assert.Single(offer.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_freed_seat_emails_the_first_waiting_learner_a_seat_offer()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await app.NewEmployeesAsync(2, "offer");
        foreach (var p in people)
        {
            await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), Ct);
        }

        await app.WaitForAsync(To(people[1].Email, "WaitingListConfirmation"), 1);
        await app.Get<CancelRegistration>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), Ct);

        var offer = Assert.Single(await app.WaitForAsync(To(people[1].Email, "WaitingLearnersInvitation"), 1));
        Assert.StartsWith("A seat is free for you", offer.Subject, StringComparison.Ordinal);
        Assert.Single(await app.WaitForAsync(To(people[0].Email, "CancellationConfirmation"), 1));
        Assert.Equal(LearnerStatus.Invited, await StatusAsync(session.Id, people[1].Email));
    }

    [Fact]
    public async Task A_failed_send_is_kept_with_its_error_retried_later_and_sent_once_even_when_the_job_runs_twice()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        var person = (await app.NewEmployeesAsync(1, "fault"))[0];
        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct);
        await app.WaitForAsync(To(person.Email, "RegistrationConfirmation"), 1);

        long id;
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            var loaded = (await SessionUnitOfWorkLoad(db, session.Id))!;
            var email = app.Get<EmailComposer>().Compose(db, loaded, loaded.Learners.Single(), EmailType.CustomNotification, $"fault:{Guid.NewGuid()}", DateTimeOffset.UtcNow, new EmailExtras("Fault test", "Body"));
            db.Outbox.Add(email);
            await db.SaveChangesAsync(Ct);
            id = email.Id;
        }

        // The same job with the SMTP server unreachable (a port nobody listens on), then reachable again.
        var (refusing, port) = EmailFixture.RefusingPort();
        using var holder = refusing;
        var down = new SendOutboxEmail(app.Get<IDbContextFactory<LiveSessionsDbContext>>(),
            Microsoft.Extensions.Options.Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = port }), Microsoft.Extensions.Options.Options.Create(new ImapOptions()), app.Get<EmailComposer>(),
            app.Get<Web.Persistence.SqliteWriteQueue>(), TimeProvider.System, app.Get<Hangfire.IBackgroundJobClient>());
        await Assert.ThrowsAnyAsync<Exception>(() => down.RunAsync(id, Ct));
        var failed = await OutboxAsync(id);
        Assert.Equal(OutboxState.Failed, failed.State);
        Assert.False(string.IsNullOrEmpty(failed.Error));
        Assert.Equal(1, failed.Attempts);
        Assert.DoesNotContain(app.Received(), m => m.Subject == "Fault test");

        var job = app.Get<SendOutboxEmail>();
        await job.RunAsync(id, Ct);
        await job.RunAsync(id, Ct);
        var sent = await OutboxAsync(id);
        Assert.Equal(OutboxState.Sent, sent.State);
        Assert.Equal(2, sent.Attempts);
        Assert.Single(app.Received(), m => m.Subject == "Fault test");
    }

    [Fact]
    public async Task A_name_or_subject_with_line_breaks_cannot_add_headers()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        var evil = await app.Get<Web.Features.Employees.EmployeeDirectory>().CreateAsync(
            new Web.Features.Employees.EmployeeFields("Eve\r\nBcc: spy@evil.example", $"eve.{Guid.NewGuid():N}@test.example", "Testing", null), AppFixture.Admin, Ct);
        Assert.True(evil.IsOk, evil.Message);
        await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([evil.Value!.Email]), AppFixture.Admin, Ct);
        var id = await LearnerIdAsync(session.Id, evil.Value.Email);

        await app.Get<SendEmails>().HandleAsync(session.Id, new SendEmailsRequest(EmailType.CustomNotification, [id], "Hello\r\nBcc: spy@evil.example", "Body"), AppFixture.Admin, cancellationToken: Ct);

        var message = Assert.Single(await app.WaitForAsync(m => m.To.Mailboxes.Any(t => t.Address == evil.Value.Email), 1));
        Assert.Empty(message.Bcc);
        Assert.Null(message.Headers[HeaderId.Bcc]);
        Assert.DoesNotContain(app.Smtp.ReceivedEmail.SelectMany(m => m.ToAddresses), a => a.Address.Contains("spy", StringComparison.Ordinal));
        Assert.Equal("Hello  Bcc: spy@evil.example", message.Subject);
    }

    [Fact]
    public async Task The_attendance_reminder_goes_to_Registered_learners_and_a_job_planned_for_an_old_start_does_nothing()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await app.NewEmployeesAsync(2, "remind");
        foreach (var p in people)
        {
            await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), Ct);
        }

        var job = app.Get<AttendanceReminderJob>();
        var before = TimeSpan.FromHours(24).Ticks;
        Assert.Equal(0, await job.RunAsync(session.Id, session.Start.AddHours(-3).UtcTicks, before, Ct));
        Assert.Equal(1, await job.RunAsync(session.Id, session.Start.UtcTicks, before, Ct));
        Assert.Equal(0, await job.RunAsync(session.Id, session.Start.UtcTicks, before, Ct));

        var reminder = Assert.Single(await app.WaitForAsync(To(people[0].Email, "AttendanceReminder"), 1));
        Assert.Contains("I will attend", reminder.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Received(), m => To(people[1].Email, "AttendanceReminder")(m));
    }

    [GeneratedRegex(@"http://links\.test/l/([A-Za-z0-9_\-]+)")]
    private static partial Regex LinkPattern();

    private static Func<MimeMessage, bool> To(string email, string type) => EmailFixture.To(email, type);

    private static string Ics(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().Single(p => p.ContentType.MimeType == "text/calendar").Text;

    private async Task<(SessionView Session, List<Web.Features.Employees.EmployeeRow> People)> DraftWithLearnersAsync(int count, bool calendar)
    {
        var session = await app.NewSessionAsync(capacity: 10, calendar: calendar, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(count, "mail");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, Ct);
        Assert.Equal(count, added.Value!.Added.Count);
        return (session, people);
    }

    private HttpClient CookieClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    private async Task<string> PostLinkAsync(HttpClient client, string token, string page)
    {
        var antiforgery = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery,
            ["_handler"] = "link-action",
        });
        var response = await client.PostAsync($"/l/{token}", form, Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private async Task<int> LearnerIdAsync(int sessionId, string email)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.Where(l => l.SessionId == sessionId && l.Employee.Email == email).Select(l => l.Id).SingleAsync(Ct);
    }

    private async Task<string?> CalendarUidAsync(int sessionId, string email)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.Where(l => l.SessionId == sessionId && l.Employee.Email == email).Select(l => l.CalendarUid).SingleAsync(Ct);
    }

    private async Task<LearnerStatus> StatusAsync(int sessionId, string email)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.Where(l => l.SessionId == sessionId && l.Employee.Email == email).Select(l => l.Status).SingleAsync(Ct);
    }

    private async Task<OutboxEmail> OutboxAsync(long id)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Outbox.AsNoTracking().SingleAsync(o => o.Id == id, Ct);
    }

    private static Task<LiveSession?> SessionUnitOfWorkLoad(LiveSessionsDbContext db, int id) =>
        Web.Features.Shared.SessionUnitOfWork.LoadAsync(db, id, Ct);
}
