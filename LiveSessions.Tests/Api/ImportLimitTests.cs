using System.Net;
using System.Text;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Api;

/// <summary>An import past the row limit is refused whole, with the limit in the answer.</summary>
[Collection(AppCollection.Name)]
public sealed class ImportLimitTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_150000_row_learner_import_answers_400_with_the_limit_and_adds_nobody()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var person = (await app.NewEmployeesAsync(1, "limit"))[0];

        // A known employee in the first row: were the file taken in part, that learner would be added.
        var csv = new StringBuilder("email\n").Append(person.Email).Append('\n');
        for (var i = 1; i < 150_000; i++)
        {
            csv.Append("row").Append(i).Append("@big.example\n");
        }

        using var admin = await app.AdminAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "file", "learners.csv" },
        };
        var problem = await (await admin.PostAsync($"/api/sessions/{session.Id}/learners/import", form, Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("more than 100,000 rows", problem.ToString(), StringComparison.Ordinal);
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(0, await db.Learners.CountAsync(l => l.SessionId == session.Id, Ct));
    }
}
