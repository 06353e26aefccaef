using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Web.Features.Sessions;

/// <summary>
/// "Create a sister session" for a session with demand: a new Draft with the same settings (course, description,
/// type, duration, time zone, location, capacity, switches, approval, trainers, automation), titled with a suffix and
/// starting a week later at the same local time, made by <see cref="SaveSession"/> like any new session.
/// </summary>
public sealed class CreateSisterSession(SessionQueries queries, SaveSession save)
{
    public const string TitleSuffix = " (sister session)";

    public static readonly TimeSpan StartsLater = TimeSpan.FromDays(7);

    public async Task<Outcome<SessionView>> HandleAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can create sessions.");
        }

        var found = await queries.GetAsync(sessionId, user, cancellationToken);
        if (found.Value is not { } source)
        {
            return found;
        }

        // A week later on the wall clock of the session's time zone, so a change of daylight saving time keeps 9:00 at 9:00.
        var start = SessionTime.FromLocal(SessionTime.ToLocal(source.Start, source.TimeZone) + StartsLater, source.TimeZone);
        var end = SessionTime.FromLocal(SessionTime.ToLocal(source.End, source.TimeZone) + StartsLater, source.TimeZone);
        return await save.CreateAsync(new SessionFields
        {
            CourseId = source.CourseId,
            Title = SisterTitle(source.Title),
            Description = source.Description,
            Type = source.Type,
            Start = start,
            End = end,
            TimeZone = source.TimeZone,
            Location = source.Location,
            MaxCapacity = source.MaxCapacity,
            EnableWaitingList = source.EnableWaitingList,
            RequiresApproval = source.RequiresApproval,
            ApprovalFlow = source.ApprovalFlow,
            ApprovalLevels = source.ApprovalLevels,
            EnableCalendar = source.EnableCalendar,
            TrainerEmails = source.Trainers.Select(t => t.Email).ToList(),
            Automation = source.Automation,
        }, user, cancellationToken);
    }

    /// <summary>The title with the suffix once (a sister of a sister is not "(sister session) (sister session)"), within 200 characters.</summary>
    public static string SisterTitle(string title)
    {
        var stem = title.EndsWith(TitleSuffix, StringComparison.Ordinal) ? title[..^TitleSuffix.Length] : title;
        var room = Domain.SessionDetails.Limits.Title - TitleSuffix.Length;
        return (stem.Length > room ? stem[..room].TrimEnd() : stem) + TitleSuffix;
    }
}
