using System.Data.Common;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>Contexts on the app's database that note every query they send: a handler built on it shows its query count.</summary>
public sealed class CountingContextFactory : IDbContextFactory<LiveSessionsDbContext>
{
    private readonly DbContextOptions<LiveSessionsDbContext> options;

    public CountingContextFactory(DbContextOptions<LiveSessionsDbContext> appOptions) =>
        options = new DbContextOptionsBuilder<LiveSessionsDbContext>(appOptions).AddInterceptors(new Counter(Commands)).Options;

    public List<string> Commands { get; } = [];

    public LiveSessionsDbContext CreateDbContext() => new(options);

    private sealed class Counter(List<string> commands) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            lock (commands)
            {
                commands.Add(command.CommandText);
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
