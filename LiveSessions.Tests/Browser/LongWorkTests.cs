using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>Long work shows that it is under way, then what it did.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LongWorkTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Setting_500_learners_Ready_shows_progress_until_it_is_done()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 600, calendar: true, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(500, "bulkready");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct);
        Assert.Equal(500, added.Value!.Added.Count);

        var page = await browser.SignInAsync("admin@demo.local", viewport: new ViewportSize { Width = 820, Height = 1180 });
        await page.GotoAsync($"/sessions/{session.Id}");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set Ready" }).ClickAsync();

        // The test holds the database's write turn, so the change waits for it: the page must show the work under way.
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            using var turn = await app.Get<SqliteWriteQueue>().EnterAsync(db, Ct);
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Set Ready" }).ClickAsync();
            var progress = page.GetByTestId("work-progress");
            await Expect(progress).ToBeVisibleAsync();
            await Expect(progress).ToContainTextAsync("Changing the session's status");
            await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Changing the session's status" })).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "session page while setting Ready");
        }

        // Done: the bar goes, the status and the invitations' delivery show.
        await Expect(page.GetByTestId("work-progress")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Session status: Ready")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("email-progress")).ToContainTextAsync("500");
    }

    [Fact]
    public async Task Exporting_250_learners_shows_progress_then_downloads_every_one_of_them()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 300, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(250, "bulkexport");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct);
        Assert.Equal(250, added.Value!.Added.Count);

        var page = await browser.SignInAsync("admin@demo.local", viewport: new ViewportSize { Width = 820, Height = 1180 });
        var path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.xlsx");
        try
        {
            await page.GotoAsync($"/sessions/{session.Id}");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Expect(LearnersCardSteps.LearnersGrid(page).GetByRole(AriaRole.Row).Nth(1)).ToBeVisibleAsync();
            var downloaded = page.WaitForDownloadAsync();

            // The export records itself in the audit log last, in the database's write turn, which the test holds:
            // every row is written by then and the card must still show the work under way, not a finished download.
            await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
            {
                using var turn = await app.Get<SqliteWriteQueue>().EnterAsync(db, Ct);
                await LearnersCardSteps.ChooseActionAsync(page, "Export all");
                var progress = page.GetByTestId("work-progress");
                await Expect(progress).ToContainTextAsync("Writing learners");
                await Expect(progress).ToContainTextAsync("250 of 250");
                await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Exporting learners" })).ToBeVisibleAsync();
                Assert.False(downloaded.IsCompleted, "The download began before the export was done.");
                await Accessibility.AssertNoSeriousViolationsAsync(page, "session page while exporting");
            }

            var download = await downloaded;
            Assert.Null(await download.FailureAsync());
            await download.SaveAsAsync(path);
            Assert.Equal(250, MiniExcelLibs.MiniExcel.Query(path, useHeaderRow: true).Count());
            await Expect(page.GetByTestId("work-progress")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("export-result")).ToContainTextAsync("Exported 250 learners to");
        }
        finally
        {
            await page.Context.CloseAsync();
            File.Delete(path);
        }
    }
}
