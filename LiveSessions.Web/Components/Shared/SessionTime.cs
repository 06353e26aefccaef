using System.Globalization;

namespace LiveSessions.Web.Components.Shared;

/// <summary>Shows a UTC instant in the session's own time zone.</summary>
public static class SessionTime
{
    public static DateTime ToLocal(DateTimeOffset utc, string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            ? TimeZoneInfo.ConvertTime(utc, zone).DateTime
            : utc.UtcDateTime;

    public static DateTimeOffset FromLocal(DateTime local, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var z) ? z : TimeZoneInfo.Utc;
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    public static string Format(DateTimeOffset utc, string timeZone) =>
        ToLocal(utc, timeZone).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " (" + timeZone + ")";

    /// <summary>Date and time without the zone, for a column whose header names the zone once.</summary>
    public static string FormatCompact(DateTimeOffset utc, string timeZone) =>
        ToLocal(utc, timeZone).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    public static string FormatRange(DateTimeOffset start, DateTimeOffset end, string timeZone)
    {
        var s = ToLocal(start, timeZone);
        var e = ToLocal(end, timeZone);
        var endText = s.Date == e.Date ? e.ToString("HH:mm", CultureInfo.InvariantCulture) : e.ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);
        return $"{s.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture)} – {endText} ({timeZone})";
    }
}
