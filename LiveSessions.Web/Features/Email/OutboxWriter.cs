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
        var queued = new List<OutboxEmail>();
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
                        await QueueAsync(scope, learner, EmailType.CalendarUpdate, $"calendar-update:{session.Id}:{learner.Id}:{details.CalendarSequence}", queued, null, cancellationToken);
                    }

                    break;
            }
        }

        if (queued.Count == 0)
        {
            return [];
        }

        await scope.Db.SaveChangesAsync(cancellationToken);
        return [new EmailsQueued(session.Id, queued.Select(q => q.Id).ToList())];
    }

    private async Task QueueForChangeAsync(SessionScope scope, LearnerStatusChanged change, List<OutboxEmail> queued, CancellationToken cancellationToken)
    {
        var session = scope.Session;
        var learner = change.Learner;
        var key = $"{session.Id}:{learner.Id}:{learner.Version}";
        switch (change.Trigger)
        {
            case LearnerTrigger.SessionSetReady or LearnerTrigger.AddedToCalendarSession or LearnerTrigger.RegistrationHeldByCalendarInvitation:
                if (change.From == LearnerStatus.NeedsApproval)
                {
                    await QueueAsync(scope, learner, EmailType.ApprovalResult, $"approval-result:{key}", queued, null, cancellationToken);
                }

                await QueueAsync(scope, learner, EmailType.Invitation, $"invitation:{key}", queued, null, cancellationToken);
                break;
            case LearnerTrigger.SeatOfferedFromWaitingList:
                await QueueAsync(scope, learner, EmailType.WaitingLearnersInvitation, $"seat-offer:{key}", queued, null, cancellationToken);
                break;
            case LearnerTrigger.RegistrationNeedsApproval:
                var approver = await LearnerLookup.ApproverOfAsync(scope.Db, learner.Employee, session.ApprovalFlow, cancellationToken);
                if (approver is not null)
                {
                    await QueueAsync(scope, learner, EmailType.ApprovalRequest, $"approval-request:{key}", queued, new EmailExtras(Recipient: approver), cancellationToken);
                }

                await QueueAsync(scope, learner, EmailType.ApprovalPending, $"approval-pending:{key}", queued, new EmailExtras(Recipient: null, Note: approver?.Name), cancellationToken);
                break;
            case LearnerTrigger.Approved or LearnerTrigger.ApprovedSessionFull or LearnerTrigger.ApprovalDeclined:
                var note = learner.History.LastOrDefault()?.Note;
                await QueueAsync(scope, learner, EmailType.ApprovalResult, $"approval-result:{key}", queued, new EmailExtras(Note: note), cancellationToken);
                break;
            case LearnerTrigger.RegistrationCompleted or LearnerTrigger.InvitationAccepted:
                await QueueAsync(scope, learner, EmailType.RegistrationConfirmation, $"registered:{key}", queued, null, cancellationToken);
                break;
            case LearnerTrigger.RegistrationWaitlisted or LearnerTrigger.InvitationAcceptedSessionFull or LearnerTrigger.SeatOfferExpired:
                await QueueAsync(scope, learner, EmailType.WaitingListConfirmation, $"waiting:{key}", queued, null, cancellationToken);
                break;
            case LearnerTrigger.LearnerCancelled:
                await QueueAsync(scope, learner, EmailType.CancellationConfirmation, $"cancelled:{key}", queued, null, cancellationToken);
                break;
            case LearnerTrigger.SessionCancelled:
                await QueueAsync(scope, learner, EmailType.CancellationConfirmation, $"session-cancelled:{key}", queued, new EmailExtras(SessionCancelled: true), cancellationToken);
                break;
            case LearnerTrigger.Manual when session.EnableCalendar
                && change.From is LearnerStatus.Invited or LearnerStatus.Registered
                && change.To is not (LearnerStatus.Invited or LearnerStatus.Registered or LearnerStatus.Attended or LearnerStatus.Absent or LearnerStatus.GoShow):
                await QueueAsync(scope, learner, EmailType.CalendarCancellation, $"calendar-cancel:{key}", queued, null, cancellationToken);
                break;
        }
    }

    private async Task QueueAsync(SessionScope scope, SessionLearner learner, EmailType type, string key, List<OutboxEmail> queued, EmailExtras? extras, CancellationToken cancellationToken)
    {
        if (await scope.Db.Outbox.AnyAsync(o => o.IdempotencyKey == key, cancellationToken))
        {
            return;
        }

        var email = composer.Compose(scope.Db, scope.Session, learner, type, key, scope.Now, extras);
        scope.Db.Outbox.Add(email);
        queued.Add(email);
    }
}
