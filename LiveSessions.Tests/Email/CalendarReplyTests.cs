using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace LiveSessions.Tests.Email;

/// <summary>
/// The app with a real SMTP server (netDumbster) for its invitations and a real IMAP server (Dovecot) as the mailbox
/// calendar replies go to, plus a shared secret for providers that push inbound mail.
/// </summary>
public sealed class CalendarReplyFixture : EmailFixture
{
    public const string ReplyAddress = "calendar@acme.example";
    public const string InboundSecret = "inbound-secret-for-tests-0123456789abcdef";

    public ImapServer Imap { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Imap = await ImapServer.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<(string Key, string Value)> ExtraSettings() =>
    [
        .. base.ExtraSettings(),
        .. Imap.AppSettings($"LiveSessions calendar <{ReplyAddress}>").Select(s => (s[..s.IndexOf('=', StringComparison.Ordinal)], s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..])),
        ("InboundEmail:Secret", InboundSecret),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Imap.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CalendarReplyCollection : ICollectionFixture<CalendarReplyFixture>
{
    public const string Name = "calendar-replies";
}

/// <summary>
/// A learner answers the invitation from their calendar (Outlook, Google): the iTIP REPLY lands in the app's mailbox,
/// the app reads it over IMAP and moves the learner as the email's links would, or records why it did not.
/// </summary>
[Collection(CalendarReplyCollection.Name)]
public sealed class CalendarReplyTests(CalendarReplyFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invitations_name_the_reply_mailbox_as_organizer_and_reply_address_and_the_mailbox_is_read_every_minute()
    {
        var (_, person, invitation) = await InvitedAsync();

        Assert.Equal(CalendarReplyFixture.ReplyAddress, invitation.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("training@acme.example", invitation.From.Mailboxes.Single().Address);
        var calendarEvent = Calendar.Load(Ics(invitation))!.Events.Single();
        Assert.Equal($"mailto:{CalendarReplyFixture.ReplyAddress}", calendarEvent.Organizer!.Value!.OriginalString);
        Assert.Equal($"mailto:{person.Email}", calendarEvent.Attendees.Single().Value!.OriginalString);

        using var connection = app.Get<Hangfire.JobStorage>().GetConnection();
        Assert.Contains(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == CalendarReplyInbox.JobId && j.Cron == Hangfire.Cron.Minutely());
    }

    [Fact]
    public async Task Accepting_in_the_calendar_registers_the_learner_with_the_cause_calendar_reply_and_the_message_is_marked_read()
    {
        var (session, person, invitation) = await InvitedAsync();

        var reply = ReplyTo(invitation, person.Email, "ACCEPTED");
        await app.Imap.DeliverAsync(reply);
        await app.Get<CalendarReplyInbox>().RunAsync(Ct);

        var learner = await LearnerAsync(session.Id, person.Email);
        Assert.Equal(LearnerStatus.Registered, learner.Status);
        var last = learner.History.OrderBy(h => h.Id).Last();
        Assert.Equal((LearnerTrigger.InvitationAccepted, LiveSession.CalendarReplyCause, person.Email), (last.Trigger, last.Cause, last.ActorName));
        Assert.Equal(0, await app.Imap.UnreadAsync());

        var recorded = await RecordedAsync(reply.MessageId);
        Assert.Equal((CalendarReplyOutcome.Applied, CalendarReplies.FromImap, learner.Id, "ACCEPTED"), (recorded.Outcome, recorded.Source, recorded.LearnerId, recorded.Answer));

        // The registration confirmation goes out as after a click on the link.
        await app.WaitForAsync(EmailFixture.To(person.Email, "RegistrationConfirmation"), 1);
    }

    [Fact]
    public async Task Declining_in_the_calendar_declines_and_tentative_is_recorded_without_a_change()
    {
        var (session, people, invitations) = await InvitedAsync(2);

        var tentative = ReplyTo(invitations[0], people[0].Email, "TENTATIVE");
        var declined = ReplyTo(invitations[1], people[1].Email, "DECLINED");
        await app.Imap.DeliverAsync(tentative);
        await app.Imap.DeliverAsync(declined);
        await app.Get<CalendarReplyInbox>().RunAsync(Ct);

        Assert.Equal(LearnerStatus.Invited, (await LearnerAsync(session.Id, people[0].Email)).Status);
        Assert.Equal(CalendarReplyOutcome.Tentative, (await RecordedAsync(tentative.MessageId)).Outcome);
        var decliner = await LearnerAsync(session.Id, people[1].Email);
        Assert.Equal(LearnerStatus.Declined, decliner.Status);
        Assert.Equal(LiveSession.CalendarReplyCause, decliner.History.OrderBy(h => h.Id).Last().Cause);
        Assert.Equal(CalendarReplyOutcome.Applied, (await RecordedAsync(declined.MessageId)).Outcome);
    }

    [Fact]
    public async Task Forged_unknown_stale_and_plain_messages_change_nothing_and_are_listed_for_admins()
    {
        var (session, people, invitations) = await InvitedAsync(2);

        // Someone else answers for the first learner.
        var forged = ReplyTo(invitations[0], "mallory@evil.example", "ACCEPTED");

        // An event we never sent.
        var unknown = ReplyTo(invitations[0], people[0].Email, "ACCEPTED", uid: "not-ours-123@calendar.google.com");

        // The second learner answers the invitation after the session moved (an update with a higher SEQUENCE went out).
        var moved = await app.Get<SaveSession>().UpdateAsync(session.Id, new SessionFields { Start = session.Start.AddHours(1), End = session.End.AddHours(1) }, AppFixture.Admin, Ct);
        Assert.True(moved.IsOk, moved.Message);
        await app.WaitForAsync(EmailFixture.To(people[1].Email, "CalendarUpdate"), 1);
        var stale = ReplyTo(invitations[1], people[1].Email, "ACCEPTED");

        var plain = new MimeMessage();
        plain.From.Add(MailboxAddress.Parse(people[0].Email));
        plain.To.Add(MailboxAddress.Parse(CalendarReplyFixture.ReplyAddress));
        plain.Subject = "Out of office";
        plain.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("learner.example");
        plain.Body = new TextPart("plain") { Text = "I am away until Monday." };

        foreach (var message in new[] { forged, unknown, stale, plain })
        {
            await app.Imap.DeliverAsync(message);
        }

        await app.Get<CalendarReplyInbox>().RunAsync(Ct);

        Assert.Equal(LearnerStatus.Invited, (await LearnerAsync(session.Id, people[0].Email)).Status);
        Assert.Equal(LearnerStatus.Invited, (await LearnerAsync(session.Id, people[1].Email)).Status);
        Assert.Equal(CalendarReplyOutcome.Forged, (await RecordedAsync(forged.MessageId)).Outcome);
        Assert.Equal(CalendarReplyOutcome.Unmatched, (await RecordedAsync(unknown.MessageId)).Outcome);
        var staleRecord = await RecordedAsync(stale.MessageId);
        Assert.Equal(CalendarReplyOutcome.Stale, staleRecord.Outcome);
        Assert.Contains("version 0", staleRecord.Detail, StringComparison.Ordinal);
        Assert.Equal(CalendarReplyOutcome.NotAReply, (await RecordedAsync(plain.MessageId)).Outcome);

        // Admins see each of them among the replies that need attention, with the learner named where one was matched.
        using var admin = await app.AdminAsync();
        var listed = await admin.GetFromJsonAsync<List<CalendarReplyRow>>("/api/calendar-replies?needsAttention=true&take=500", Json, Ct);
        var keys = new[] { forged, unknown, stale, plain }.Select(m => m.MessageId).ToList();
        var ours = listed!.Where(r => keys.Contains(Key(r.Id))).ToList();
        Assert.Equal(4, ours.Count);
        Assert.All(ours, r => Assert.True(r.NeedsAttention));
        Assert.Equal(people[0].Name, ours.Single(r => r.Outcome == CalendarReplyOutcome.Forged).LearnerName);
    }

    [Fact]
    public async Task The_same_reply_read_twice_moves_the_learner_once()
    {
        var (session, person, invitation) = await InvitedAsync();
        var reply = ReplyTo(invitation, person.Email, "DECLINED");

        var first = await app.Get<CalendarReplies>().ReceiveAsync(reply, CalendarReplies.FromImap, Ct);
        var again = await app.Get<CalendarReplies>().ReceiveAsync(reply, CalendarReplies.FromApi, Ct);

        Assert.Equal((CalendarReplyOutcome.Applied, false), (first.Outcome, first.Duplicate));
        Assert.Equal((first.Id, true), (again.Id, again.Duplicate));
        var learner = await LearnerAsync(session.Id, person.Email);
        Assert.Single(learner.History, h => h.To == LearnerStatus.Declined);
    }

    [Fact]
    public async Task A_provider_posts_a_reply_with_the_shared_secret_and_nobody_else_gets_in()
    {
        var (session, person, invitation) = await InvitedAsync();
        var reply = ReplyTo(invitation, person.Email, "ACCEPTED");

        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Post(reply, secret: null), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Post(reply, secret: "wrong-" + CalendarReplyFixture.InboundSecret), Ct)).StatusCode);
        using var trainer = await app.TrainerAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await trainer.SendAsync(Post(reply, secret: null), Ct)).StatusCode);
        Assert.Equal(LearnerStatus.Invited, (await LearnerAsync(session.Id, person.Email)).Status);

        // Not a message: said so, nothing recorded.
        using var wrongType = new HttpRequestMessage(HttpMethod.Post, "/api/inbound-email") { Content = JsonContent.Create(new { }) };
        wrongType.Headers.Add(InboundEmailSecret.Header, CalendarReplyFixture.InboundSecret);
        using var unsupported = await anonymous.SendAsync(wrongType, Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Equal("application/problem+json", unsupported.Content.Headers.ContentType?.MediaType);

        using var accepted = await anonymous.SendAsync(Post(reply, CalendarReplyFixture.InboundSecret), Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var receipt = await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Applied", receipt.GetProperty("outcome").GetString());
        Assert.Equal("Registered", receipt.GetProperty("status").GetString());
        Assert.Equal(LearnerStatus.Registered, (await LearnerAsync(session.Id, person.Email)).Status);
        Assert.Equal(CalendarReplies.FromApi, (await RecordedAsync(reply.MessageId)).Source);

        // An admin's bearer token works too (a reply forwarded by hand); the same message again changes nothing.
        using var admin = await app.AdminAsync();
        using var again = await admin.SendAsync(Post(reply, secret: null), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task Accepting_a_full_session_from_the_calendar_puts_the_learner_on_the_waiting_list()
    {
        var session = await app.NewSessionAsync(capacity: 1, calendar: true, waitingList: true, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(2, "fullreply");
        await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct);
        await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct);
        var first = Assert.Single(await app.WaitForAsync(EmailFixture.To(people[0].Email, "Invitation"), 1));
        var second = Assert.Single(await app.WaitForAsync(EmailFixture.To(people[1].Email, "Invitation"), 1));

        await app.Get<CalendarReplies>().ReceiveAsync(ReplyTo(first, people[0].Email, "ACCEPTED"), CalendarReplies.FromImap, Ct);
        var late = await app.Get<CalendarReplies>().ReceiveAsync(ReplyTo(second, people[1].Email, "ACCEPTED"), CalendarReplies.FromImap, Ct);

        Assert.Equal(LearnerStatus.Registered, (await LearnerAsync(session.Id, people[0].Email)).Status);
        Assert.Equal((CalendarReplyOutcome.Applied, LearnerStatus.WaitingList), (late.Outcome, late.Status));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly Dictionary<long, string> keysById = [];

    /// <summary>A message as a calendar client sends it: METHOD:REPLY with the event's UID and SEQUENCE, one attendee and their answer.</summary>
    private static MimeMessage ReplyTo(MimeMessage invitation, string attendee, string answer, string? uid = null)
    {
        var sent = Calendar.Load(Ics(invitation))!.Events.Single();
        var calendar = new Calendar { Method = "REPLY", ProductId = "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN" };
        var reply = new CalendarEvent
        {
            Uid = uid ?? sent.Uid!,
            Sequence = sent.Sequence,
            DtStart = sent.DtStart,
            DtEnd = sent.DtEnd,
            Summary = "Accepted: " + sent.Summary,
            Organizer = sent.Organizer,
        };
        reply.Attendees.Add(new Attendee($"mailto:{attendee}") { ParticipationStatus = answer });
        calendar.Events.Add(reply);

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(attendee));
        message.To.AddRange(invitation.ReplyTo.Count > 0 ? invitation.ReplyTo : invitation.From);
        message.Subject = $"{answer}: {invitation.Subject}";
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("calendar.example");
        var part = new TextPart("calendar") { Text = new CalendarSerializer().SerializeToString(calendar) ?? string.Empty };
        part.ContentType.Parameters.Add("method", "REPLY");
        message.Body = new MultipartAlternative { new TextPart("plain") { Text = $"{attendee} has answered {answer}." }, part };
        return message;
    }

    private static HttpRequestMessage Post(MimeMessage message, string? secret)
    {
        using var raw = new MemoryStream();
        message.WriteTo(raw);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/inbound-email") { Content = new ByteArrayContent(raw.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(InboundEmailEndpoint.ContentType);
        if (secret is not null)
        {
            request.Headers.Add(InboundEmailSecret.Header, secret);
        }

        return request;
    }

    private static string Ics(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().Single(p => p.ContentType.MimeType == "text/calendar").Text;

    private async Task<(SessionView Session, Web.Features.Employees.EmployeeRow Person, MimeMessage Invitation)> InvitedAsync()
    {
        var (session, people, invitations) = await InvitedAsync(1);
        return (session, people[0], invitations[0]);
    }

    /// <summary>A Ready calendar session whose learners each received their invitation.</summary>
    private async Task<(SessionView Session, List<Web.Features.Employees.EmployeeRow> People, List<MimeMessage> Invitations)> InvitedAsync(int count)
    {
        var session = await app.NewSessionAsync(capacity: 10, calendar: true, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(count, "reply");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct);
        Assert.Equal(count, added.Value!.Added.Count);
        var ready = await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct);
        Assert.True(ready.IsOk, ready.Message);
        var invitations = new List<MimeMessage>();
        foreach (var person in people)
        {
            invitations.Add(Assert.Single(await app.WaitForAsync(EmailFixture.To(person.Email, "Invitation"), 1)));
        }

        return (ready.Value!, people, invitations);
    }

    private async Task<SessionLearner> LearnerAsync(int sessionId, string email)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.AsNoTracking().Include(l => l.History).Include(l => l.Employee)
            .SingleAsync(l => l.SessionId == sessionId && l.Employee.Email == email, Ct);
    }

    private async Task<CalendarReply> RecordedAsync(string? messageId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var reply = await db.CalendarReplies.AsNoTracking().SingleAsync(r => r.MessageKey == messageId, Ct);
        keysById[reply.Id] = reply.MessageKey;
        return reply;
    }

    private string Key(long id) => keysById.TryGetValue(id, out var key) ? key : string.Empty;
}
