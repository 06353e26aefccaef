using Hangfire;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveSessions.Web.Features.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers (a load balancer restarts a node that does not).
/// <c>/health/ready</c>: the database and the job storage answer too (a load balancer sends no traffic until they do).
/// Both are anonymous and say only Healthy, Degraded or Unhealthy with each check's name.
/// </summary>
public static class Health
{
    private const string Ready = "ready";

    public static IServiceCollection AddLiveSessionsHealth(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks()
            .AddDbContextCheck<LiveSessionsDbContext>("database", tags: [Ready])
            .AddCheck<JobStorageCheck>("jobs", tags: [Ready])
            .AddCheck<NodeDrain>("node", tags: [Ready]);
        services.AddSingleton<NodeDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeDrain>());

        // Without Redis the hub's clients still hear every change of their node's sessions, and the node still serves
        // pages and decisions: the node stays in the pool (Degraded) while operators are told.
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            checks.AddRedis(redis, "redis", HealthStatus.Degraded, [Ready], TimeSpan.FromSeconds(5));
        }

        return services;
    }

    public static void MapLiveSessionsHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
                });
            },
        }).AllowAnonymous();
    }

    /// <summary>Hangfire's storage answers: the queue that emails and automation run from.</summary>
    private sealed class JobStorageCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var connection = storage.GetConnection();
                _ = connection.GetAllItemsFromSet("recurring-jobs");
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The job storage does not answer.", ex));
            }
        }
    }
}
