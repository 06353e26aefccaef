using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Persistence;

/// <summary>Each provider has its own migration set, kept in step with the model.</summary>
public sealed class MigrationSetTests
{
    [Fact]
    public void The_model_has_no_change_missing_from_the_SQLite_migrations()
    {
        using var db = new LiveSessionsDbContext(new DbContextOptionsBuilder<LiveSessionsDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration for SQLite (dotnet ef migrations add … --context LiveSessionsDbContext).");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void The_model_has_no_change_missing_from_the_PostgreSQL_migrations()
    {
        using var db = new PostgreSqlDbContext(new DbContextOptionsBuilder<LiveSessionsDbContext>().UseNpgsql("Host=localhost;Database=unused").Options);
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration for PostgreSQL (dotnet ef migrations add … --context PostgreSqlDbContext --output-dir Persistence/Migrations/PostgreSql).");

        // The two sets are apart: neither context runs the other's migrations.
        using var sqlite = new LiveSessionsDbContext(new DbContextOptionsBuilder<LiveSessionsDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.Empty(db.Database.GetMigrations().Intersect(sqlite.Database.GetMigrations()));
    }
}

/// <summary>The app configured with Database:Provider=PostgreSql runs on PostgreSQL, migrated.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlProviderTests(PostgresAppFixture app)
{
    [Fact]
    public async Task The_app_runs_on_PostgreSQL_with_every_migration_applied()
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.IsType<PostgreSqlDbContext>(db);
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.True(await db.Courses.AnyAsync(TestContext.Current.CancellationToken), "the demo data was seeded");
    }
}
