using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Live;

/// <summary>
/// Live roster for clients outside Blazor (API.md "Live updates"): JoinSession subscribes the caller to
/// RosterChanged of one session, authorized like GET /api/sessions/{id}.
/// </summary>
[Authorize(AuthenticationSchemes = "Identity.Bearer,Identity.Application", Roles = Roles.AdminOrTrainer)]
public sealed class RosterHub(IDbContextFactory<LiveSessionsDbContext> contextFactory) : Hub
{
    public const string Path = "/hubs/roster";

    public static string GroupOf(int sessionId) => $"session-{sessionId}";

    public async Task JoinSession(int sessionId)
    {
        var user = CurrentUser.From(Context.User!);
        await using var db = await contextFactory.CreateDbContextAsync(Context.ConnectionAborted);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, Context.ConnectionAborted) is { } failure)
        {
            throw new HubException(failure.Message);
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(sessionId), Context.ConnectionAborted);
    }

    public Task LeaveSession(int sessionId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(sessionId));
}

internal static class RosterHubSetup
{
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
