namespace LiveSessions.Web.Features.Operations;

/// <summary>
/// Headers every answer carries. The Content-Security-Policy allows scripts from this origin only (Blazor, MudBlazor
/// and the app's own files; no inline script, no eval) and inline styles, which MudBlazor sets on its components.
/// Hangfire's dashboard and the Development-only API reference bring their own inline scripts, so they get the other
/// headers but not this policy.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";

            // Email links carry their token in the path: no other site is told where a visitor came from.
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
            if (!context.Request.Path.StartsWithSegments("/hangfire") && !context.Request.Path.StartsWithSegments("/scalar"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}

/// <summary>Which proxies may tell the app the client's address and scheme.</summary>
public static class ProxyHeaders
{
    public static ForwardedHeadersOptions For(IConfiguration configuration)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
        };
        foreach (var proxy in (configuration["LiveSessions:TrustedProxies"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }

        return options;
    }
}

/// <summary>
/// Pages opened by a token in their address (email links <c>/l/{token}</c>, the attendance form
/// <c>/attendance/{token}</c>) answer at most <c>LiveSessions:RateLimits:LinkPagesPerClientPerMinute</c> (60) requests a
/// minute per client address, so nobody can try tokens at speed. Sign-ins have their own limits (SignInThrottle).
/// </summary>
public static class LinkRateLimits
{
    public static IServiceCollection AddLinkRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limit = configuration.GetValue("LiveSessions:RateLimits:LinkPagesPerClientPerMinute", 60);
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = System.Threading.RateLimiting.PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/l") || context.Request.Path.StartsWithSegments("/attendance")
                    ? System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : System.Threading.RateLimiting.RateLimitPartition.GetNoLimiter(string.Empty));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync($"Too many requests from your address. Try again in {seconds} seconds.", cancellationToken);
            };
        });
    }
}
