using System.Collections.Concurrent;
using LiveSessions.Tests.Infrastructure;

namespace LiveSessions.Tests.Security;

/// <summary>The data folder: private to the app's user, and a plain message when it cannot be used.</summary>
public sealed class DataFolderTests
{
    [Fact]
    public async Task A_data_folder_that_cannot_be_made_stops_the_start_with_one_line_naming_it_and_the_cause()
    {
        // A regular file where a folder should be: the folder cannot be made (root could write anywhere else).
        var blocker = Path.GetTempFileName();
        var folder = Path.Combine(blocker, "data");
        var log = new ConcurrentQueue<string>();
        await using var app = new ChildApp("blocked", ChildApp.WebAssembly(), log, ["--urls", "http://127.0.0.1:0", $"--LiveSessions:DataDirectory={folder}"]);
        try
        {
            await app.Exited.WaitAsync(Patience.Ceiling * 2, TestContext.Current.CancellationToken);
            Assert.Equal(1, app.ExitCode);
            var message = Assert.Single(log, line => line.Contains("cannot use its data folder", StringComparison.Ordinal));
            Assert.Contains(folder, message, StringComparison.Ordinal);
            Assert.Contains("LiveSessions__DataDirectory", message, StringComparison.Ordinal);
            Assert.DoesNotContain(log, line => line.Contains("   at ", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_folder_and_the_database_are_readable_by_the_apps_user_only()
    {
        await using var app = new AppFixture();
        await app.InitializeAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(app.DataDirectory));
        var database = Path.Combine(app.DataDirectory, "livesessions.db");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
    }
}
