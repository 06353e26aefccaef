using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Api;
using LiveSessions.Web.Features.Attendance;
using LiveSessions.Web.Features.Automation;
using LiveSessions.Web.Features.Courses;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Operations;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace LiveSessions.Web;

public static class ServiceSetup
{
    public static IServiceCollection AddLiveSessions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var data = new DataDirectory(configuration, environment);
        services.AddSingleton(data);
        services.TryAddSingletonTimeProvider();
        RaiseThreadPoolFloor(configuration);

        AddDatabase(services, configuration, data);
        // One node keeps its keys in its data folder; several nodes on PostgreSQL share them in the database, so a cookie,
        // a bearer token or an email link issued by one node is accepted by every other.
        var protection = services.AddDataProtection().SetApplicationName("LiveSessions");
        if (DatabaseProvider.From(configuration) == DatabaseProvider.PostgreSql)
        {
            protection.PersistKeysToDbContext<LiveSessionsDbContext>();
        }
        else
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(data.KeysFolder));
        }

        // With a certificate configured, every key is stored encrypted with it (docs/security.md).
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            protection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificatePath, configuration["DataProtection:CertificatePassword"], System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.EphemeralKeySet));
        }

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                RosterHubSetup.ReadHubTokenFromQuery(o);

                // Short-lived access, renewed with POST /api/auth/refresh, which checks the account again.
                o.BearerTokenExpiration = TimeSpan.FromMinutes(15);
                o.RefreshTokenExpiration = TimeSpan.FromDays(14);
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, InboundEmailSecret>(InboundEmailSecret.Scheme, null)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/account/denied";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                RosterHubSetup.AnswerHubClientsWithStatusCodes(o);
            }));
        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                // Wrong passwords never lock an account (PasswordSignIn): attempts are rate-limited instead.
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<LiveSessionsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddSingleton<AccountValidity>();
        services.AddTransient<Microsoft.AspNetCore.Authentication.IClaimsTransformation, RevalidateAccount>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, RevokedMeansSignIn>();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidateCircuit>();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AttendanceWindow>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<UserAdministration>();

        // Set-password links (an invitation, a reset) last three days and work once (using one moves the stamp).
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromDays(3));
        services.AddLinkRateLimits(configuration);
        services.AddScoped<PasswordSignIn>();
        services.AddAuthorization(o =>
        {
            o.AddApiPolicies();
            o.AddInboundEmailPolicy();
        });
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddProblemDetails(ApiProblems.Describe);
        services.AddExceptionHandler<ApiExceptionHandler>();

        // Unreadable API requests raise, so the handler can answer a problem that says what was wrong, in every environment.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Snackbars fully opaque: MudBlazor's default 95 % lets the page show through and takes white on the theme's
        // success green below 4.5:1.
        services.AddMudServices(o => o.SnackbarConfiguration.MaximumOpacity = 100);

        services.AddSingleton<RosterChangeNotifier>();
        services.AddSingleton<ChangeFeedDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeFeedDispatcher>());
        services.AddHostedService<FeedWakeUp>();
        services.AddSingleton<RosterAudience>();
        services.AddSignalR().AddJsonProtocol(RosterHubSetup.WriteEnumsByName);
        RosterHubSetup.AddRedisBackplane(services, configuration);
        services.AddSingleton<SqliteWriteQueue>();
        services.AddSingleton<SessionUnitOfWork>();
        services.AddSingleton<DryRun>();
        services.AddSingleton<SessionQueries>();
        services.AddSingleton<Features.Today.TrainerSessions>();
        services.AddSingleton<SaveSession>();
        services.AddSingleton<CreateSisterSession>();
        services.AddSingleton<Features.Dashboard.DashboardBoard>();
        services.AddSingleton<SetSessionStatus>();
        services.AddSingleton<RosterQueries>();
        services.AddSingleton<RosterPage>();
        services.AddSingleton<AddLearners>();
        services.AddSingleton<UpdateLearnerStatus>();
        services.AddSingleton<CopyLearners>();
        services.AddSingleton<ImportLearners>();
        services.AddSingleton<ExportLearners>();
        services.AddSingleton<PreparedExports>();
        services.AddSingleton<RegisterLearner>();
        services.AddSingleton<CancelRegistration>();
        services.AddSingleton<RespondToInvitation>();
        services.AddSingleton<DecideApproval>();
        services.AddSingleton<MySessions>();
        services.AddSingleton<MyCalendar>();
        services.AddSingleton<PendingApprovals>();
        services.AddSingleton<MarkAttendance>();
        services.AddSingleton<AddGoShow>();
        services.AddSingleton<SaveTaps>();
        services.AddSingleton<MarkRemainingAttended>();
        services.AddSingleton<AttendanceQueries>();
        services.AddSingleton<AttendanceLinks>();
        services.AddSingleton<SendAttendanceForm>();
        services.AddSingleton<ExpireSeatOffers>();
        services.AddSingleton<EmployeeDirectory>();
        services.AddSingleton<ImportEmployees>();
        services.AddSingleton<CourseCatalog>();
        services.AddSingleton<FormBuilder>();
        services.AddSingleton<FormQueries>();
        services.AddSingleton<FillForm>();
        services.AddScoped<UserAccessor>();
        services.AddTransient<DemoSeeder>();
        services.Configure<SmtpOptions>(configuration.GetSection("Smtp"));
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<SignedLinks>();
        services.AddSingleton<LinkActions>();
        services.AddSingleton<SendEmails>();
        services.AddSingleton<OutboxQueries>();
        services.AddSingleton<EmailRenderer>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<IBeforeCommitHandler, OutboxWriter>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddTransient<SendOutboxEmail>();
        services.Configure<ImapOptions>(configuration.GetSection("Imap"));
        services.AddSingleton<CalendarReplies>();
        services.AddTransient<CalendarReplyInbox>();
        services.AddSingleton<CalendarReplyQueries>();
        services.AddTransient<OutboxSweep>();
        services.AddTransient<AttendanceReminderJob>();
        services.AddSingleton<SessionAutomationScheduler>();
        services.AddTransient<AutomationSweep>();
        services.AddTransient<SessionEndJob>();
        services.AddLiveSessionsJobs(configuration, data);
        services.AddLiveSessionsHealth(configuration);
        return services;
    }

    /// <summary>
    /// The database from <c>Database:Provider</c>: <c>Sqlite</c> (the default: one file in the data folder) or
    /// <c>PostgreSql</c> with <c>ConnectionStrings:LiveSessions</c>.
    /// </summary>
    private static void AddDatabase(IServiceCollection services, IConfiguration configuration, DataDirectory data)
    {
        var provider = DatabaseProvider.From(configuration);
        if (provider == DatabaseProvider.PostgreSql)
        {
            var connectionString = configuration.GetConnectionString("LiveSessions");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is PostgreSql: set ConnectionStrings:LiveSessions (ConnectionStrings__LiveSessions) to the database, e.g. Host=…;Port=5432;Database=livesessions;Username=…;Password=….");
            }

            services.AddDbContextFactory<LiveSessionsDbContext, PostgreSqlDbContextFactory>(o => o
                .UseNpgsql(connectionString, npgsql => npgsql.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)));
            return;
        }

        // Lists of ids or emails go to SQLite as one JSON parameter (json_each), so a list of any length fits: EF
        // Core 10's default expands a list into one parameter per item, and SQLite allows at most 32,766 of them.
        var synchronous = (configuration["LiveSessions:SqliteSynchronous"] ?? "FULL").ToUpperInvariant();
        if (!SqliteSynchronous.Levels.Contains(synchronous))
        {
            throw new InvalidOperationException($"LiveSessions:SqliteSynchronous must be one of {string.Join(", ", SqliteSynchronous.Levels)}, not {synchronous}.");
        }

        var pragmas = new SqliteSynchronous(synchronous);
        services.AddDbContextFactory<LiveSessionsDbContext>(o => o
            .UseSqlite(data.SqliteConnectionString, sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(pragmas));
    }

    /// <summary>
    /// Microsoft.Data.Sqlite runs its "async" calls synchronously, so every query holds a thread-pool thread until it
    /// returns. With the pool's floor at one thread per core, a burst (twenty open rosters reloading while decisions
    /// run) used every thread and the pool added one more only every half second: seconds-long stalls. The floor is
    /// raised so the pool grows at once to the threads such a burst needs.
    /// </summary>
    private static void RaiseThreadPoolFloor(IConfiguration configuration)
    {
        var floor = configuration.GetValue<int?>("LiveSessions:MinThreads") ?? 64;
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, floor), Math.Max(io, floor));
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>Applies the checked-in migrations, turns on WAL, and seeds the demo when asked and the database is empty.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, IConfiguration configuration, IHostEnvironment environment)
    {
        var factory = services.GetRequiredService<IDbContextFactory<LiveSessionsDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
                var data = services.GetRequiredService<DataDirectory>();
                foreach (var file in new[] { data.DatabaseFile, data.DatabaseFile + "-wal", data.DatabaseFile + "-shm", System.IO.Path.Combine(data.Path, "jobs.db") })
                {
                    DataDirectory.KeepPrivate(file);
                }
            }
        }

        using var scope = services.CreateScope();
        await AccountSetup.EnsureRolesAsync(scope.ServiceProvider);
        var seedDemo = configuration.GetValue<bool?>("LiveSessions:SeedDemoData") ?? environment.IsDevelopment();
        if (seedDemo)
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
        }
    }
}
