using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Storage.SQLite;
using LiveSessions.Web.Features.Automation;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;

namespace LiveSessions.Web.Features.Email;

/// <summary>Hangfire: SQLite storage in the data folder by default, InMemory only when tests ask for it.</summary>
public static class JobsSetup
{
    public static IServiceCollection AddLiveSessionsJobs(this IServiceCollection services, IConfiguration configuration, DataDirectory data)
    {
        var inMemory = string.Equals(configuration["LiveSessions:JobStorage"], "InMemory", StringComparison.OrdinalIgnoreCase);

        // The storage is this host's own singleton: Hangfire's global JobStorage.Current would be shared by every
        // host in the process (the test hosts), sending one host's jobs to another's server.
        services.AddSingleton<JobStorage>(_ => inMemory
            ? new Hangfire.InMemory.InMemoryStorage()
            // The default 15 s poll would leave a fire-and-forget email waiting; one second keeps sends prompt.
            : new SQLiteStorage(Path.Combine(data.Path, "jobs.db"), new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) }));
        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        services.AddHangfireServer((provider, o) =>
        {
            // Jobs are built from this host's container, never from another host's global activator.
            o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount * 2);
        });
        return services;
    }

    public static void UseLiveSessionsJobs(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminOnlyDashboard()], DisplayStorageConnectionString = false, AppPath = "/" });
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<OutboxSweep>("outbox-sweep", job => job.RunAsync(CancellationToken.None), Cron.Minutely);

        // What a process killed mid-send left (rows Sending, rows Queued whose job it had taken) goes out about a
        // minute after this start. The minutely sweep alone could first see such a row too fresh and take it only
        // one or two minutes later: up to three minutes after the restart.
        var startedAt = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        app.Services.GetRequiredService<IBackgroundJobClient>().Schedule<OutboxSweep>(job => job.RunAfterStartAsync(startedAt, CancellationToken.None), OutboxSweep.Interrupted);
        recurring.AddOrUpdate<ExpireSeatOffers>("expire-seat-offers", job => job.HandleAsync(CancellationToken.None), Cron.Minutely);
        recurring.AddOrUpdate<Features.Automation.AutomationSweep>("automation-sweep", job => job.RunAsync(CancellationToken.None), Cron.Minutely);
    }

    private sealed class AdminOnlyDashboard : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
