using LiveSessions.Web.Features.Operations;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Email;

public sealed record SendEmailsRequest(EmailType Type, IReadOnlyList<int> LearnerIds, string? Subject = null, string? Body = null);

public sealed record SendEmailsResult(IReadOnlyList<int> Queued, IReadOnlyList<RefusedLearner> Skipped)
{
    /// <summary>In a preview: the email the first eligible learner would get, as HTML.</summary>
    public string? PreviewHtml { get; init; }
}

/// <summary>
/// An admin sends one of the product page's email types to selected learners: only the eligible ones get it, the
/// others are named with the reason. A Waiting Learners Invitation also offers them a seat (first in line first).
/// </summary>
public sealed class SendEmails(DryRun dryRun, EmailComposer composer)
{
    public async Task<Outcome<SendEmailsResult>> HandleAsync(int sessionId, SendEmailsRequest request, CurrentUser user, bool preview = false, CancellationToken cancellationToken = default, IProgress<WorkProgress>? progress = null)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can send emails to learners.");
        }

        if (!EmailEligibility.SendableByHand.Contains(request.Type))
        {
            return Failure.Invalid("type", $"{request.Type} emails are sent automatically. Send one of: {string.Join(", ", EmailEligibility.SendableByHand)}.");
        }

        if (request.LearnerIds is null || request.LearnerIds.Count == 0)
        {
            return Failure.Invalid("learnerIds", "Select at least one learner.");
        }

        if (request.Type == EmailType.CustomNotification && (string.IsNullOrWhiteSpace(request.Subject) || string.IsNullOrWhiteSpace(request.Body)))
        {
            return Failure.Invalid(new Dictionary<string, string>
            {
                ["subject"] = string.IsNullOrWhiteSpace(request.Subject) ? "A custom notification needs a subject." : string.Empty,
                ["body"] = string.IsNullOrWhiteSpace(request.Body) ? "A custom notification needs a message." : string.Empty,
            }.Where(e => e.Value.Length > 0).ToDictionary());
        }

        if (request.Subject?.Length > 300 || request.Body?.Length > 20000)
        {
            return Failure.Invalid("body", "The subject must be 300 characters or fewer and the message 20,000 or fewer.");
        }

        // A preview decides and composes exactly as the send does, on a context that is then discarded.
        return await dryRun.PreviewOrCommitAsync<SendEmailsResult>(!preview, sessionId, async scope =>
        {
            scope.Progress = progress;
            var session = scope.Session;
            var forms = await FormLookup.OfSessionAsync(scope.Db, session.Id, session.CourseId, cancellationToken);
            var queued = new List<int>();
            var composed = new List<OutboxEmail>();
            var skipped = new List<RefusedLearner>();
            var batch = Guid.NewGuid().ToString("N");
            var byId = session.Learners.ToDictionary(l => l.Id);
            var requested = request.LearnerIds.Distinct().Select(id => (Id: id, Learner: byId.GetValueOrDefault(id))).ToList();

            // Waiting-list invitations go first come, first served, whatever order the admin selected in.
            var line = session.WaitingList.Select((l, i) => (l.Id, Position: i)).ToDictionary(p => p.Id, p => p.Position);
            var ordered = request.Type == EmailType.WaitingLearnersInvitation
                ? requested.OrderBy(r => r.Learner is null ? int.MaxValue : line.GetValueOrDefault(r.Learner.Id, int.MaxValue)).ToList()
                : requested;
            var done = 0;
            foreach (var (id, learner) in ordered)
            {
                scope.Progress.Report(preview ? "Checking learners" : "Preparing emails", ++done, ordered.Count);
                if (learner is null)
                {
                    skipped.Add(new RefusedLearner(id, "This learner is not in this session."));
                    continue;
                }

                if (EmailEligibility.WhyNot(request.Type, learner.Status, forms.EmailContextFor(learner, session.End <= scope.Now)) is { } reason)
                {
                    skipped.Add(new RefusedLearner(id, $"{learner.Employee.Name}: {reason}", reason));
                    continue;
                }

                if (request.Type == EmailType.WaitingLearnersInvitation)
                {
                    var offered = session.OfferSeat(learner, user.AsAdmin, scope.Now);
                    if (!offered.IsDone)
                    {
                        skipped.Add(new RefusedLearner(id, $"{learner.Employee.Name}: {offered.Refusal}", offered.Refusal));
                        continue;
                    }

                    // The seat offer itself queues the invitation, as every automatic offer does.
                    queued.Add(learner.Id);
                    continue;
                }

                var email = composer.Compose(scope.Db, session, learner, request.Type, $"manual:{request.Type}:{session.Id}:{learner.Id}:{batch}", scope.Now,
                    new EmailExtras(Subject: request.Subject, Body: request.Body));
                scope.Db.Outbox.Add(email);
                composed.Add(email);
                queued.Add(learner.Id);
            }

            if (preview)
            {
                return new SendEmailsResult(queued, skipped) { PreviewHtml = composed.Count > 0 ? await composer.RenderHtmlAsync(composed[0]) : null };
            }

            scope.Db.AuditEntries.Add(AuditEntry.Of(scope.Now, user.Email, AuditAction.BulkEmail, $"session {sessionId}", $"{request.Type}: {queued.Count} queued, {skipped.Count} skipped"));
            await scope.Db.SaveChangesAsync(cancellationToken);
            if (composed.Count > 0)
            {
                scope.Raised.Add(new EmailsQueued(session.Id, composed.Select(c => c.Id).ToList()));
            }

            return new SendEmailsResult(queued, skipped);
        }, cancellationToken);
    }
}

