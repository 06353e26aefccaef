using System.Globalization;
using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Domain;
using LiveSessions.Web.Features.Email;

namespace LiveSessions.Tests.Email;

/// <summary>
/// The invitation's VTIMEZONE is complete (RFC 5545 §3.6.5): a STANDARD part, a DAYLIGHT part where the zone has
/// summer time, each with its offsets, so the event's local start resolves to the session's UTC start from the
/// .ics alone.
/// </summary>
public sealed partial class CalendarTimeZoneTests
{
    public static TheoryData<string, string, bool> Zones() => new()
    {
        { "Europe/Bucharest", "2027-07-14T07:00:00Z", true },
        { "Europe/Bucharest", "2027-01-14T08:00:00Z", true },
        { "America/New_York", "2027-07-14T14:00:00Z", true },
        { "America/New_York", "2027-12-01T15:00:00Z", true },
        { "Asia/Singapore", "2027-07-14T01:00:00Z", false },
    };

    [Theory]
    [MemberData(nameof(Zones))]
    public void The_VTIMEZONE_parses_back_and_places_the_event_at_the_sessions_UTC_start(string zone, string startUtc, bool hasSummerTime)
    {
        var start = DateTimeOffset.Parse(startUtc, CultureInfo.InvariantCulture);
        var session = new LiveSession(Build.Course(), Build.Session().Starting(start).Details() with { TimeZone = zone, EnableCalendar = true }, [Build.Employee("Tom Trainer")]);
        var learner = session.AddLearner(Build.Employee("Lea Learner"), Fixed.Admin, Fixed.Now).Learner!;

        var ics = CalendarInvites.Build(session, learner, CalendarInvites.Request, "training@acme.example", "Training team");
        var calendar = Ical.Net.Calendar.Load(ics)!;

        var timeZone = Assert.Single(calendar.TimeZones);
        Assert.Equal(zone, timeZone.TzId);
        var block = Block().Match(ics).Value;
        Assert.Contains("BEGIN:STANDARD", block, StringComparison.Ordinal);
        Assert.Equal(hasSummerTime, block.Contains("BEGIN:DAYLIGHT", StringComparison.Ordinal));

        // The offset the VTIMEZONE gives for the session's date is the zone's real one, and local start − offset = UTC start.
        var expected = TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(start);
        var inForce = TimeZoneInfo.FindSystemTimeZoneById(zone).IsDaylightSavingTime(start) ? "DAYLIGHT" : "STANDARD";
        var offset = OffsetTo(Regex.Match(block, $"BEGIN:{inForce}.*?END:{inForce}", RegexOptions.Singleline).Value);
        Assert.Equal(expected, offset);
        var calendarEvent = Assert.Single(calendar.Events);
        Assert.Equal(zone, calendarEvent.DtStart!.TzId);
        var local = new DateTime(calendarEvent.DtStart.Year, calendarEvent.DtStart.Month, calendarEvent.DtStart.Day, calendarEvent.DtStart.Hour, calendarEvent.DtStart.Minute, 0, DateTimeKind.Unspecified);
        Assert.Equal(start.UtcDateTime, local - offset);
    }

    private static TimeSpan OffsetTo(string observance)
    {
        var value = Regex.Match(observance, @"TZOFFSETTO:([+-])(\d{2})(\d{2})").Groups;
        var offset = new TimeSpan(int.Parse(value[2].Value, CultureInfo.InvariantCulture), int.Parse(value[3].Value, CultureInfo.InvariantCulture), 0);
        return value[1].Value == "-" ? -offset : offset;
    }

    [GeneratedRegex("BEGIN:VTIMEZONE.*?END:VTIMEZONE", RegexOptions.Singleline)]
    private static partial Regex Block();
}
