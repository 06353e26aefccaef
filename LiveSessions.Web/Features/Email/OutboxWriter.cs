using LiveSessions.Domain;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Email;

/// <summary>The outbox rows a unit of work queued; after the commit a job is enqueued for each.</summary>
public sealed record EmailsQueued(int SessionId, IReadOnlyList<long> OutboxIds) : DomainEvent(SessionId);

/// <summary>
/// Turns what happened into the automatic emails of the status table, written in the same transaction as the change.
/// Each key names learner, type and the learner's (or the calendar's) version, so a replay never queues twice.
/// </summary>
public sealed class OutboxWriter(EmailComposer composer) : IBeforeCommitHandler
{
    public async Task<IReadOnlyList<DomainEvent>> HandleAsync(SessionScope scope, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        var queued = new List<PlannedEmail>();
        var session = scope.Session;
        foreach (var e in events)
        {
            switch (e)
            {
                case LearnerStatusChanged change:
                    await QueueForChangeAsync(scope, change, queued, cancellationToken);
                    break;
                case SessionDetailsChanged { CalendarChanged: true } details when session.EnableCalendar && session.Status == SessionStatus.Ready:
                    foreach (var learner in session.Learners.Where(l => l.Status is LearnerStatus.Invited or LearnerStatus.Registered))
                    {
                        queued.Add(new PlannedEmail(learner, EmailType.CalendarUpdate, $"calendar-update:{session.Id}:{learner.Id}:{details.CalendarSequence}", null));
                    }

                    break;
            }
        }

        if (queued.Count == 0)
        {
            return [];
        }

        // One query for the keys already queued (a replayed decision), not one per email.
        var keys = queued.Select(q => q.Key).ToList();
        var existing = (await scope.Db.Outbox.Where(o => keys.Contains(o.IdempotencyKey)).Select(o => o.IdempotencyKey).ToListAsync(cancellationToken)).ToHashSet();
        var written = new List<OutboxEmail>();
        var toWrite = queued.Where(q => existing.Add(q.Key)).ToList();
        foreach (var email in toWrite)
        {
            var row = composer.Compose(scope.Db, session, email.Learner, email.Type, email.Key, scope.Now, email.Extras);
            scope.Db.Outbox.Add(row);
            written.Add(row);
            scope.Progress.Report("Preparing emails", written.Count, toWrite.Count);
        }

        if (written.Count == 0)
        {
            return [];
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        return [new EmailsQueued(session.Id, written.Select(q => q.Id).ToList())];
    }

    private static async Task QueueForChangeAsync(SessionScope scope, LearnerStatusChanged change, List<PlannedEmail> queued, CancellationToken cancellationToken)
    {
        var session = scope.Session;
        var learner = change.Learner;
        var key = $"{session.Id}:{learner.Id}:{learner.Version}";
        switch (change.Trigger)
        {
            case LearnerTrigger.SessionSetReady or LearnerTrigger.AddedToCalendarSession or LearnerTrigger.RegistrationHeldByCalendarInvitation:
            case LearnerTrigger.CopiedFromSession when change.To == LearnerStatus.Invited:
                if (change.From == LearnerStatus.NeedsApproval)
                {
                    queued.Add(new PlannedEmail(learner, EmailType.ApprovalResult, $"approval-result:{key}", null));
                }

                queued.Add(new PlannedEmail(learner, EmailType.Invitation, $"invitation:{key}", null));
                break;
            case LearnerTrigger.SeatOfferedFromWaitingList:
                queued.Add(new PlannedEmail(learner, EmailType.WaitingLearnersInvitation, $"seat-offer:{key}", null));
                break;
            case LearnerTrigger.RegistrationNeedsApproval:
                var approver = await LearnerLookup.ApproverOfAsync(scope.Db, learner.Employee, session, cancellationToken);
                if (approver is not null)
                {
                    queued.Add(new PlannedEmail(learner, EmailType.ApprovalRequest, $"approval-request:{key}", new EmailExtras(Recipient: approver)));
                }
                else
                {
                    // Nobody up the org chart: the request goes to the admins (SPEC "Live session").
                    foreach (var admin in await AdminsAsync(scope, learner.Employee, cancellationToken))
                    {
                        queued.Add(new PlannedEmail(learner, EmailType.ApprovalRequest, $"approval-request:{key}:admin:{admin.Email}", new EmailExtras(Recipient: admin)));
                    }
                }

                queued.Add(new PlannedEmail(learner, EmailType.ApprovalPending, $"approval-pending:{key}", new EmailExtras(Recipient: null, Note: approver?.Name ?? "the admins")));
                break;
            case LearnerTrigger.Approved or LearnerTrigger.ApprovedSessionFull or LearnerTrigger.ApprovalDeclined:
                var note = learner.History.LastOrDefault()?.Note;
                queued.Add(new PlannedEmail(learner, EmailType.ApprovalResult, $"approval-result:{key}", new EmailExtras(Note: note)));
                break;
            case LearnerTrigger.RegistrationCompleted or LearnerTrigger.InvitationAccepted:
                queued.Add(new PlannedEmail(learner, EmailType.RegistrationConfirmation, $"registered:{key}", null));
                break;
            case LearnerTrigger.RegistrationWaitlisted or LearnerTrigger.InvitationAcceptedSessionFull or LearnerTrigger.SeatOfferExpired:
                queued.Add(new PlannedEmail(learner, EmailType.WaitingListConfirmation, $"waiting:{key}", null));
                break;
            case LearnerTrigger.LearnerCancelled:
                queued.Add(new PlannedEmail(learner, EmailType.CancellationConfirmation, $"cancelled:{key}", null));
                break;
            case LearnerTrigger.SessionCancelled:
                queued.Add(new PlannedEmail(learner, EmailType.CancellationConfirmation, $"session-cancelled:{key}", new EmailExtras(SessionCancelled: true)));
                break;
            case LearnerTrigger.Manual when change.To == LearnerStatus.Invited && change.From != LearnerStatus.Invited && !scope.WithoutInvitation.Contains(learner.Id):
                // Invited by hand: the learner gets the invitation Ready would have sent, so they can answer it (it names
                // the seat held for them, with its deadline, when there is one).
                queued.Add(new PlannedEmail(learner, EmailType.Invitation, $"invitation:{key}", null));
                break;
            case LearnerTrigger.Manual when session.EnableCalendar
                && change.From is LearnerStatus.Invited or LearnerStatus.Registered
                && change.To is not (LearnerStatus.Invited or LearnerStatus.Registered or LearnerStatus.Attended or LearnerStatus.Absent or LearnerStatus.GoShow):
                queued.Add(new PlannedEmail(learner, EmailType.CalendarCancellation, $"calendar-cancel:{key}", null));
                break;
        }
    }

    /// <summary>
    /// The admins who can act (account not locked), but not the learner asking, as recipients: their directory entry
    /// when they have one, else their account's name and email (an approval link acts for the address it was sent to).
    /// </summary>
    private static async Task<IReadOnlyList<Employee>> AdminsAsync(SessionScope scope, Employee learner, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var accounts = (await (from user in db.Users
                               join userRole in db.UserRoles on user.Id equals userRole.UserId
                               join role in db.Roles on userRole.RoleId equals role.Id
                               where role.Name == Roles.Admin && user.Email != null
                               select new { user.Email, user.DisplayName, user.LockoutEnd })
                .ToListAsync(cancellationToken))
            .Where(a => a.LockoutEnd is null || a.LockoutEnd <= scope.Now)
            .Select(a => (Email: a.Email!.Trim().ToLowerInvariant(), Name: a.DisplayName))
            .Where(a => a.Email != learner.Email)
            .DistinctBy(a => a.Email)
            .OrderBy(a => a.Email, StringComparer.Ordinal)
            .ToList();
        var emails = accounts.Select(a => a.Email).ToList();
        var listed = await db.Employees.Where(e => emails.Contains(e.Email)).ToDictionaryAsync(e => e.Email, cancellationToken);
        var recipients = new List<Employee>();
        foreach (var (email, name) in accounts)
        {
            try
            {
                recipients.Add(listed.GetValueOrDefault(email) ?? new Employee(string.IsNullOrWhiteSpace(name) ? email : name, email, string.Empty));
            }
            catch (DomainException)
            {
                // An account the directory could not hold (an odd email or a very long name) gets no email; it still sees the request on the approvals page.
            }
        }

        return recipients;
    }

    private sealed record PlannedEmail(SessionLearner Learner, EmailType Type, string Key, EmailExtras? Extras);
}
