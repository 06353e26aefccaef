using System.Globalization;
using System.Security.Cryptography;
using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Shared;
using Microsoft.AspNetCore.DataProtection;

namespace LiveSessions.Web.Features.Attendance;

public enum AttendanceLinkCheck
{
    Valid,
    Tampered,
    Expired,
}

/// <summary>What an attendance link opens: one session, acting as the trainer it was sent to.</summary>
public sealed record AttendanceLinkAccess(AttendanceLinkCheck Check, int SessionId, CurrentUser? User, string Message)
{
    public bool IsValid => Check == AttendanceLinkCheck.Valid;
}

/// <summary>
/// The attendance form link the admin sends to the lead trainer (/attendance/{token}). The token is the credential:
/// the session id and the trainer's email protected for this one purpose by ASP.NET Data Protection, with its expiry
/// inside. It opens that session's form only, and acts as that trainer only while they still train the session.
/// </summary>
public sealed class AttendanceLinks(IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>Long enough to correct the attendance after the session, short enough not to linger.</summary>
    public static readonly TimeSpan LifetimeAfterEnd = TimeSpan.FromDays(7);

    private readonly ITimeLimitedDataProtector protector =
        protection.CreateProtector("LiveSessions.AttendanceLink.v1").ToTimeLimitedDataProtector();

    public string Create(int sessionId, string trainerEmail, DateTimeOffset expiresAt) =>
        protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{sessionId}|{trainerEmail.Trim().ToLowerInvariant()}"), expiresAt);

    public AttendanceLinkAccess Open(string? token)
    {
        string payload;
        try
        {
            payload = protector.Unprotect(token ?? string.Empty, out var expiration);
            if (expiration < clock.GetUtcNow())
            {
                return Expired();
            }
        }
        catch (CryptographicException ex) when (ex.Message.Contains("expired", StringComparison.OrdinalIgnoreCase))
        {
            return Expired();
        }
        catch (CryptographicException)
        {
            return Tampered();
        }
        catch (FormatException)
        {
            return Tampered();
        }

        var parts = payload.Split('|');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sessionId) || parts[1].Length == 0)
        {
            return Tampered();
        }

        var user = new CurrentUser(parts[1], parts[1], new HashSet<string> { Roles.Trainer });
        return new AttendanceLinkAccess(AttendanceLinkCheck.Valid, sessionId, user, "This link opens the attendance form of one session.");
    }

    private static AttendanceLinkAccess Tampered() =>
        new(AttendanceLinkCheck.Tampered, 0, null, "The link is damaged or was changed. Open it again from the email exactly as it was sent, or ask an admin to send the attendance form again.");

    private static AttendanceLinkAccess Expired() =>
        new(AttendanceLinkCheck.Expired, 0, null, "This attendance link has expired. Ask an admin to send the attendance form again.");
}

public sealed record AttendanceFormSent(string To, string Name, long OutboxId);

/// <summary>
/// Send Attendance Form: an admin emails the lead trainer a signed link to the session's attendance form, through the
/// outbox like every email (queued in the same unit of work, sent by a job).
/// </summary>
public sealed class SendAttendanceForm(SessionUnitOfWork work, AttendanceLinks links, EmailRenderer renderer, PublicUrls urls)
{
    public Task<Outcome<AttendanceFormSent>> HandleAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Task.FromResult<Outcome<AttendanceFormSent>>(Failure.Forbidden("Only admins can send the attendance form."));
        }

        return work.RunAsync<AttendanceFormSent>(sessionId, async scope =>
        {
            var session = scope.Session;
            if (session.Status is not (SessionStatus.Ready or SessionStatus.Completed))
            {
                return Failure.Conflict($"Attendance is taken for Ready or Completed sessions only; this session is {session.Status}.");
            }

            if (session.LeadTrainer is not { } lead)
            {
                return Failure.Conflict("This session has no trainer to send the attendance form to: add a trainer first.");
            }

            var expiresAt = session.End + AttendanceLinks.LifetimeAfterEnd;
            if (expiresAt <= scope.Now)
            {
                return Failure.Conflict($"This session ended more than {AttendanceLinks.LifetimeAfterEnd.TotalDays} days ago: correct its attendance from the learners card.");
            }

            var url = $"{urls.BaseUrl}/attendance/{links.Create(session.Id, lead.Email, expiresAt)}";
            var content = new EmailContent(
                $"Attendance form: {session.Title}",
                "Take the attendance",
                $"Hello {lead.Name},",
                [
                    $"Here is the attendance form of {session.Title}. Open it on your tablet or phone in the room: no password is needed, the link is your key, so keep it to yourself.",
                    $"Tap Attended or Absent for each learner, and add anyone who turns up without registering as a Go Show. The link works for this session only, until {SessionTime.Format(expiresAt, session.TimeZone)}.",
                ],
                new SessionFacts(session.Title, SessionTime.FormatRange(session.Start, session.End, session.TimeZone), session.Location, lead.Name),
                [new EmailAction("Open the attendance form", url)]);
            var email = new OutboxEmail
            {
                IdempotencyKey = $"attendance-form:{session.Id}:{Guid.NewGuid():N}",
                SessionId = session.Id,
                LearnerId = null,
                To = lead.Email,
                ToName = EmailComposer.OneLine(lead.Name),
                Type = EmailType.CustomNotification,
                Subject = EmailComposer.OneLine(content.Subject),
                HtmlBody = await renderer.RenderAsync(content),
                TextBody = content.ToText(),
                State = OutboxState.Queued,
                CreatedAt = scope.Now,
            };
            scope.Db.Outbox.Add(email);
            await scope.Db.SaveChangesAsync(cancellationToken);
            scope.Raised.Add(new EmailsQueued(session.Id, [email.Id]));
            return new AttendanceFormSent(lead.Email, lead.Name, email.Id);
        }, cancellationToken);
    }
}
