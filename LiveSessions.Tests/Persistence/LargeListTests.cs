using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LiveSessions.Tests.Persistence;

/// <summary>Lists of ids past SQLite's 32,766-parameter limit, on the real database file.</summary>
[Collection(AppCollection.Name)]
public sealed class LargeListTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_export_of_40000_selected_ids_answers_with_the_learners_that_exist()
    {
        var session = await app.NewSessionAsync(capacity: 5, waitingList: false);
        var people = await app.NewEmployeesAsync(3, "biglist");
        var ids = new List<int>();
        foreach (var person in people)
        {
            var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct);
            Assert.True(registered.IsOk, registered.Message);
            ids.Add(registered.Value!.Learner.Id);
        }

        // Two of the three, hidden among 40,000 ids that match nobody (a select-all of a big roster looks like this).
        var selected = Enumerable.Range(int.MaxValue - 40_000, 40_000).Concat(ids.Take(2)).ToList();

        var export = await app.Get<ExportLearners>().HandleAsync(session.Id, selected, AppFixture.Admin, Ct);

        Assert.True(export.IsOk, export.Message);
        await using var stream = export.Value!.OpenRead();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        copy.Position = 0;
        var rows = MiniExcel.Query(copy, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(people.Take(2).Select(p => p.Email).Order(StringComparer.Ordinal), rows.Select(r => (string)r["Email"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_query_over_40000_ids_reads_the_rows_they_name()
    {
        var session = await app.NewSessionAsync(capacity: 5, waitingList: false);
        var person = (await app.NewEmployeesAsync(1, "bigquery"))[0];
        var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct);
        var id = registered.Value!.Learner.Id;
        var ids = Enumerable.Range(int.MaxValue - 40_000, 40_000).Append(id).ToList();

        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var found = await db.Learners.Where(l => ids.Contains(l.Id)).Select(l => new { l.Id, l.Status }).ToListAsync(Ct);

        Assert.Equal(id, Assert.Single(found).Id);
        Assert.Equal(LearnerStatus.Registered, found[0].Status);
    }
}
