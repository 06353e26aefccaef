using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LiveSessions.Web.Features.Live;

/// <summary>
/// On PostgreSQL, wakes this node's change-feed dispatcher when any node commits a change: each unit of work sends
/// <c>pg_notify</c> inside its transaction, and this service LISTENs on one connection of its own. A lost connection
/// is reopened after a pause; meanwhile the dispatcher still reads the feed every <see cref="ChangeFeedDispatcher.PollInterval"/>,
/// so an outage delays live updates and loses none. On SQLite there is one node, woken by its own commits.
/// </summary>
public sealed partial class FeedWakeUp(
    IDbContextFactory<LiveSessionsDbContext> contextFactory,
    ChangeFeedDispatcher dispatcher,
    ILogger<FeedWakeUp> logger) : BackgroundService
{
    public const string Channel = "livesessions_feed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? connectionString;
        await using (var db = await contextFactory.CreateDbContextAsync(stoppingToken))
        {
            if (!db.Database.IsNpgsql())
            {
                return;
            }

            connectionString = db.Database.GetConnectionString();
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => dispatcher.Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Changes committed while this connection was down are read now; the notifications tell of the next.
                dispatcher.Wake();
                failures = 0;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.IO.IOException or InvalidOperationException)
            {
                failures++;
                LogListenFailed(logger, ex, failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, failures * 2)), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for change-feed notifications failed ({Failures} in a row); the feed is read every few seconds meanwhile")]
    private static partial void LogListenFailed(ILogger logger, Exception ex, int failures);
}
