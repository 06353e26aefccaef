using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LiveSessions.Web.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LiveSessionsDbContext>
{
    public LiveSessionsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LiveSessionsDbContext>().UseSqlite("Data Source=design.db").Options);
}
