using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Email;

/// <summary>Emails a stopped process left half-sent go out once, soon, under the Message-ID of their first try.</summary>
[Collection(EmailCollection.Name)]
public sealed class InterruptedSendTests(EmailFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_Message_ID_is_a_SHA_256_of_the_idempotency_key_and_the_same_in_every_process()
    {
        // SHA-256("abc") from FIPS 180-2: a hash code that changed per process would not match it.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad@livesessions", OutboxEmail.MessageIdFor("abc"));
        var email = new OutboxEmail { IdempotencyKey = "abc", To = "a@b.c", Subject = "s", HtmlBody = "h", TextBody = "t" };
        Assert.Equal(OutboxEmail.MessageIdFor("abc"), email.MessageId);
        Assert.NotEqual(OutboxEmail.MessageIdFor("abd"), email.MessageId);
    }

    [Fact]
    public async Task A_send_interrupted_by_a_crash_is_sent_once_by_the_next_sweep_with_the_same_Message_ID_and_a_send_in_progress_is_left_alone()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        var people = await app.NewEmployeesAsync(2, "crash");
        foreach (var person in people)
        {
            await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct);
            await app.WaitForAsync(EmailFixture.To(person.Email, "RegistrationConfirmation"), 1);
        }

        // What a process killed mid-send leaves: the row claimed (Sending) two minutes ago, the message never accepted.
        // Beside it, a send claimed a moment ago, which may still be talking to the SMTP server.
        var now = DateTimeOffset.UtcNow;
        var abandoned = await QueueAsync(session.Id, people[0].Email, "Interrupted send", sendingSince: now.AddMinutes(-2));
        var inProgress = await QueueAsync(session.Id, people[1].Email, "Send in progress", sendingSince: now);

        await app.Get<OutboxSweep>().RunAsync(Ct);

        var message = Assert.Single(await app.WaitForAsync(m => m.Subject == "Interrupted send", 1));
        Assert.Equal(abandoned.MessageId, message.MessageId);
        var sent = await Patience.UntilJobsMakeAsync(token => OutboxAsync(abandoned.Id, token), o => o.State == OutboxState.Sent, "the interrupted email to be Sent", Ct);
        Assert.Equal(2, sent.Attempts);

        // A second sweep finds nothing left to do: the email is not sent twice, and the recent claim is untouched.
        await app.Get<OutboxSweep>().RunAsync(Ct);
        Assert.Equal(OutboxState.Sending, (await OutboxAsync(inProgress.Id, Ct)).State);
        Assert.DoesNotContain(app.Received(), m => m.Subject == "Send in progress");
        await app.WaitForAsync(m => m.Subject == "Interrupted send", 1);
        Assert.Single(app.Received(), m => m.Subject == "Interrupted send");
    }

    private async Task<OutboxEmail> QueueAsync(int sessionId, string email, string subject, DateTimeOffset sendingSince)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var session = (await Web.Features.Shared.SessionUnitOfWork.LoadAsync(db, sessionId, Ct))!;
        var learner = session.Learners.Single(l => l.Employee.Email == email);
        var row = app.Get<EmailComposer>().Compose(db, session, learner, EmailType.CustomNotification, $"crash:{Guid.NewGuid()}", DateTimeOffset.UtcNow, new EmailExtras(subject, "Body"));
        row.State = OutboxState.Sending;
        row.Attempts = 1;
        row.SendingSince = sendingSince;
        db.Outbox.Add(row);
        await db.SaveChangesAsync(Ct);
        return row;
    }

    private async Task<OutboxEmail> OutboxAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(cancellationToken);
        return await db.Outbox.AsNoTracking().SingleAsync(o => o.Id == id, cancellationToken);
    }
}
