using System.Text;
using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Components;

[Collection(AppCollection.Name)]
public sealed class LargeImportDialogTests(AppFixture app) : MudComponentTest(app)
{
    [Fact]
    public async Task Import_tab_previews_and_imports_a_50000_row_file_and_lists_only_the_first_skipped_rows()
    {
        var session = await App.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var people = await App.NewEmployeesAsync(10, "bigfile");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = new StringBuilder("email\n");
        foreach (var person in people)
        {
            csv.Append(person.Email).Append('\n');
        }

        for (var i = people.Count; i < 50_000; i++)
        {
            csv.Append("nobody").Append(i).Append('.').Append(tag).Append("@test.example\n");
        }

        var cut = await RenderCardAsync(session.Id);
        await cut.ClickAsync(c => c.Find("button[aria-label='Add learners']"));
        cut.WaitForElement("[role=dialog]", MudSteps.Wait);
        await cut.TabAsync("Import file");
        // bUnit's UploadFiles waits for the dialog's handler; called on the renderer it would block the very
        // dispatcher the handler returns to (it reads the file off the circuit), so it is called beside it.
        var input = cut.FindComponent<InputFile>();
        await Task.Run(() => input.UploadFiles(InputFileContent.CreateFromText(csv.ToString(), "learners.csv")), Ct);

        cut.WaitForAssertion(() => Assert.Equal("Preview: 10 to add, 49990 skipped.", cut.TestId("import-summary")), MudSteps.Wait);
        Assert.Equal("50,000 rows: the first 200 of the 49,990 skipped rows are listed, not the 10 to add.", cut.TestId("import-rows-shown"));
        Assert.Equal(200, cut.FindAll("[aria-label='Import rows'] tbody tr").Count);
        Assert.Equal(0, await LearnerCountAsync(session.Id));

        await cut.ClickAsync("Import");
        cut.WaitForAssertion(() => Assert.Equal("Imported: 10 to add, 49990 skipped.", cut.TestId("import-summary")), MudSteps.Wait);
        Assert.Equal(10, await LearnerCountAsync(session.Id));
    }

    private async Task<int> LearnerCountAsync(int sessionId)
    {
        await using var db = await App.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.CountAsync(l => l.SessionId == sessionId, Ct);
    }
}
