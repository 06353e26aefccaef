using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;

namespace LiveSessions.Web.Features.Email;

/// <summary>
/// The .ics of a session for one learner: a stable UID per session and learner, the session's SEQUENCE (raised with
/// every change of name, times, description or location), METHOD REQUEST or CANCEL.
/// </summary>
public static class CalendarInvites
{
    public const string Request = "REQUEST";
    public const string Cancel = "CANCEL";

    public static string Uid(int sessionId, int learnerId) => $"session-{sessionId}-learner-{learnerId}@livesessions";

    public static string Build(LiveSession session, SessionLearner learner, string method, string organizerEmail, string organizerName)
    {
        var calendar = new Calendar { Method = method, ProductId = "-//LiveSessions//EN" };
        calendar.AddTimeZone(new VTimeZone(session.TimeZone));
        var calendarEvent = new CalendarEvent
        {
            Uid = Uid(session.Id, learner.Id),
            Sequence = session.CalendarSequence,
            Summary = session.Title,
            Description = session.Description,
            Location = session.Location,
            DtStart = new CalDateTime(SessionTime.ToLocal(session.Start, session.TimeZone), session.TimeZone),
            DtEnd = new CalDateTime(SessionTime.ToLocal(session.End, session.TimeZone), session.TimeZone),
            Status = method == Cancel ? "CANCELLED" : "CONFIRMED",
            Organizer = new Organizer($"mailto:{organizerEmail}") { CommonName = OneLine(organizerName) },
        };
        calendarEvent.Attendees.Add(new Attendee($"mailto:{learner.Employee.Email}")
        {
            CommonName = OneLine(learner.Employee.Name),
            Role = "REQ-PARTICIPANT",
            ParticipationStatus = method == Cancel ? "DECLINED" : "NEEDS-ACTION",
            Rsvp = method != Cancel,
        });
        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
    }

    private static string OneLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
