using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel over a real SQLite file in a fresh data folder, with the demo data and accounts.
/// Shared by the tests of a collection; each test makes the sessions it changes.
/// </summary>
public class AppFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string dataDirectory;
    private readonly bool keepData;

    public AppFixture()
        : this(Path.Combine(Path.GetTempPath(), "livesessions-tests-" + Guid.NewGuid().ToString("N")), keepData: false)
    {
    }

    /// <summary>An app on <paramref name="dataDirectory"/>; with <paramref name="keepData"/> the folder outlives it (a restart).</summary>
    protected AppFixture(string dataDirectory, bool keepData)
    {
        this.dataDirectory = dataDirectory;
        this.keepData = keepData;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string DataDirectory => dataDirectory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("LiveSessions:DataDirectory", dataDirectory);
        builder.UseSetting("LiveSessions:SeedDemoData", "true");

        // The demo's showcase (an approver's queue, a Mailbox, 5,000 learners) has its own test; the shared apps start lean.
        builder.UseSetting("LiveSessions:DemoShowcase", ShowcaseDemo ? "true" : "false");
        builder.UseSetting("LiveSessions:DemoLargeSessionLearners", "300");
        builder.UseSetting("LiveSessions:JobStorage", "InMemory");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");

        // Every test signs in and opens links from 127.0.0.1: the limits themselves are tested with their defaults.
        builder.UseSetting("LiveSessions:RateLimits:SignInsPerClientPerMinute", "1000000");
        builder.UseSetting("LiveSessions:RateLimits:SignInsPerAccountPerClientPer15Minutes", "1000000");
        builder.UseSetting("LiveSessions:RateLimits:LinkPagesPerClientPerMinute", "1000000");

        // Sessions in tests start days ahead; their attendance is open from the start (the window is tested on its own).
        builder.UseSetting("LiveSessions:AttendanceOpensBeforeMinutes", "10000000");
        foreach (var (key, value) in ExtraSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(ConfigureTestServices);
    }

    /// <summary>Replaces services for a derived fixture (the clock, say).</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>Whether the demo's showcase is seeded (off for the shared test apps).</summary>
    protected virtual bool ShowcaseDemo => false;

    /// <summary>Settings a derived fixture adds (an SMTP server, say).</summary>
    protected virtual IEnumerable<(string Key, string Value)> ExtraSettings() => [];

    public virtual ValueTask InitializeAsync()
    {
        JobStateSignal.EnsureRegistered();
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        return ValueTask.CompletedTask;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Returns once every change committed so far has been handed to views and reacted to (emails handed to the
    /// sender, automation planned): the change feed is read in the background, after the request returned.
    /// </summary>
    public Task FeedDispatchedAsync() => Get<Web.Features.Live.ChangeFeedDispatcher>().CatchUpAsync(TestContext.Current.CancellationToken);

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    /// <summary>A client signed in through POST /api/auth/login with a bearer token.</summary>
    public async Task<HttpClient> SignedInAsync(string email, string password = DemoSeeder.Password)
    {
        var client = Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    public Task<HttpClient> AdminAsync() => SignedInAsync(DemoSeeder.AdminEmail);

    public Task<HttpClient> TrainerAsync() => SignedInAsync(DemoSeeder.TrainerEmail);

    public Task<HttpClient> LearnerAsync() => SignedInAsync(DemoSeeder.LearnerEmail);

    public Task<HttpClient> ApproverAsync() => SignedInAsync(DemoSeeder.ApproverEmail);

    public static CurrentUser Admin { get; } = new(DemoSeeder.AdminEmail, "admin", new HashSet<string> { Roles.Admin });

    public static CurrentUser LearnerUser(string email) => new(email, email, new HashSet<string> { Roles.Learner });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (keepData)
        {
            return;
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task; the temp folder is cleaned by the OS.
        }
    }

    private sealed record TokenResponse(string TokenType, string AccessToken, int ExpiresIn, string RefreshToken);
}

/// <summary>An app on a given data folder that it leaves behind: start another on it, and it is a restart.</summary>
public sealed class RestartableAppFixture(string dataDirectory) : AppFixture(dataDirectory, keepData: true);

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
