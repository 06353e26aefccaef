namespace LiveSessions.Web.Features.Email;

/// <summary>The Smtp section of appsettings.json (Smtp__Host, Smtp__Port… override it). No Host: emails stay in the Mailbox.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public bool UseTls { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "LiveSessions <no-reply@livesessions.local>";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>
/// Where links in emails point: <c>LiveSessions:PublicBaseUrl</c> (set it behind a proxy or a DNS name), else the
/// address the app is listening on, so a start on another port (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) still sends
/// links that open.
/// </summary>
public sealed class PublicUrls(IConfiguration configuration, Microsoft.AspNetCore.Hosting.Server.IServer server)
{
    public string BaseUrl => (configuration["LiveSessions:PublicBaseUrl"] is { Length: > 0 } configured ? configured : Listening() ?? "http://localhost:5080").TrimEnd('/');

    private string? Listening()
    {
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ?? addresses?.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        // Listening on every interface: a link needs a name a browser can open.
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.GetLeftPart(UriPartial.Authority);
    }

    public string Link(string token) => $"{BaseUrl}/l/{token}";

    public string Session(int sessionId) => $"{BaseUrl}/me";
}
