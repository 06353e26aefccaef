namespace LiveSessions.Web.Persistence;

/// <summary>
/// The one folder that holds all of the app's state (database, job storage, keys), from the setting
/// LiveSessions:DataDirectory (env LiveSessions__DataDirectory); a fresh folder gives a fresh demo.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["LiveSessions:DataDirectory"];
        Path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(environment.ContentRootPath, "data")
            : System.IO.Path.Combine(environment.ContentRootPath, configured));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabaseFile => System.IO.Path.Combine(Path, "livesessions.db");

    public string KeysFolder => System.IO.Path.Combine(Path, "keys");

    public string SqliteConnectionString => $"Data Source={DatabaseFile};Cache=Private;Pooling=True;Default Timeout=60";
}
