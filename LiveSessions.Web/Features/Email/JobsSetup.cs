using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Storage.SQLite;
using LiveSessions.Web.Features.Automation;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;

namespace LiveSessions.Web.Features.Email;

/// <summary>
/// Hangfire: SQLite storage in the data folder by default; PostgreSQL storage (schema <c>hangfire</c> of the app's
/// database) when the app runs on PostgreSQL, so several nodes share one queue; InMemory only when tests ask for it.
/// </summary>
public static class JobsSetup
{
    public static IServiceCollection AddLiveSessionsJobs(this IServiceCollection services, IConfiguration configuration, DataDirectory data)
    {
        var inMemory = string.Equals(configuration["LiveSessions:JobStorage"], "InMemory", StringComparison.OrdinalIgnoreCase);

        // The storage is this host's own singleton: Hangfire's global JobStorage.Current would be shared by every
        // host in the process (the test hosts), sending one host's jobs to another's server.
        var postgreSql = DatabaseProvider.From(configuration) == DatabaseProvider.PostgreSql;
        services.AddSingleton<JobStorage>(_ => inMemory
            ? new Hangfire.InMemory.InMemoryStorage()
            : postgreSql
                ? PostgreSqlJobs(configuration.GetConnectionString("LiveSessions")!, InvisibilityTimeout(configuration))
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

    /// <summary>
    /// A job taken by a node that dies is fetched again by another node once its invisibility timeout passes. Five
    /// minutes: well above the longest job (an email send gives up after 15 s per SMTP step; the sweeps and the end of
    /// a session take seconds), so a slow job is never run twice while alive, and a dead node's jobs wait minutes, not
    /// the 30 of the default. <c>LiveSessions:JobInvisibilitySeconds</c> changes it.
    /// </summary>
    public static TimeSpan InvisibilityTimeout(IConfiguration configuration) =>
        TimeSpan.FromSeconds(configuration.GetValue<int?>("LiveSessions:JobInvisibilitySeconds") ?? 300);

    private static Hangfire.PostgreSql.PostgreSqlStorage PostgreSqlJobs(string connectionString, TimeSpan invisibilityTimeout)
    {
        var options = new Hangfire.PostgreSql.PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            InvisibilityTimeout = invisibilityTimeout,
        };
        return new Hangfire.PostgreSql.PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
    }

    public static void UseLiveSessionsJobs(this WebApplication app)
    {
        // The endpoint's own policy lets the cookie scheme answer as for any page: sign-in for a visitor, the
        // access-denied page for a signed-in non-admin. Hangfire's filter stays as a second check.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminOnlyDashboard()], DisplayStorageConnectionString = false, AppPath = "/" })
            .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Admin });
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<OutboxSweep>("outbox-sweep", job => job.RunAsync(CancellationToken.None), Cron.Minutely);

        // What a process killed mid-send left (rows Sending, rows Queued whose job it had taken) goes out about a
        // minute after this start. The minutely sweep alone could first see such a row too fresh and take it only
        // one or two minutes later: up to three minutes after the restart.
        var startedAt = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        app.Services.GetRequiredService<IBackgroundJobClient>().Schedule<OutboxSweep>(job => job.RunAfterStartAsync(startedAt, CancellationToken.None), OutboxSweep.Interrupted);
        recurring.AddOrUpdate<ExpireSeatOffers>("expire-seat-offers", job => job.HandleAsync(CancellationToken.None), Cron.Minutely);
        recurring.AddOrUpdate<Features.Automation.AutomationSweep>("automation-sweep", job => job.RunAsync(CancellationToken.None), Cron.Minutely);

        // Calendar replies are read every minute when a mailbox is configured (a job left from an earlier
        // configuration is removed, so nothing polls a mailbox nobody set).
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImapOptions>>().Value.IsConfigured)
        {
            recurring.AddOrUpdate<CalendarReplyInbox>(CalendarReplyInbox.JobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely);
        }
        else
        {
            recurring.RemoveIfExists(CalendarReplyInbox.JobId);
        }
    }

    private sealed class AdminOnlyDashboard : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
