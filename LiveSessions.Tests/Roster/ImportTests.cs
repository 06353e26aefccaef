using System.Text;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Roster;

[Collection(AppCollection.Name)]
public sealed class ImportTests(AppFixture app)
{
    [Fact]
    public async Task Importing_learners_previews_every_row_then_adds_only_the_good_ones()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(3, "imp");
        await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([people[2].Email]), AppFixture.Admin, TestContext.Current.CancellationToken);
        var csv = $"email\n{people[0].Email}\n{people[1].Email.ToUpperInvariant()}\nnobody@nowhere.example\n{people[0].Email}\n{people[2].Email}\nnot-an-email\n";

        var preview = await ImportAsync(session.Id, csv, commit: false);
        Assert.False(preview.Committed);
        Assert.Equal(
            [ImportRowOutcome.WillBeAdded, ImportRowOutcome.WillBeAdded, ImportRowOutcome.UnknownEmail, ImportRowOutcome.DuplicateRow, ImportRowOutcome.AlreadyInSession, ImportRowOutcome.InvalidEmail],
            preview.Rows.Select(r => r.Outcome).ToList());
        Assert.Equal([2, 3, 4, 5, 6, 7], preview.Rows.Select(r => r.Row).ToList());
        Assert.Equal(1, await CountAsync(session.Id));

        var committed = await ImportAsync(session.Id, csv, commit: true);
        Assert.True(committed.Committed);
        Assert.Equal(2, committed.Added.Count);
        Assert.All(committed.Added, a => Assert.Equal(LearnerStatus.NotInvited, a.Status));
        Assert.Equal(4, committed.Skipped.Count);
        Assert.Equal(3, await CountAsync(session.Id));
    }

    [Fact]
    public async Task A_file_without_an_email_column_is_refused_with_a_clear_message()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("mail\na@b.example\n"));
        var outcome = await app.Get<ImportLearners>().HandleAsync(session.Id, stream, "people.csv", true, AppFixture.Admin, TestContext.Current.CancellationToken);
        Assert.False(outcome.IsOk);
        Assert.Contains("\"email\"", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_the_directory_adds_new_people_updates_known_ones_and_links_managers_from_the_same_file()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var known = (await app.NewEmployeesAsync(1, "known"))[0];
        var csv = $"email,name,department,manager email\n"
            + $"boss.{tag}@test.example,Boss {tag},Sales,\n"
            + $"worker.{tag}@test.example,Worker {tag},Sales,boss.{tag}@test.example\n"
            + $"{known.Email},Renamed {tag},Finance,boss.{tag}@test.example\n"
            + $"worker.{tag}@test.example,Again,Sales,\n"
            + ",No Email,Sales,\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var outcome = await app.Get<ImportEmployees>().HandleAsync(stream, "directory.csv", true, AppFixture.Admin, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(
            [EmployeeImportOutcome.Added, EmployeeImportOutcome.Added, EmployeeImportOutcome.Updated, EmployeeImportOutcome.DuplicateRow, EmployeeImportOutcome.Invalid],
            outcome.Value!.Rows.Select(r => r.Outcome).ToList());
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var worker = await db.Employees.Include(e => e.Manager).SingleAsync(e => e.Email == $"worker.{tag}@test.example", TestContext.Current.CancellationToken);
        Assert.Equal($"boss.{tag}@test.example", worker.Manager!.Email);
        var renamed = await db.Employees.Include(e => e.Manager).SingleAsync(e => e.Id == known.Id, TestContext.Current.CancellationToken);
        Assert.Equal(($"Renamed {tag}", "Finance", $"boss.{tag}@test.example"), (renamed.Name, renamed.Department, renamed.Manager!.Email));
    }

    private async Task<ImportLearnersResult> ImportAsync(int sessionId, string csv, bool commit)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var outcome = await app.Get<ImportLearners>().HandleAsync(sessionId, stream, "learners.csv", commit, AppFixture.Admin, TestContext.Current.CancellationToken);
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!;
    }

    private async Task<int> CountAsync(int sessionId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Learners.CountAsync(l => l.SessionId == sessionId, TestContext.Current.CancellationToken);
    }
}
