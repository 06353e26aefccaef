using System.Diagnostics;
using Npgsql;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL for the test run: Debian's server binaries, a temporary data folder, listening only on a Unix
/// socket in that folder (no TCP port to collide with a system PostgreSQL or another run), stopped and deleted when
/// the test process ends. Started once, on first use.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Started = new(StartAsync);

    /// <summary>The connection string of a new, empty database on the private server.</summary>
    public static async Task<string> NewDatabaseAsync(string prefix)
    {
        var server = await Started.Value;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
        await using (var connection = new NpgsqlConnection(server + ";Database=postgres"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name}\"";
            await create.ExecuteNonQueryAsync();
        }

        return server + $";Database={name}";
    }

    private static async Task<string> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL's server is not installed: run the test command of README.md (it installs Debian's postgresql).");
        }

        var root = Path.Combine(Path.GetTempPath(), "livesessions-pg-" + Guid.NewGuid().ToString("N")[..12]);
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);

        // PostgreSQL refuses to run as root: as root, the server runs as the postgres user of Debian's package.
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", root]);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "livesessions", "-E", "UTF8", "--no-sync"], asRoot);
        var log = Path.Combine(root, "server.log");
        await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-l", log, "-w", "-t", "60", "-o", $"-c listen_addresses='' -k {root} -c fsync=off -c max_connections=300 -c shared_buffers=64MB", "start"], asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(bin, data, root, asRoot);
        return $"Host={root};Port=5432;Username=livesessions;Pooling=true;Maximum Pool Size=100;Timeout=30;Command Timeout=60";
    }

    private static void Stop(string bin, string data, string root, bool asRoot)
    {
        try
        {
            RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asRoot).GetAwaiter().GetResult();
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Leaving a temporary folder behind is all that can go wrong here.
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres = false)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output} {await error}");
        }
    }
}

/// <summary>
/// The real app on Kestrel over a database on the private PostgreSQL (demo data and accounts), with Hangfire on the
/// same database: a fresh database, or the one of another node (then the two are one app).
/// </summary>
public class PostgresAppFixture : AppFixture
{
    private string? connectionString;

    public PostgresAppFixture()
    {
    }

    protected PostgresAppFixture(string connectionString) => this.connectionString = connectionString;

    public string ConnectionString => connectionString!;

    public override async ValueTask InitializeAsync()
    {
        connectionString ??= await PostgresServer.NewDatabaseAsync("livesessions");
        await base.InitializeAsync();
    }

    protected override IEnumerable<(string Key, string Value)> ExtraSettings() =>
    [
        ("Database:Provider", "PostgreSql"),
        ("ConnectionStrings:LiveSessions", connectionString!),
        ("LiveSessions:JobStorage", "Database"),
    ];
}

/// <summary>
/// Another node of the app whose database is <paramref name="connectionString"/>. It reads the change feed only when
/// woken (its poll is an hour), so what reaches it from another node came by PostgreSQL's notification. With
/// <paramref name="redis"/>, its roster hub runs on that Redis backplane.
/// </summary>
public sealed class PostgresNode(string connectionString, string? redis = null) : PostgresAppFixture(connectionString)
{
    protected override IEnumerable<(string Key, string Value)> ExtraSettings() =>
        [.. base.ExtraSettings(), ("LiveSessions:FeedPollSeconds", "3600"), .. redis is null ? [] : new[] { ("ConnectionStrings:Redis", redis) }];
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresAppFixture>
{
    public const string Name = "postgres";
}
