using System.Text.Json.Serialization;
using LiveSessions.Web;
using LiveSessions.Web.Components;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Api;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Operations;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// On stop, the node drains (NodeDrain), then running requests and jobs get 30 s to finish before the process ends.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = NodeDrain.DrainTime(builder.Configuration) + TimeSpan.FromSeconds(30));

try
{
    builder.Services.AddLiveSessions(builder.Configuration, builder.Environment);
}
catch (LiveSessions.Web.Persistence.DataDirectoryException ex)
{
    // Said in one line an operator can act on, not as a stack trace.
    Console.Error.WriteLine(ex.Message);
    return 1;
}

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddOpenApi();
// Enums by name only: a number ("status": 2) would silently mean whatever enum member has that value today.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false)));

var app = builder.Build();

await app.Services.PrepareDatabaseAsync(app.Configuration, app.Environment);

if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

// Behind a reverse proxy (docs/scale-out.md) the client's address and scheme come from X-Forwarded-For and
// X-Forwarded-Proto, trusted only from the proxies listed in LiveSessions:TrustedProxies (loopback by default).
app.UseForwardedHeaders(ProxyHeaders.For(app.Configuration));
app.UseHttpsRedirection();
app.UseSecurityHeaders();
app.UseRateLimiter();

app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", CreateScopeForErrors = true, StatusCodeSelector = StatusCodeFor });
app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), ui => ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));

app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
// The API's description is for developers: outside Development it is not served (docs/security.md).
if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
    app.MapScalarApiReference();
}

app.MapLiveSessionsApi();
app.MapHub<RosterHub>(RosterHub.Path);
app.UseLiveSessionsJobs();
app.MapLiveSessionsHealth();
app.MapAccountEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));

// Every log line of this process names its node (LiveSessions:NodeName, else machine and process): the scope flows to
// requests, circuits and background work started inside it. Logs show scopes with Logging:Console:FormatterName=json
// and Logging:Console:FormatterOptions:IncludeScopes=true (docs/scale-out.md).
var node = app.Configuration["LiveSessions:NodeName"] ?? $"{Environment.MachineName}-{Environment.ProcessId}";
using (app.Logger.BeginScope(new Dictionary<string, object> { ["Node"] = node }))
{
    app.Run();
}

return 0;

static int StatusCodeFor(Exception ex) => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

/// <summary>Lets tests start the app with WebApplicationFactory.</summary>
public partial class Program;
