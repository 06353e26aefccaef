using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>
/// A private Redis for one test: Debian's redis-server on a free loopback port, nothing saved to disk, stopped
/// (SIGKILL, as an outage would) when disposed or when <see cref="Stop"/> is called mid-test.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private Process process;

    private RedisServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    public static async Task<RedisServer> StartAsync()
    {
        var port = FreePort();
        return new RedisServer(await LaunchAsync(port), port);
    }

    /// <summary>Redis comes back on the same port, empty, as after an outage.</summary>
    public async Task RestartAsync()
    {
        Stop();
        process.Dispose();
        process = await LaunchAsync(Port);
    }

    private static async Task<Process> LaunchAsync(int port)
    {
        const string server = "/usr/bin/redis-server";
        if (!File.Exists(server))
        {
            throw new InvalidOperationException("redis-server is not installed: run the test command of README.md (it installs Debian's redis-server).");
        }

        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("redis-server exited before it was ready."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(Patience.Ceiling);
        return process;
    }

    /// <summary>Redis goes away, as in an outage.</summary>
    public void Stop()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
