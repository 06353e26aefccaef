using System.Text.Json.Serialization;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Live;

/// <summary>
/// Live roster for clients outside Blazor (API.md "Live updates"): JoinSession subscribes the caller to
/// RosterChanged of one session, authorized like GET /api/sessions/{id}.
/// </summary>
[Authorize(AuthenticationSchemes = "Identity.Bearer,Identity.Application", Roles = Roles.AdminOrTrainer)]
public sealed partial class RosterHub(IDbContextFactory<LiveSessionsDbContext> contextFactory, RosterAudience audience, ILogger<RosterHub> logger) : Hub
{
    public const string Path = "/hubs/roster";

    public async Task JoinSession(int sessionId)
    {
        var user = CurrentUser.From(Context.User!);
        await using var db = await contextFactory.CreateDbContextAsync(Context.ConnectionAborted);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, Context.ConnectionAborted) is { } failure)
        {
            // Someone asking for a session they may not see is worth a line in the log, not a stack trace.
            LogRefused(user.Email, sessionId, failure.Message);
            throw new HubException(failure.Message);
        }

        audience.Join(Context.ConnectionId, Context.User!, sessionId);
    }

    [LoggerMessage(LogLevel.Warning, "JoinSession refused: {Email} asked for session {SessionId} ({Reason})")]
    private partial void LogRefused(string email, int sessionId, string? reason);

    public void LeaveSession(int sessionId) => audience.Leave(Context.ConnectionId, sessionId);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        audience.Forget(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

internal static class RosterHubSetup
{
    /// <summary>
    /// With <c>ConnectionStrings:Redis</c>, <see cref="RosterHub"/> runs on SignalR's Redis backplane, so a send to a
    /// user or to every client reaches the connections of every node. Blazor's own circuits stay off it: a circuit
    /// talks to its node only, and a Redis outage must not keep anyone from opening a page.
    /// </summary>
    public static void AddRedisBackplane(IServiceCollection services, IConfiguration configuration)
    {
        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            return;
        }

        services.AddSingleton<RedisBackplane>();
        services.AddOptions<RedisOptions>().Configure<RedisBackplane>((o, backplane) =>
        {
            o.Configuration = ConfigurationOptions.Parse(redis);
            o.Configuration.AbortOnConnectFail = false;
            o.Configuration.ChannelPrefix = RedisChannel.Literal("LiveSessions");
            o.ConnectionFactory = log => backplane.ConnectAsync(o.Configuration, log);
        });
        services.AddSingleton<HubLifetimeManager<RosterHub>, RedisHubLifetimeManager<RosterHub>>();
    }

    /// <summary>Hub payloads follow API.md's conventions: enums by name ("Registered"), as the HTTP API writes them.</summary>
    public static void WriteEnumsByName(JsonHubProtocolOptions options) =>
        options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));

    /// <summary>
    /// Hub clients are API clients: with no or a bad sign-in they get 401 and without the right role 403, as API.md
    /// says, not the cookie scheme's redirect to a sign-in or access-denied page (nor the UI's not-found page).
    /// </summary>
    public static void AnswerHubClientsWithStatusCodes(CookieAuthenticationOptions options)
    {
        var toLogin = options.Events.OnRedirectToLogin;
        var toAccessDenied = options.Events.OnRedirectToAccessDenied;
        options.Events.OnRedirectToLogin = context => IsHub(context) ? Answer(context, StatusCodes.Status401Unauthorized) : toLogin(context);
        options.Events.OnRedirectToAccessDenied = context => IsHub(context) ? Answer(context, StatusCodes.Status403Forbidden) : toAccessDenied(context);
    }

    private static bool IsHub(RedirectContext<CookieAuthenticationOptions> context) => context.Request.Path.StartsWithSegments(RosterHub.Path);

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int statusCode)
    {
        context.Response.StatusCode = statusCode;

        // The UI's status-code pages would re-execute this as the not-found page and answer 404.
        if (context.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        return Task.CompletedTask;
    }

    /// <summary>WebSockets cannot send headers: the hub takes the bearer token from access_token.</summary>
    public static void ReadHubTokenFromQuery(Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions options) =>
        options.Events.OnMessageReceived = context =>
        {
            var token = context.Request.Query["access_token"];
            if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments(RosterHub.Path))
            {
                context.Token = token;
            }

            return Task.CompletedTask;
        };
}
