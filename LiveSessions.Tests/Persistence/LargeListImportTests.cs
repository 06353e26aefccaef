using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LiveSessions.Tests.Persistence;

/// <summary>Imports of 50,000 rows, previewed and committed end to end on the real database file.</summary>
[Collection(AppCollection.Name)]
public sealed class LargeListImportTests(AppFixture app)
{
    private const int Rows = 50_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_50000_row_learner_import_through_the_api_previews_every_row_without_a_change_then_adds_all_of_them()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var emails = await DirectoryOfAsync(Rows);
        using var file = new MemoryStream();
        await file.SaveAsAsync(emails.Select(e => new Dictionary<string, object> { ["email"] = e }), cancellationToken: Ct);
        var bytes = file.ToArray();
        using var admin = await app.AdminAsync();

        using var preview = await ImportAsync(admin, session.Id, bytes, preview: true);
        Assert.False(preview.RootElement.GetProperty("committed").GetBoolean());
        var previewRows = preview.RootElement.GetProperty("rows");
        Assert.Equal(Rows, previewRows.GetArrayLength());
        Assert.All(previewRows.EnumerateArray(), r => Assert.Equal("WillBeAdded", r.GetProperty("outcome").GetString()));
        Assert.Equal(0, await LearnerCountAsync(session.Id));

        using var committed = await ImportAsync(admin, session.Id, bytes, preview: false);
        Assert.True(committed.RootElement.GetProperty("committed").GetBoolean());
        Assert.Equal(Rows, committed.RootElement.GetProperty("added").GetArrayLength());
        Assert.Equal(0, committed.RootElement.GetProperty("skipped").GetArrayLength());
        Assert.Equal(Rows, await LearnerCountAsync(session.Id));
    }

    [Fact]
    public async Task A_50000_row_directory_import_previews_without_a_change_then_adds_everyone_with_their_managers()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = new StringBuilder("email,name,department,manager email\n");
        csv.Append($"boss.{tag}@bulk.example,Boss {tag},Board,\n");

        // A lead for every 100 people, each lead reporting to the boss; leads come after some of their people.
        for (var i = 1; i < Rows; i++)
        {
            var manager = i % 100 == 0 ? $"boss.{tag}@bulk.example" : $"p{(i / 100 * 100) + 100}.{tag}@bulk.example";
            csv.Append($"p{i}.{tag}@bulk.example,Person {i} {tag},Team {i / 100},{manager}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var import = app.Get<ImportEmployees>();

        var preview = await ImportDirectoryAsync(import, bytes, commit: false);
        Assert.False(preview.Committed);
        Assert.Equal(Rows, preview.Rows.Count);
        Assert.All(preview.Rows, r => Assert.Equal(EmployeeImportOutcome.Added, r.Outcome));
        Assert.Equal(0, await EmployeeCountAsync(tag));

        var committed = await ImportDirectoryAsync(import, bytes, commit: true);
        Assert.True(committed.Committed);
        Assert.Equal(Rows, committed.Rows.Count(r => r.Outcome == EmployeeImportOutcome.Added));
        Assert.Equal(Rows, await EmployeeCountAsync(tag));
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var person = await db.Employees.Include(e => e.Manager).ThenInclude(m => m!.Manager).SingleAsync(e => e.Email == $"p4321.{tag}@bulk.example", Ct);
        Assert.Equal(($"p4400.{tag}@bulk.example", $"boss.{tag}@bulk.example"), (person.Manager!.Email, person.Manager.Manager!.Email));
    }

    /// <summary>Puts <paramref name="count"/> new people in the directory in one statement and returns their emails.</summary>
    private async Task<List<string>> DirectoryOfAsync(int count)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        using (await app.Get<SqliteWriteQueue>().EnterAsync(db, Ct))
        {
            // Setup only, so one INSERT rather than 50,000 tracked entities: the import under test is what reads them.
            await db.Database.ExecuteSqlAsync($"""
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1})
                INSERT INTO Employees (Name, Email, Department) SELECT 'Learner ' || i || ' ' || {tag}, 'l' || i || '.' || {tag} || '@bulk.example', 'Bulk' FROM n
                """, Ct);
        }

        return Enumerable.Range(0, count).Select(i => $"l{i}.{tag}@bulk.example").ToList();
    }

    private static async Task<JsonDocument> ImportAsync(HttpClient admin, int sessionId, byte[] xlsx, bool preview)
    {
        var content = new ByteArrayContent(xlsx);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var form = new MultipartFormDataContent { { content, "file", "learners.xlsx" } };
        var response = await admin.PostAsync($"/api/sessions/{sessionId}/learners/import?preview={(preview ? "true" : "false")}", form, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        return JsonDocument.Parse(body);
    }

    private static async Task<EmployeeImportResult> ImportDirectoryAsync(ImportEmployees import, byte[] csv, bool commit)
    {
        using var stream = new MemoryStream(csv);
        var outcome = await import.HandleAsync(stream, "directory.csv", commit, AppFixture.Admin, Ct);
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!;
    }

    private async Task<int> LearnerCountAsync(int sessionId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.CountAsync(l => l.SessionId == sessionId, Ct);
    }

    private async Task<int> EmployeeCountAsync(string tag)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Employees.CountAsync(e => e.Email.EndsWith($".{tag}@bulk.example"), Ct);
    }
}
