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

/// <summary>Where links in emails point: LiveSessions:PublicBaseUrl.</summary>
public sealed class PublicUrls(IConfiguration configuration)
{
    public string BaseUrl => (configuration["LiveSessions:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/');

    public string Link(string token) => $"{BaseUrl}/l/{token}";

    public string Session(int sessionId) => $"{BaseUrl}/me";
}
