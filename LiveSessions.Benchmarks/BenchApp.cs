using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LiveSessions.Benchmarks;

/// <summary>
/// The real app on Kestrel in this process, on its own SQLite data folder with the demo accounts, Hangfire in memory.
/// Development environment: the Blazor pages need the static web assets of the build output (Production serves 500s for them).
/// </summary>
internal sealed class BenchApp : WebApplicationFactory<DemoSeeder>
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "livesessions-bench-" + Guid.NewGuid().ToString("N"));
    private readonly string? postgres;
    private int courseId;

    private BenchApp(string? postgres = null) => this.postgres = postgres;

    public static readonly CurrentUser Admin = new(DemoSeeder.AdminEmail, "admin", new HashSet<string> { Roles.Admin });

    public static string Machine => $"{Environment.ProcessorCount} cores, .NET {Environment.Version}";

    public static string Os => RuntimeInformation.OSDescription;

    /// <summary>The machine's 1-minute load average (Linux), to read a figure against what else was running.</summary>
    public static string Load() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// The app on SQLite, or, given <paramref name="postgres"/>, a node on that PostgreSQL database (several nodes on
    /// one database are one app; the first one creates the benchmark course, the others find it).
    /// </summary>
    public static async Task<BenchApp> StartAsync(string? postgres = null)
    {
        var app = new BenchApp(postgres);
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        app.BaseAddress = new Uri(address);
        await using var db = await app.Db();
        var existing = await db.Courses.Where(c => c.Title == "Benchmark course").Select(c => (int?)c.Id).FirstOrDefaultAsync();
        if (existing is { } id)
        {
            app.courseId = id;
            return app;
        }

        var course = new Course("Benchmark course", "", SessionType.InClass, TimeSpan.FromHours(2), 20);
        db.Courses.Add(course);
        await db.SaveChangesAsync();
        app.courseId = course.Id;
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("LiveSessions:DataDirectory", data);
        builder.UseSetting("LiveSessions:SeedDemoData", "true");
        builder.UseSetting("LiveSessions:DemoShowcase", "false");
        builder.UseSetting("LiveSessions:JobStorage", "InMemory");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (postgres is not null)
        {
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("ConnectionStrings:LiveSessions", postgres);
        }
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public Task<LiveSessionsDbContext> Db() => Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync();

    /// <summary>A bearer token from POST /api/auth/login, as an API client gets it.</summary>
    public async Task<string> TokenAsync(string email = DemoSeeder.AdminEmail)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = DemoSeeder.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }

    public async Task<HttpClient> ClientAsync(string email = DemoSeeder.AdminEmail, int connections = 16)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(email));
        return client;
    }

    /// <summary><paramref name="count"/> employees in one SQL statement, spread over <paramref name="departments"/> departments named "{prefix} {n}".</summary>
    public async Task NewEmployeesAsync(string prefix, int count, int departments = 1)
    {
        await using var db = await Db();
        var name = $"{prefix} person %06d";
        var email = $"{prefix.ToLowerInvariant()}%d@bench.example";
        var department = $"{prefix} %d";
        await db.Database.ExecuteSqlAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1})
            INSERT INTO Employees (Name, Email, Department)
            SELECT printf({name}, i), printf({email}, i), printf({department}, i % {departments}) FROM n
            """);
    }

    public static string EmailOf(string prefix, int i) => $"{prefix.ToLowerInvariant()}{i}@bench.example";

    public async Task<int> NewSessionAsync(int capacity, bool waitingList, bool calendar = false, bool ready = true, string title = "Bench")
    {
        var start = DateTimeOffset.UtcNow.AddDays(10);
        var created = await Get<SaveSession>().CreateAsync(new SessionFields
        {
            CourseId = courseId, Title = title, Start = start, End = start.AddHours(2), MaxCapacity = capacity,
            EnableWaitingList = waitingList, EnableCalendar = calendar, RequiresApproval = false,
        }, Admin);
        var id = created.Value?.Id ?? throw new InvalidOperationException(created.Message);
        if (ready)
        {
            await SetReadyAsync(id);
        }

        return id;
    }

    public async Task SetReadyAsync(int sessionId)
    {
        var outcome = await Get<SetSessionStatus>().HandleAsync(sessionId, SessionStatus.Ready, Admin);
        if (!outcome.IsOk)
        {
            throw new InvalidOperationException(outcome.Message);
        }
    }

    /// <summary>Adds a whole department through the app's AddLearners handler (NotInvited, or by the session's automation).</summary>
    public async Task<IReadOnlyList<int>> AddDepartmentAsync(int sessionId, string department)
    {
        var added = await Get<AddLearners>().HandleAsync(sessionId, new AddLearnersRequest(Department: department), Admin);
        return added.Value?.Added.Select(l => l.Id).ToList() ?? throw new InvalidOperationException(added.Message);
    }

    /// <summary>Learner rows written straight in SQL (for rosters too big to add through the handler in a benchmark's time).</summary>
    public async Task AddLearnersBySqlAsync(int sessionId, string departmentLike, LearnerStatus status)
    {
        var changedAt = (long)new DateTimeOffsetToBinaryConverter().ConvertToProvider(DateTimeOffset.UtcNow)!;
        await using var db = await Db();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        var statusName = status.ToString();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO SessionLearners (SessionId, EmployeeId, Status, StatusChangedAt, RegisteredAt, Version)
            SELECT {sessionId}, Id, {statusName}, {changedAt}, {changedAt}, 1 FROM Employees WHERE Department LIKE {departmentLike}
            """);
    }

    /// <summary>Working set after a full, compacting collection: what the process keeps.</summary>
    public static (long WorkingSet, long Heap) SettledMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed record TokenResponse(string TokenType, string AccessToken, int ExpiresIn, string RefreshToken);
}

/// <summary>Headless Debian Chromium through Playwright, pages signed in as the demo admin and open on a session page.</summary>
internal sealed class BenchBrowser : IAsyncDisposable
{
    private readonly IPlaywright playwright;
    private readonly BenchApp app;
    private string? storageState;

    private BenchBrowser(IPlaywright playwright, IBrowser browser, BenchApp app)
    {
        this.playwright = playwright;
        Browser = browser;
        this.app = app;
    }

    public IBrowser Browser { get; }

    public static async Task<BenchBrowser> LaunchAsync(BenchApp app)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new BenchBrowser(playwright, browser, app);
    }

    /// <summary>A new browser context with the admin's sign-in cookie (signed in once through the login form).</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        if (storageState is null)
        {
            var first = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
            var page = await first.NewPageAsync();
            await page.GotoAsync("/account/login");
            await page.GetByLabel("Email").FillAsync(DemoSeeder.AdminEmail);
            await page.GetByLabel("Password").FillAsync(DemoSeeder.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
            storageState = await first.StorageStateAsync();
            await first.CloseAsync();
        }

        return await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), StorageState = storageState, ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
    }

    /// <summary>Opens the session page and waits until its circuit is interactive and the roster lists <paramref name="anyEmail"/>.</summary>
    public static async Task OpenSessionAsync(IPage page, int sessionId, string anyEmail)
    {
        await page.GotoAsync($"/sessions/{sessionId}", new() { Timeout = 120_000 });
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 120_000 });
        await page.GetByLabel("Learners", new() { Exact = true }).GetByText(anyEmail, new() { Exact = true }).First.WaitForAsync(new() { Timeout = 120_000 });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
