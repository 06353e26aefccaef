using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LiveSessions.Web.Features.Email;

/// <summary>Extra words some emails need: the admin's subject and body, an approver's note, the approver.</summary>
public sealed record EmailExtras(string? Subject = null, string? Body = null, string? Note = null, Employee? Recipient = null, bool SessionCancelled = false);

/// <summary>
/// Turns (type, session, learner) into an outbox row: the words, the signed links and the plain-text part, written
/// with the change that caused them. The caller adds it to its unit of work. The HTML (rendered by Blazor) and the
/// .ics are built by <see cref="RenderAsync"/> in the send job, outside any seat decision: they are the costly part,
/// and a Set Ready of thousands would otherwise hold the write turn while rendering each one.
/// </summary>
public sealed class EmailComposer(EmailRenderer renderer, SignedLinks links, PublicUrls urls, IOptions<SmtpOptions> smtp, IOptions<ImapOptions> replyMailbox)
{
    private static readonly System.Text.Json.JsonSerializerOptions ContentJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>Renders the HTML and builds the .ics of a row written by <see cref="ComposeAsync"/>, reading the session and learner as they are now.</summary>
    public async Task RenderAsync(LiveSessionsDbContext db, OutboxEmail email, CancellationToken cancellationToken)
    {
        if (email.IsRendered || email.Content is null)
        {
            return;
        }

        var content = System.Text.Json.JsonSerializer.Deserialize<EmailContent>(email.Content, ContentJson)!;
        email.HtmlBody = await renderer.RenderAsync(content);
        if (email.CalendarMethod is { } method && email.LearnerId is { } learnerId)
        {
            var session = await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == email.SessionId, cancellationToken);
            var learner = await db.Learners.AsNoTracking().Include(l => l.Employee).FirstAsync(l => l.Id == learnerId, cancellationToken);
            email.Calendar = CalendarOf(session, learner, method, email.CalendarSequence ?? session.CalendarSequence);
        }
    }

    /// <summary>The HTML of a composed email that is not saved (a preview).</summary>
    public Task<string> RenderHtmlAsync(OutboxEmail email) =>
        renderer.RenderAsync(System.Text.Json.JsonSerializer.Deserialize<EmailContent>(email.Content!, ContentJson)!);

    /// <summary>
    /// The learner's event as a file to download (PUBLISH): the UID and SEQUENCE of the invitations they were sent, so
    /// a calendar that has the invitation updates that event instead of adding a second one.
    /// </summary>
    public string PublishedCalendar(LiveSession session, SessionLearner learner) =>
        CalendarOf(session, learner, CalendarInvites.Publish, Math.Max(learner.CalendarSequence, session.CalendarSequence));

    private string CalendarOf(LiveSession session, SessionLearner learner, string method, int sequence)
    {
        // The organizer is the mailbox the app reads, when there is one: a calendar sends its reply to the organizer.
        var organizer = replyMailbox.Value.ReplyMailbox
            ?? (MimeKit.MailboxAddress.TryParse(smtp.Value.From, out var from) ? from : new MimeKit.MailboxAddress("LiveSessions", "no-reply@livesessions.local"));
        return CalendarInvites.Build(session, learner, method, organizer.Address, organizer.Name ?? "LiveSessions", sequence);
    }

    public OutboxEmail Compose(LiveSessionsDbContext db, LiveSession session, SessionLearner learner, EmailType type, string idempotencyKey, DateTimeOffset now, EmailExtras? extras = null)
    {
        extras ??= new EmailExtras();
        var facts = new SessionFacts(
            session.Title,
            SessionTime.FormatRange(session.Start, session.End, session.TimeZone),
            session.Location,
            session.LeadTrainer?.Name ?? string.Empty);
        var learnerName = learner.Employee.Name;
        var greeting = $"Hello {(extras.Recipient ?? learner.Employee).Name},";
        string? calendarMethod = null;
        EmailContent content;
        switch (type)
        {
            case EmailType.Invitation:
            {
                var held = learner.SeatOfferExpiresAt is { } until && until > now;
                var tokens = links.Create(db, session.Id, learner.Id, (extras.Recipient ?? learner.Employee).Email, session.Start, LinkPurpose.AcceptInvitation, LinkPurpose.DeclineInvitation);
                content = new EmailContent($"Invitation: {session.Title}", "You are invited", greeting,
                    [$"You are invited to {session.Title}.", held
                        ? $"A seat is held for you until {SessionTime.Format(learner.SeatOfferExpiresAt!.Value, session.TimeZone)}: accept to confirm it."
                        : "Accept to take a seat (first come, first served) or decline if you cannot come."],
                    facts, [new("Accept", urls.Link(tokens[LinkPurpose.AcceptInvitation])), new("Decline", urls.Link(tokens[LinkPurpose.DeclineInvitation]), false)]);
                calendarMethod = CalendarInvites.Request;
                break;
            }

            case EmailType.WaitingLearnersInvitation:
            {
                var expiry = learner.SeatOfferExpiresAt ?? now + session.Automation.SeatOfferHoldTime;
                var tokens = links.Create(db, session.Id, learner.Id, (extras.Recipient ?? learner.Employee).Email, expiry, LinkPurpose.AcceptSeatOffer, LinkPurpose.DeclineSeatOffer);
                content = new EmailContent($"A seat is free for you: {session.Title}", "A seat is free for you", greeting,
                    ["A seat has freed up and you are next on the waiting list.", $"It is held for you until {SessionTime.Format(expiry, session.TimeZone)}; after that it goes to the next person in line."],
                    facts, [new("Take the seat", urls.Link(tokens[LinkPurpose.AcceptSeatOffer])), new("Decline", urls.Link(tokens[LinkPurpose.DeclineSeatOffer]), false)]);
                calendarMethod = CalendarInvites.Request;
                break;
            }

            case EmailType.ApprovalRequest:
            {
                var tokens = links.Create(db, session.Id, learner.Id, (extras.Recipient ?? learner.Employee).Email, session.Start, LinkPurpose.Approve, LinkPurpose.DeclineApproval);
                content = new EmailContent($"Approval needed: {learnerName} for {session.Title}", "A registration needs your approval", greeting,
                    [$"{learnerName} ({learner.Employee.Department}) asks to attend {session.Title}.", "Approve or decline below; if you decline you can leave a note for them."],
                    facts, [new("Approve", urls.Link(tokens[LinkPurpose.Approve])), new("Decline", urls.Link(tokens[LinkPurpose.DeclineApproval]), false)]);
                break;
            }

            case EmailType.ApprovalPending:
                content = new EmailContent($"Waiting for approval: {session.Title}", "Your registration needs approval", greeting,
                    [extras.Note is null ? "Your registration was received and needs approval." : $"Your registration was received and is waiting for approval by {extras.Note}.", "We will email you the answer."],
                    facts, []);
                break;

            case EmailType.ApprovalResult:
                content = learner.Status switch
                {
                    LearnerStatus.ApprovalDeclined => new EmailContent($"Registration declined: {session.Title}", "Your registration was declined", greeting,
                        ["Your approver declined your registration.", .. extras.Note is { Length: > 0 } note ? new[] { $"Their note: {note}" } : []], facts, []),
                    LearnerStatus.WaitingList => new EmailContent($"Approved, on the waiting list: {session.Title}", "Approved — you are on the waiting list", greeting,
                        ["Your registration was approved, but the session filled up meanwhile.", $"You are number {session.WaitingListPosition(learner)} on the waiting list; we will email you when a seat frees."], facts, []),
                    LearnerStatus.Invited => new EmailContent($"Approved: {session.Title}", "Your registration was approved", greeting,
                        ["Your registration was approved. A calendar invitation holds your seat: accept it to confirm."], facts, []),
                    _ => new EmailContent($"Approved: {session.Title}", "Your registration was approved", greeting,
                        ["Your registration was approved: you are registered."], facts, []),
                };
                break;

            case EmailType.RegistrationConfirmation:
                content = new EmailContent($"You are registered: {session.Title}", "You are registered", greeting,
                    ["Your seat is confirmed. If you can no longer come, cancel from your sessions so someone else can have it."],
                    facts, [new("My sessions", urls.Session(session.Id), false)]);
                break;

            case EmailType.WaitingListConfirmation:
                content = new EmailContent($"On the waiting list: {session.Title}", "You are on the waiting list", greeting,
                    [$"The session is full. You are number {session.WaitingListPosition(learner)} on the waiting list.", "When a seat frees up, the first person in line is offered it by email."],
                    facts, [new("My sessions", urls.Session(session.Id), false)]);
                break;

            case EmailType.CancellationConfirmation:
                content = extras.SessionCancelled
                    ? new EmailContent($"Cancelled: {session.Title}", "The session is cancelled", greeting, ["This session has been cancelled. We are sorry for the inconvenience."], facts, [])
                    : new EmailContent($"Cancellation confirmed: {session.Title}", "Your place is cancelled", greeting, ["Your cancellation is recorded. You can register again while the session is open."], facts, []);
                if (session.EnableCalendar)
                {
                    calendarMethod = CalendarInvites.Cancel;
                }

                break;

            case EmailType.CalendarUpdate:
                content = new EmailContent($"Updated: {session.Title}", "The session has changed", greeting,
                    ["The session's details have changed; your calendar entry is updated with this email."], facts, []);
                calendarMethod = CalendarInvites.Request;
                break;

            case EmailType.CalendarCancellation:
                content = new EmailContent($"Removed from: {session.Title}", "You are no longer in this session", greeting,
                    ["You are no longer expected at this session; the calendar entry is removed."], facts, []);
                calendarMethod = CalendarInvites.Cancel;
                break;

            case EmailType.AttendanceReminder:
            {
                var tokens = links.Create(db, session.Id, learner.Id, (extras.Recipient ?? learner.Employee).Email, session.Start, LinkPurpose.ConfirmAttendance, LinkPurpose.DeclineAttendance);
                content = new EmailContent($"Reminder: {session.Title}", "See you soon", greeting,
                    [$"This is a reminder that {session.Title} starts {SessionTime.Format(session.Start, session.TimeZone)}.", "Please confirm that you are coming, or decline to free your seat for someone on the waiting list."],
                    facts, [new("I will attend", urls.Link(tokens[LinkPurpose.ConfirmAttendance])), new("I cannot come", urls.Link(tokens[LinkPurpose.DeclineAttendance]), false)]);
                break;
            }

            case EmailType.FollowUp:
                content = new EmailContent($"Thank you for attending {session.Title}", "Thank you for attending", greeting,
                    [extras.Body ?? "Thank you for taking part. We hope the session was useful."], facts, []);
                break;

            case EmailType.RegistrationForm or EmailType.FeedbackForm or EmailType.FeedbackFormReminder:
            {
                var form = type == EmailType.RegistrationForm ? FormKind.Registration : FormKind.Feedback;
                if (type == EmailType.FeedbackForm)
                {
                    // Every feedback form email is composed here, by hand or by a job: the reminder may follow only a sent form.
                    session.RecordFeedbackFormSent(learner, now);
                }

                var token = links.CreateFormLink(db, session.Id, learner.Id, (extras.Recipient ?? learner.Employee).Email, session.End.AddDays(30), form);
                var (subject, heading, text) = type switch
                {
                    EmailType.RegistrationForm => ($"Registration form: {session.Title}", "Please fill the registration form", "Please answer a few questions to complete your registration."),
                    EmailType.FeedbackForm => ($"Your feedback on {session.Title}", "How was the session?", "Please tell us how the session went; it takes two minutes."),
                    _ => ($"Reminder: your feedback on {session.Title}", "We would still love your feedback", "You have not filled the feedback form yet; it takes two minutes."),
                };
                content = new EmailContent(subject, heading, greeting, [text], facts, [new("Open the form", urls.Link(token))]);
                break;
            }

            default:
                content = new EmailContent(extras.Subject ?? session.Title, extras.Subject ?? session.Title, greeting,
                    (extras.Body ?? string.Empty).Split("\n\n", StringSplitOptions.RemoveEmptyEntries), facts, []);
                break;
        }

        var recipient = extras.Recipient ?? learner.Employee;
        return new OutboxEmail
        {
            IdempotencyKey = idempotencyKey,
            SessionId = session.Id,
            LearnerId = learner.Id,
            To = recipient.Email,
            ToName = OneLine(recipient.Name),
            Type = type,
            Subject = OneLine(content.Subject),
            HtmlBody = string.Empty,
            TextBody = content.ToText(),
            Content = System.Text.Json.JsonSerializer.Serialize(content, ContentJson),
            CalendarMethod = calendarMethod,
            CalendarSequence = calendarMethod is null ? null : learner.NextCalendarSequence(session.CalendarSequence),
            State = OutboxState.Queued,
            CreatedAt = now,
        };
    }

    /// <summary>CR and LF never reach a header: a name or subject cannot add headers.</summary>
    public static string OneLine(string value) => value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();
}
