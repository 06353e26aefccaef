using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LiveSessions.Web.Persistence;

/// <summary>
/// Sets SQLite's <c>synchronous</c> level on every connection it opens (a per-connection setting SQLite does not keep
/// in the file). FULL (the default) syncs the write-ahead log at every commit: an acknowledged change survives a
/// power cut. NORMAL syncs only at checkpoints: an acknowledged change survives a killed process, but the last
/// commits may be lost if the machine loses power. See docs/decisions.md.
/// </summary>
public sealed class SqliteSynchronous(string level) : DbConnectionInterceptor
{
    public static readonly string[] Levels = ["FULL", "NORMAL"];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={level};";
        command.ExecuteNonQuery();
    }
}
