using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LiveSessions.Web.Persistence;

/// <summary>
/// The app's model on PostgreSQL. A type of its own only so that EF keeps a migration set per provider: each
/// migration names the context type it belongs to, and this one's live in Persistence/Migrations/PostgreSql.
/// </summary>
public sealed class PostgreSqlDbContext(DbContextOptions<LiveSessionsDbContext> options) : LiveSessionsDbContext(options);

/// <summary>Hands out <see cref="PostgreSqlDbContext"/> wherever the app asks for a <see cref="LiveSessionsDbContext"/>.</summary>
public sealed class PostgreSqlDbContextFactory(DbContextOptions<LiveSessionsDbContext> options) : IDbContextFactory<LiveSessionsDbContext>
{
    public LiveSessionsDbContext CreateDbContext() => new PostgreSqlDbContext(options);
}

/// <summary>Lets `dotnet ef migrations add … --context PostgreSqlDbContext` build the model without a server.</summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlDbContext>
{
    public PostgreSqlDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LiveSessionsDbContext>().UseNpgsql("Host=localhost;Database=livesessions_design").Options);
}