public sealed record OutboxRow(long Id, int SessionId, int? LearnerId, string To, EmailType Type, string Subject, OutboxState State, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? Error);

/// <summary>How far the emails of one action have gone: delivered (or kept for the Mailbox), failed for now, still waiting.</summary>
public sealed record EmailProgressView(int Total, int Done, int Failing)
{
    public int Waiting => Total - Done - Failing;

    public bool Finished => Total > 0 && Waiting == 0;
}

/// <summary>What was sent and queued: GET /api/outbox and the Mailbox page.</summary>
public sealed class OutboxQueries(IDbContextFactory<Persistence.LiveSessionsDbContext> contextFactory)
{
    /// <summary>The emails of a session queued at or after <paramref name="since"/> (one action's), by how far they got.</summary>
    public async Task<EmailProgressView> ProgressAsync(int sessionId, DateTimeOffset since, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return new EmailProgressView(0, 0, 0);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var states = await db.Outbox.AsNoTracking().Where(o => o.SessionId == sessionId && o.CreatedAt >= since)
            .GroupBy(o => o.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return new EmailProgressView(
            states.Sum(s => s.Count),
            states.Where(s => s.State is OutboxState.Sent or OutboxState.Kept).Sum(s => s.Count),
            states.Where(s => s.State == OutboxState.Failed).Sum(s => s.Count));
    }

    public async Task<Outcome<IReadOnlyList<OutboxRow>>> ListAsync(int? sessionId, string? to, EmailType? type, int take, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can read the outbox.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Outbox.AsNoTracking();
        if (sessionId is { } s)
        {
            query = query.Where(o => o.SessionId == s);
        }

        if (!string.IsNullOrWhiteSpace(to))
        {
            var wanted = to.Trim().ToLowerInvariant();
            query = query.Where(o => o.To == wanted);
        }

        if (type is { } t)
        {
            query = query.Where(o => o.Type == t);
        }

        return await query.OrderByDescending(o => o.Id).Take(Math.Clamp(take, 1, 1000))
            .Select(o => new OutboxRow(o.Id, o.SessionId, o.LearnerId, o.To, o.Type, o.Subject, o.State, o.Attempts, o.CreatedAt, o.SentAt, o.Error))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The emails of one learner of a session, newest first: shown beside their status history.</summary>
    public async Task<IReadOnlyList<OutboxRow>> ForLearnerAsync(int sessionId, int learnerId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return [];
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().Where(o => o.SessionId == sessionId && o.LearnerId == learnerId).OrderByDescending(o => o.Id)
            .Select(o => new OutboxRow(o.Id, o.SessionId, o.LearnerId, o.To, o.Type, o.Subject, o.State, o.Attempts, o.CreatedAt, o.SentAt, o.Error))
            .ToListAsync(cancellationToken);
    }

    public async Task<OutboxEmail?> GetAsync(long id, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
    }
}
