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
        try
        {
            // The folder holds the database, the job storage and the keys that sign every link and cookie: nobody but
            // the app's own user may read it. Files made inside stay out of reach of others whatever their own mode.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Path);
            }
            else
            {
                Directory.CreateDirectory(Path, OwnerOnly);
                File.SetUnixFileMode(Path, OwnerOnly);
            }

            var probe = System.IO.Path.Combine(Path, $".write-check-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new DataDirectoryException(
                $"LiveSessions cannot use its data folder {Path}: {ex.Message} Give the app's user write access to it, or set LiveSessions:DataDirectory (LiveSessions__DataDirectory) to another folder.", ex);
        }
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Makes a file the app created readable and writable by its own user only (no-op on Windows).</summary>
    public static void KeepPrivate(string file)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(file))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public string Path { get; }

    public string DatabaseFile => System.IO.Path.Combine(Path, "livesessions.db");

    public string KeysFolder => System.IO.Path.Combine(Path, "keys");

    public string SqliteConnectionString => $"Data Source={DatabaseFile};Cache=Private;Pooling=True;Default Timeout=60";
}

/// <summary>The data folder is missing and cannot be made, or cannot be written: the app cannot start.</summary>
public sealed class DataDirectoryException(string message, Exception inner) : Exception(message, inner);
