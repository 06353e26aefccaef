using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>The app started with <c>dotnet LiveSessions.Web.dll</c>; its output goes to the test log.</summary>
public sealed class ChildApp : IAsyncDisposable
{
    /// <summary>The Web project's own build output (its runtimeconfig and deps sit beside it), same configuration as the tests.</summary>
    public static string WebAssembly()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LiveSessions.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var output = Path.GetRelativePath(Path.Combine(directory.FullName, "LiveSessions.Tests"), AppContext.BaseDirectory);
        var dll = Path.Combine(directory.FullName, "LiveSessions.Web", output, "LiveSessions.Web.dll");
        Assert.True(File.Exists(dll), $"Build LiveSessions.Web first: {dll} is missing.");
        return dll;
    }

    private const string Banner = "LiveSessions is running at ";
    private readonly Process process;
    private readonly TaskCompletionSource<Uri> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> awaitedLines = new();

    public ChildApp(string name, string dll, ConcurrentQueue<string> log, IEnumerable<string> args)
    {
        Name = name;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            log.Enqueue($"[{name}] {e.Data}");
            foreach (var (text, seen) in awaitedLines)
            {
                if (e.Data.Contains(text, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }

            var at = e.Data.IndexOf(Banner, StringComparison.Ordinal);
            if (at >= 0)
            {
                var address = e.Data[(at + Banner.Length)..].Split(',')[0].Trim();
                started.TrySetResult(new Uri(address));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.Enqueue($"[{name} stderr] {e.Data}");
            }
        };
        process.Exited += (_, _) =>
        {
            log.Enqueue($"[{name}] exited");
            exited.TrySetResult();
            started.TrySetException(new InvalidOperationException($"The {name} process exited before it started listening."));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.Enqueue($"[{name}] started, pid {process.Id}");
    }

    public string Name { get; }

    /// <summary>An API client of the app at <paramref name="baseAddress"/>, signed in as the demo admin with a bearer token.</summary>
    public static async Task<HttpClient> SignInAsAdminAsync(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = Web.Features.Demo.DemoSeeder.AdminEmail, password = Web.Features.Demo.DemoSeeder.Password }, TestContext.Current.CancellationToken);
        var token = await Api.ApiTestKit.OkAsync<Api.TokenDto>(response);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    /// <summary>The address it listens on, once it prints its banner (a generous ceiling covers the demo seeding).</summary>
    public Task<Uri> Started => started.Task.WaitAsync(Patience.Ceiling * 2);

    public Task Exited => exited.Task;

    /// <summary>The process's exit code, once <see cref="Exited"/> has completed.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Completes when the app writes a line containing <paramref name="text"/> (asked before it is written).</summary>
    public Task OutputAsync(string text) =>
        awaitedLines.GetOrAdd(text, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(Patience.Ceiling);

    /// <summary>SIGTERM: the stop a service manager or a rolling deploy asks for.</summary>
    public void Terminate() => Assert.Equal(0, SendSignal(process.Id, 15));

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>SIGKILL, the process and its children, and wait until it is gone.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(Patience.Ceiling);
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
    }
}
