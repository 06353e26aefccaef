using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Roster;
using Microsoft.AspNetCore.Components;

namespace LiveSessions.Tests.Components;

/// <summary>The emails an action queued are counted as they go out, until all of them are.</summary>
[Collection(AppCollection.Name)]
public sealed class EmailProgressTests(AppFixture app) : MudComponentTest(app)
{
    [Fact]
    public async Task Shows_how_many_of_the_actions_emails_are_out_until_all_are()
    {
        var session = await App.NewSessionAsync(capacity: 10, calendar: true);
        var people = await App.NewEmployeesAsync(4, "progress");
        var since = App.Get<TimeProvider>().GetUtcNow();
        var added = await App.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, Ct);
        Assert.True(added.IsOk, added.Message);
        SetRendererInfo(new RendererInfo("Server", true));

        var cut = Render<EmailProgress>(p => p
            .Add(c => c.SessionId, session.Id)
            .Add(c => c.Since, since)
            .Add(c => c.User, AppFixture.Admin));

        // No SMTP server in this app: each invitation is rendered and kept for the Mailbox, and counted as out.
        cut.WaitForAssertion(() => Assert.Equal("Emails: 4 of 4 sent.", cut.Find("[role=status]").TextContent), Patience.Ceiling);
        var bar = cut.Find("[role=progressbar]");
        Assert.Equal("Emails: 4 of 4 sent.", bar.GetAttribute("aria-valuetext"));
    }
}
