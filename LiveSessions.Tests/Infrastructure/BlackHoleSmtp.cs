using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>An SMTP port that accepts connections and never says a word, counting the connections.</summary>
public sealed class BlackHoleSmtp : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly SemaphoreSlim connected = new(0);
    private readonly ConcurrentBag<Socket> sockets = [];
    private readonly CancellationTokenSource stop = new();

    public BlackHoleSmtp()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public async Task WaitForConnectionsAsync(int count, TimeSpan ceiling)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ceiling);
        for (var i = 0; i < count; i++)
        {
            await connected.WaitAsync(timeout.Token);
        }
    }

    public void Dispose()
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        stop.Cancel();
        listener.Stop();
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                sockets.Add(await listener.AcceptSocketAsync(stop.Token));
                connected.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
