using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Persistence;

/// <summary>Every connection the app opens writes in WAL with synchronous FULL: a commit is on disk when acknowledged.</summary>
[Collection(AppCollection.Name)]
public sealed class SqliteSettingsTests(AppFixture app)
{
    [Fact]
    public async Task Connections_use_the_write_ahead_log_and_sync_every_commit()
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var connection = db.Database.GetDbConnection();

        Assert.Equal("wal", Pragma(connection, "journal_mode"));

        // 2 is FULL: SQLite's own default would be 2 as well, so the setting is checked after switching it off here.
        Assert.Equal("2", Pragma(connection, "synchronous"));
        using (var off = connection.CreateCommand())
        {
            off.CommandText = "PRAGMA synchronous=OFF;";
            off.ExecuteNonQuery();
        }

        await db.Database.CloseConnectionAsync();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        Assert.Equal("2", Pragma(db.Database.GetDbConnection(), "synchronous"));
    }

    private static string Pragma(System.Data.Common.DbConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
