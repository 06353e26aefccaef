using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Email;

/// <summary>
/// A decision writes what each email says (words, links, plain text); the HTML and the .ics are built by the send
/// job, so no seat decision spends its write turn rendering.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DeferredRenderingTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Set_Ready_queues_unrendered_invitations_and_the_send_job_renders_each_with_its_calendar()
    {
        var session = await app.NewSessionAsync(capacity: 5, calendar: true, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(3, "deferred");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, Ct);
        Assert.True(added.IsOk, added.Message);
        await app.FeedDispatchedAsync();

        var dispatcher = app.Get<ChangeFeedDispatcher>();
        dispatcher.Pause();
        try
        {
            var ready = await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct);
            Assert.True(ready.IsOk, ready.Message);

            // Committed by the decision: the words and links, not the rendering.
            var queued = await InvitationsAsync(session.Id);
            Assert.Equal(3, queued.Count);
            Assert.All(queued, e =>
            {
                Assert.False(e.IsRendered);
                Assert.Null(e.Calendar);
                Assert.Equal(CalendarInvites.Request, e.CalendarMethod);
                Assert.Contains("/l/", e.TextBody, StringComparison.Ordinal);
            });
        }
        finally
        {
            dispatcher.Resume();
        }

        // No SMTP server here: the send job renders each email and keeps it for the Mailbox.
        var kept = await Patience.UntilJobsMakeAsync(_ => InvitationsAsync(session.Id), rows => rows.All(r => r.State == OutboxState.Kept), "invitations kept", Ct);
        Assert.All(kept, e =>
        {
            Assert.True(e.IsRendered);
            Assert.Contains("Accept", e.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("METHOD:REQUEST", e.Calendar, StringComparison.Ordinal);
            Assert.Contains(e.To, e.Calendar, StringComparison.OrdinalIgnoreCase);
        });
    }

    private async Task<List<OutboxEmail>> InvitationsAsync(int sessionId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Outbox.AsNoTracking().Where(o => o.SessionId == sessionId && o.Type == EmailType.Invitation).ToListAsync(Ct);
    }
}
