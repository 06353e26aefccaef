using System.Text.RegularExpressions;
using LiveSessions.Tests.Browser;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Roster;
using Microsoft.Playwright;

namespace LiveSessions.Tests.Security;

/// <summary>With SMTP configured, nothing the Mailbox shows hands out a working link.</summary>
public sealed partial class MailboxLinkTests : IClassFixture<EmailFixture>
{
    private readonly EmailFixture app;

    public MailboxLinkTests(EmailFixture app) => this.app = app;

    [Fact]
    public async Task With_SMTP_configured_the_Mailbox_shows_an_invitations_links_as_disabled_text()
    {
        var session = await app.NewSessionAsync(capacity: 5, calendar: true);
        var person = (await app.NewEmployeesAsync(1, "mailbox"))[0];
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([person.Email]), AppFixture.Admin, TestContext.Current.CancellationToken);
        Assert.True(added.IsOk, added.Message);

        // The email as sent does carry its links.
        var sent = (await app.WaitForAsync(EmailFixture.To(person.Email, nameof(LiveSessions.Domain.EmailType.Invitation)), 1)).Single();
        Assert.Matches(Token(), sent.TextBody);

        Assertions.SetDefaultExpectTimeout(Patience.CeilingMs);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchAsync(playwright);
        var page = await BrowserFixture.SignInAsync(browser, app.BaseAddress, DemoSeeder.AdminEmail);
        await page.GotoAsync("/mailbox");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("mailbox-mode")).ToContainTextAsync("disabled text");
        await page.GetByText(person.Email).First.ClickAsync();
        var frame = page.Locator("iframe");
        await Assertions.Expect(frame).ToHaveAttributeAsync("srcdoc", new Regex(Regex.Escape(MailboxLinks.Removed)));

        var everything = await page.ContentAsync() + await frame.GetAttributeAsync("srcdoc");
        Assert.DoesNotMatch(Token(), everything);
        Assert.Contains(MailboxLinks.Removed, everything, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"/(l|attendance)/[A-Za-z0-9_\-]{16,}")]
    private static partial Regex Token();
}
