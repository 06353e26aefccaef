using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Email;

/// <summary>Sends the attendance reminder, with Confirm/Decline links, to every Registered learner of the session.</summary>
public sealed class AttendanceReminderJob(SessionUnitOfWork work, EmailComposer composer)
{
    public async Task<int> RunAsync(int sessionId, long startTicks, long beforeTicks, CancellationToken cancellationToken)
    {
        var outcome = await work.RunAsync<int>(sessionId, async scope =>
        {
            var session = scope.Session;
            var planned = session.Status == SessionStatus.Ready && session.Automation.AttendanceReminderEnabled
                && session.Start.UtcTicks == startTicks && session.Automation.AttendanceReminderBefore.Ticks == beforeTicks;
            if (!planned)
            {
                // The start, the lead time or the setting changed since this job was planned: a newer job covers it.
                return 0;
            }

            var queued = new List<OutboxEmail>();
            foreach (var learner in session.Learners.Where(l => l.Status == LearnerStatus.Registered))
            {
                var key = $"reminder:{session.Id}:{learner.Id}:{startTicks}";
                if (await scope.Db.Outbox.AnyAsync(o => o.IdempotencyKey == key, cancellationToken))
                {
                    continue;
                }

                var email = composer.Compose(scope.Db, session, learner, EmailType.AttendanceReminder, key, scope.Now);
                scope.Db.Outbox.Add(email);
                queued.Add(email);
            }

            await scope.Db.SaveChangesAsync(cancellationToken);
            if (queued.Count > 0)
            {
                scope.Raised.Add(new EmailsQueued(session.Id, queued.Select(q => q.Id).ToList()));
            }

            return queued.Count;
        }, cancellationToken);
        return outcome.Value;
    }
}
