using StackExchange.Redis;

namespace LiveSessions.Web.Features.Live;

/// <summary>
/// The roster hub's connection to Redis: says in the log when it is lost and when it is back (StackExchange.Redis
/// reconnects on its own), and lets a caller wait until its subscriptions are live again.
/// </summary>
public sealed partial class RedisBackplane(ILogger<RedisBackplane> logger)
{
    private readonly Lock gate = new();
    private TaskCompletionSource up = New();
    private TaskCompletionSource down = New();

    /// <summary>Completes while the backplane's subscription connection is up, or when it is up again.</summary>
    public Task Subscribed
    {
        get
        {
            lock (gate)
            {
                return up.Task;
            }
        }
    }

    /// <summary>Completes while the subscription connection is down, or when it goes down.</summary>
    public Task Lost
    {
        get
        {
            lock (gate)
            {
                return down.Task;
            }
        }
    }

    public async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions options, TextWriter log)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(options, log);
        redis.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                Flip(isUp: false);
                LogLost(e.FailureType, e.Exception?.Message);
            }
        };
        redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                Flip(isUp: true);
                LogRestored();
            }
        };
        if (redis.IsConnected)
        {
            Flip(isUp: true);
        }

        return redis;
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Flip(bool isUp)
    {
        lock (gate)
        {
            var (now, before) = isUp ? (up, down) : (down, up);
            now.TrySetResult();
            if (before.Task.IsCompleted)
            {
                if (isUp)
                {
                    down = New();
                }
                else
                {
                    up = New();
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Redis backplane lost ({FailureType}: {Reason}); hub clients of this node still hear their sessions' changes, new hub connections wait for Redis")]
    private partial void LogLost(ConnectionFailureType failureType, string? reason);

    [LoggerMessage(LogLevel.Information, "Redis backplane connected again")]
    private partial void LogRestored();
}
