using System.Net;
using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Security;

/// <summary>An email link's form sent twice (a double click, the back button) answers the "already used" page.</summary>
[Collection(AppCollection.Name)]
public sealed partial class LinkRepostTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Posting_a_used_link_again_shows_the_already_used_page_and_changes_nothing()
    {
        var session = await app.NewSessionAsync(capacity: 5, calendar: true);
        var person = (await app.NewEmployeesAsync(1, "repost"))[0];
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([person.Email]), AppFixture.Admin, Ct);
        var learnerId = added.Value!.Added.Single().Id;
        string text;
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            text = await db.Outbox.Where(o => o.LearnerId == learnerId && o.Type == EmailType.Invitation).Select(o => o.TextBody).SingleAsync(Ct);
        }

        // The invitation's Decline link.
        var decline = LinkPath().Matches(text).Select(m => m.Value).Last();
        using var handler = new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        var page = await browser.GetStringAsync(decline, Ct);
        var form = new Dictionary<string, string>
        {
            ["_handler"] = "link-action",
            ["__RequestVerificationToken"] = Accounts.AntiforgeryToken(page),
        };

        using var first = await browser.PostAsync(decline, new FormUrlEncodedContent(form), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var again = await browser.PostAsync(decline, new FormUrlEncodedContent(form), Ct);
        var answer = await again.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("This link was already used", answer, StringComparison.Ordinal);
        await using var check = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(1, await check.StatusChanges.CountAsync(h => h.SessionLearnerId == learnerId && h.To == LearnerStatus.Declined, Ct));
    }

    [GeneratedRegex(@"/l/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPath();

}
