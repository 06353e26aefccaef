using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Dashboard;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Sessions;

namespace LiveSessions.Tests.Dashboard;

/// <summary>The board's per-day counts and the portal's search, translated by the PostgreSQL provider too.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BoardOnPostgreSqlTests(PostgresAppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_board_counts_registrations_per_day_and_the_portal_searches_whatever_the_case_on_PostgreSQL()
    {
        var session = await app.NewSessionAsync(capacity: 3, start: DateTimeOffset.UtcNow.AddMinutes(5));
        var tag = Guid.NewGuid().ToString("N")[..8];
        Assert.True((await app.Get<SaveSession>().UpdateAsync(session.Id, new SessionFields { Title = $"Board {tag.ToUpperInvariant()}" }, AppFixture.Admin, Ct)).IsOk);
        var people = await app.NewEmployeesAsync(2, "pgboard");
        Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), Ct)).IsOk);

        var view = (await app.Get<DashboardBoard>().LoadAsync(new BoardFilter(48), AppFixture.Admin, Ct)).Value!;
        var tile = view.Tiles.Single(t => t.SessionId == session.Id);
        Assert.Equal((1, 2, FillState.UnderFilled), (tile.Taken, tile.Free, tile.State));
        Assert.Equal([.. Enumerable.Repeat(0, DashboardBoard.SparklineDays - 1), 1], tile.RegistrationsPerDay);
        Assert.Contains(view.Activity, a => a.SessionId == session.Id && a.To == LearnerStatus.Registered);

        var found = await app.Get<MySessions>().OpenAsync(AppFixture.LearnerUser(people[1].Email), $"board {tag}", 0, 12, Ct);
        Assert.Equal(session.Id, Assert.Single(found.Sessions).Id);
        Assert.Equal(0, (await app.Get<MySessions>().OpenAsync(AppFixture.LearnerUser(people[0].Email), $"board {tag}", 0, 12, Ct)).Total);
    }
}
