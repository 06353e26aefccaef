using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Roster;
using Microsoft.Playwright;
using MiniExcelLibs;
using static LiveSessions.Tests.Browser.LearnersCardSteps;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>Add learners from a file (preview first, then import) and export the selected learners as .xlsx.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportExportTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_imports_a_csv_sees_each_rows_result_before_anything_is_added_then_imports_the_good_rows()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 10);
        var people = await app.NewEmployeesAsync(3, "import");
        var (good1, good2, existing) = (people[0], people[1], people[2]);
        var present = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([existing.Email]), AppFixture.Admin, ct);
        Assert.True(present.IsOk, present.Message);
        var unknown = $"nobody.{Guid.NewGuid():N}@test.example";

        // Row numbers as a spreadsheet shows them: the header is row 1.
        var folder = Directory.CreateTempSubdirectory("livesessions-import-");
        var csv = Path.Combine(folder.FullName, "new-learners.csv");
        await File.WriteAllTextAsync(csv, string.Join('\n',
            "email,name",
            $"{good1.Email},{good1.Name}",
            $"{unknown},Nobody",
            $"{good1.Email.ToUpperInvariant()},{good1.Name} again",
            $"{existing.Email},{existing.Name}",
            $"{good2.Email},{good2.Name}") + "\n", ct);

        var page = await browser.SignInAsync("admin@demo.local");
        try
        {
            await OpenSessionAsync(page, session.Id, existing.Email);
            await Expect(page.GetByTestId("learner-total")).ToHaveTextAsync("1 learner");

            await page.GetByRole(AriaRole.Button, new() { Name = "Add learners", Exact = true }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add learners" });
            await dialog.GetByRole(AriaRole.Tab, new() { Name = "Import file" }).ClickAsync();
            await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true })).ToBeDisabledAsync();
            // A file set before Blazor's InputFile has hooked its input would go unseen: wait for its hook first.
            var input = dialog.Locator("input[type=file]");
            await page.WaitForFunctionAsync("el => el._blazorInputFileNextFileId !== undefined", await input.ElementHandleAsync());
            await input.SetInputFilesAsync(csv);

            // The preview: each row's result, and nothing added yet.
            await Expect(dialog.GetByTestId("import-summary")).ToHaveTextAsync("Preview: 2 to add, 3 skipped.");
            var rows = dialog.GetByLabel("Import rows").GetByRole(AriaRole.Row);
            await Expect(rows).ToHaveCountAsync(6);
            await ExpectRowAsync(rows, 2, good1.Email, "Will be added as Not Invited.");
            await ExpectRowAsync(rows, 3, unknown, "No employee has this email.");
            await ExpectRowAsync(rows, 4, good1.Email, "This email is listed earlier in the file.");
            await ExpectRowAsync(rows, 5, existing.Email, "Already in this session (Not Invited).");
            await ExpectRowAsync(rows, 6, good2.Email, "Will be added as Not Invited.");
            await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true })).ToBeEnabledAsync();
            await SettleAsync(page);
            await Screenshots.SaveAsync(page, "import-preview.png");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the import preview");

            var before = await app.Get<RosterQueries>().ListAsync(session.Id, null, AppFixture.Admin, ct);
            Assert.Equal([existing.Email], before.Value!.Select(l => l.Email));
            await Expect(Row(page, good1.Email)).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("learner-total")).ToHaveTextAsync("1 learner");

            // Import: the good rows are added, the others still skipped with their reason.
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
            await Expect(dialog.GetByTestId("import-summary")).ToHaveTextAsync("Imported: 2 to add, 3 skipped.");
            await ExpectRowAsync(rows, 2, good1.Email, "Added as Not Invited.");
            await ExpectRowAsync(rows, 3, unknown, "No employee has this email.");
            await ExpectRowAsync(rows, 6, good2.Email, "Added as Not Invited.");
            await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true })).ToBeDisabledAsync();
            // The dialog's own Close, not the file chip's close icon (also named "Close").
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).Filter(new() { HasText = "Close" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();

            await Expect(StatusChip(page, good1.Email, "Not Invited")).ToBeVisibleAsync();
            await Expect(StatusChip(page, good2.Email, "Not Invited")).ToBeVisibleAsync();
            await Expect(LearnersGrid(page).GetByText(unknown)).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("learner-total")).ToHaveTextAsync("3 learners");
            var after = await app.Get<RosterQueries>().ListAsync(session.Id, null, AppFixture.Admin, ct);
            Assert.Equal(new[] { existing.Email, good1.Email, good2.Email }.Order(), after.Value!.Select(l => l.Email).Order());
        }
        finally
        {
            await page.Context.CloseAsync();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Admin_exports_exactly_the_selected_learners_and_formula_like_text_stays_plain_text()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 10);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var formula = await app.Get<EmployeeDirectory>().CreateAsync(new EmployeeFields("=HYPERLINK(1)", $"formula.{tag}@test.example", "+Sales", null), AppFixture.Admin, ct);
        Assert.True(formula.IsOk, formula.Message);
        var people = await app.NewEmployeesAsync(2, "export");
        var (plain, notSelected) = (people[0], people[1]);
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([formula.Value!.Email, plain.Email, notSelected.Email]), AppFixture.Admin, ct);
        Assert.True(added.IsOk, added.Message);
        Assert.Equal(3, added.Value!.Added.Count);

        var page = await browser.SignInAsync("admin@demo.local");
        var path = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.xlsx");
        try
        {
            await OpenSessionAsync(page, session.Id, plain.Email);
            await SelectAsync(page, "=HYPERLINK(1)");
            await SelectAsync(page, plain.Name);
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("2 selected");

            var exportItem = await OpenActionsAsync(page, "Export selected");
            var download = await page.RunAndWaitForDownloadAsync(() => exportItem.ClickAsync());
            Assert.Null(await download.FailureAsync());
            Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
            await download.SaveAsAsync(path);
            await Expect(page.GetByTestId("export-result")).ToContainTextAsync($"Exported 2 learners to {download.SuggestedFilename}.");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the session page after an export");

            var sheet = MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(2, sheet.Count);
            Assert.Equal(
                new[] { formula.Value.Email, plain.Email }.Order(),
                sheet.Select(r => Convert.ToString(r["Email"], System.Globalization.CultureInfo.InvariantCulture)).Order());
            var risky = sheet.Single(r => Equals(r["Email"], formula.Value.Email));
            Assert.Equal("=HYPERLINK(1)", risky["Name"]);
            Assert.Equal("+Sales", risky["Department"]);
            Assert.Equal(LearnerStatus.NotInvited.Display(), risky["Status"]);
            var safe = sheet.Single(r => Equals(r["Email"], plain.Email));
            Assert.Equal(plain.Name, safe["Name"]);
            Assert.Equal("Testing", safe["Department"]);
            Assert.DoesNotContain(sheet, r => Equals(r["Email"], notSelected.Email));
        }
        finally
        {
            await page.Context.CloseAsync();
            File.Delete(path);
        }
    }

    /// <summary>The card and its dialogs as the docs show them (saved only with UPDATE_DOCS=1).</summary>
    [Fact]
    public async Task The_learners_card_and_its_Update_Status_and_Copy_dialogs_show_what_they_act_on()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 6);
        var target = await app.NewSessionAsync(capacity: 6, courseId: session.CourseId);
        var people = await app.NewEmployeesAsync(8, "docs");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, ct);
        Assert.True(added.IsOk, added.Message);
        var ids = added.Value!.Added.ToDictionary(l => l.Email, l => l.Id);
        await SetStatusAsync(LearnerStatus.Registered, people[0], people[1], people[2], people[3], people[4]);
        await SetStatusAsync(LearnerStatus.Declined, people[5]);

        var page = await browser.SignInAsync("admin@demo.local", viewport: new ViewportSize { Width = 1400, Height = 1200 });
        try
        {
            await OpenSessionAsync(page, session.Id, people[7].Email);
            await Expect(page.GetByTestId("card-fill-rate")).ToHaveTextAsync("83 %");
            await Expect(page.GetByTestId("card-seats")).ToContainTextAsync("5 taken · 0 held · 1 free of 6");
            await SelectAsync(page, people[6].Name);
            await SelectAsync(page, people[7].Name);
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("2 selected");
            await SettleAsync(page);

            // Update Status: registering two learners with one free seat warns about overbooking.
            await ChooseActionAsync(page, "Update Status");
            var update = page.GetByRole(AriaRole.Dialog, new() { Name = "Update Status" });
            await Expect(update.GetByTestId("applies-to")).ToHaveTextAsync("The change applies to 2 selected learners.");
            await Expect(page.GetByRole(AriaRole.Menu)).ToBeHiddenAsync();
            await PickAsync(page, update, "New status", "Registered");
            await Expect(update.GetByTestId("overbook-warning")).ToContainTextAsync("This needs 2 seats and only 1 is free");
            await Expect(update.GetByRole(AriaRole.Button, new() { Name = "Update 2", Exact = true })).ToBeDisabledAsync();
            await SettleAsync(page);
            await Screenshots.SaveAsync(page, "update-status-dialog.png");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the Update Status dialog warning about overbooking");
            await update.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
            await Expect(update).ToBeHiddenAsync();

            // Copy: the other sessions of the course are the targets.
            await ChooseActionAsync(page, "Copy");
            var copy = page.GetByRole(AriaRole.Dialog, new() { Name = "Copy Learners" });
            await Expect(copy).ToContainTextAsync("Copy 2 selected learners to another session of the same course.");
            await Expect(page.GetByRole(AriaRole.Menu)).ToBeHiddenAsync();
            await PickAsync(page, copy, "Target session", target.Title, exact: false);
            await Expect(copy.GetByRole(AriaRole.Button, new() { Name = "Copy 2", Exact = true })).ToBeEnabledAsync();
            await SettleAsync(page);
            await Screenshots.SaveAsync(page, "copy-dialog.png");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the Copy Learners dialog");
            await copy.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
            await Expect(copy).ToBeHiddenAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        async Task SetStatusAsync(LearnerStatus status, params EmployeeRow[] who)
        {
            var outcome = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest(who.Select(w => ids[w.Email]).ToList(), status), AppFixture.Admin, ct);
            Assert.True(outcome.IsOk, outcome.Message);
            Assert.Empty(outcome.Value!.Refused);
        }
    }

    private static async Task ExpectRowAsync(ILocator rows, int row, string email, string result)
    {
        var line = rows.Filter(new() { Has = rows.Page.GetByRole(AriaRole.Cell, new() { Name = row.ToString(System.Globalization.CultureInfo.InvariantCulture), Exact = true }) });
        await Expect(line.GetByRole(AriaRole.Cell)).ToHaveTextAsync([row.ToString(System.Globalization.CultureInfo.InvariantCulture), email, result]);
    }
}
