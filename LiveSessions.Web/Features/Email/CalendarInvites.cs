using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;

namespace LiveSessions.Web.Features.Email;

/// <summary>
/// The .ics of a session for one learner: a stable UID per learner, the learner's own SEQUENCE (higher
/// with every calendar message sent to them, never below the session's, which rises with every change of name,
/// times, description or location), METHOD REQUEST or CANCEL, or PUBLISH for a download from the portal.
/// </summary>
public static class CalendarInvites
{
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";

    /// <summary>A calendar file the learner downloads: no reply is asked for, so it names no attendee (RFC 5546 §3.2.1).</summary>
    public const string Publish = "PUBLISH";

    /// <summary>The UID of a learner's event: their own random one (set with their first calendar message).</summary>
    public static string Uid(SessionLearner learner) => learner.CalendarUid ?? $"session-{learner.SessionId}-learner-{learner.Id}@livesessions";

    public static string Build(LiveSession session, SessionLearner learner, string method, string organizerEmail, string organizerName, int? sequence = null)
    {
        var calendar = new Calendar { Method = method, ProductId = "-//LiveSessions//EN" };
        calendar.AddTimeZone(TimeZoneOf(session));
        var calendarEvent = new CalendarEvent
        {
            Uid = Uid(learner),
            Sequence = sequence ?? session.CalendarSequence,
            Summary = session.Title,
            Description = session.Description,
            Location = session.Location,
            DtStart = new CalDateTime(SessionTime.ToLocal(session.Start, session.TimeZone), session.TimeZone),
            DtEnd = new CalDateTime(SessionTime.ToLocal(session.End, session.TimeZone), session.TimeZone),
            Status = method == Cancel ? "CANCELLED" : "CONFIRMED",
            Organizer = new Organizer($"mailto:{organizerEmail}") { CommonName = OneLine(organizerName) },
        };
        if (method != Publish)
        {
            calendarEvent.Attendees.Add(new Attendee($"mailto:{learner.Employee.Email}")
            {
                CommonName = OneLine(learner.Employee.Name),
                Role = "REQ-PARTICIPANT",
                ParticipationStatus = method == Cancel ? "DECLINED" : "NEEDS-ACTION",
                Rsvp = method != Cancel,
            });
        }

        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
    }

    /// <summary>
    /// A complete VTIMEZONE for the session's IANA zone (RFC 5545 §3.6.5): one STANDARD or DAYLIGHT observance per
    /// offset in force from a year before the session to a year after it, each with its onset in local time and the
    /// offsets before and after, from the tz database (NodaTime). A calendar client then places the event right from
    /// the .ics alone. Ical.Net's own builder leaves the observances out for a zone with no change in that span.
    /// </summary>
    public static VTimeZone TimeZoneOf(LiveSession session)
    {
        var zone = NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(session.TimeZone) ?? NodaTime.DateTimeZone.Utc;
        var from = NodaTime.Instant.FromDateTimeOffset(session.Start).Minus(NodaTime.Duration.FromDays(366));
        var to = NodaTime.Instant.FromDateTimeOffset(session.End).Plus(NodaTime.Duration.FromDays(366));
        var timeZone = new VTimeZone { TzId = session.TimeZone };
        NodaTime.TimeZones.ZoneInterval? previous = null;
        foreach (var interval in zone.GetZoneIntervals(from, to))
        {
            var onset = interval.HasStart && interval.Start > from ? interval.Start : from;
            var offsetFrom = previous?.WallOffset ?? interval.WallOffset;
            var observance = new VTimeZoneInfo
            {
                Name = interval.Savings != NodaTime.Offset.Zero ? Ical.Net.Components.Daylight : Ical.Net.Components.Standard,
                OffsetFrom = new UtcOffset(offsetFrom.ToTimeSpan()),
                OffsetTo = new UtcOffset(interval.WallOffset.ToTimeSpan()),
                TimeZoneName = interval.Name,

                // The onset in the local time before it (RFC 5545), a floating date-time.
                DtStart = new CalDateTime(onset.WithOffset(offsetFrom).LocalDateTime.ToDateTimeUnspecified()),
            };
            timeZone.TimeZoneInfos.Add(observance);
            previous = interval;
        }

        return timeZone;
    }

    private static string OneLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
