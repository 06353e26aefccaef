using LiveSessions.Web.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveSessions.Web.Features.Operations;

/// <summary>
/// A node asked to stop (SIGTERM from systemd, a rolling deploy) first drains: <c>/health/ready</c> answers 503 so the
/// load balancer sends it nothing new, while for <c>LiveSessions:DrainSeconds</c> it still answers what reaches it
/// (requests in flight, a balancer that has not yet looked). Only then do Kestrel and Hangfire stop: Hangfire takes no
/// new job, and running ones get the rest of the shutdown timeout. Circuits are closed by SignalR when the stop begins;
/// their browsers reconnect, and once this node is gone, reload onto another.
/// </summary>
public sealed partial class NodeDrain(IConfiguration configuration, ILogger<NodeDrain> logger) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool draining;

    /// <summary>Zero on one SQLite node (nothing to hand over to); ten seconds when several nodes share PostgreSQL.</summary>
    public static TimeSpan DrainTime(IConfiguration configuration) =>
        TimeSpan.FromSeconds(configuration.GetValue<int?>("LiveSessions:DrainSeconds")
            ?? (DatabaseProvider.From(configuration) == DatabaseProvider.PostgreSql ? 10 : 0));

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        draining = true;
        var drain = DrainTime(configuration);
        if (drain <= TimeSpan.Zero)
        {
            return;
        }

        LogDraining(drain.TotalSeconds);
        try
        {
            await Task.Delay(drain, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout cut the drain short.
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(draining ? HealthCheckResult.Unhealthy("This node is stopping.") : HealthCheckResult.Healthy());

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "Draining: /health/ready answers 503 for {Seconds} s before this node stops")]
    private partial void LogDraining(double seconds);
}
