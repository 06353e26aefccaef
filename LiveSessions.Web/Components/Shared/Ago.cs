namespace LiveSessions.Web.Components.Shared;

/// <summary>How long ago something happened, in words a wall screen reads at a glance ("a minute ago").</summary>
public static class Ago
{
    public static string Of(DateTimeOffset at, DateTimeOffset now)
    {
        var elapsed = now - at;
        return elapsed switch
        {
            { TotalSeconds: < 45 } => "just now",
            { TotalSeconds: < 90 } => "a minute ago",
            { TotalMinutes: < 45 } => $"{Math.Round(elapsed.TotalMinutes)} minutes ago",
            { TotalMinutes: < 90 } => "an hour ago",
            { TotalHours: < 22 } => $"{Math.Round(elapsed.TotalHours)} hours ago",
            { TotalHours: < 36 } => "yesterday",
            _ => $"{Math.Max(2, Math.Round(elapsed.TotalDays))} days ago",
        };
    }
}
