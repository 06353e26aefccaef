using LiveSessions.Domain;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Registration;

/// <summary>A calendar file: its name and its iCalendar text.</summary>
public sealed record CalendarFile(string FileName, string Content)
{
    public const string ContentType = "text/calendar";
}

/// <summary>
/// A learner's own session as an .ics to add to their calendar (GET /me/sessions/{id}/calendar.ics): only for a
/// session they are in, or going to be in; any other session does not exist for them.
/// </summary>
public sealed class MyCalendar(IDbContextFactory<LiveSessionsDbContext> contextFactory, EmailComposer composer)
{
    /// <summary>A learner with a seat, an offer, a place in line or a request waiting, in a session still on.</summary>
    public static bool Offers(LearnerStatus status, SessionStatus session) =>
        status is LearnerStatus.Registered or LearnerStatus.Invited or LearnerStatus.WaitingList or LearnerStatus.NeedsApproval
        && session is SessionStatus.Draft or SessionStatus.Processing or SessionStatus.Ready;

    public async Task<Outcome<CalendarFile>> HandleAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsLearner)
        {
            return Failure.Forbidden("Only learners download their sessions.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var learner = await db.Learners.AsNoTracking().Include(l => l.Employee).Include(l => l.Session)
            .FirstOrDefaultAsync(l => l.SessionId == sessionId && l.Employee.Email == user.Email, cancellationToken);
        if (learner is null || !Offers(learner.Status, learner.Session.Status))
        {
            return Failure.NotFound("Your session");
        }

        return new CalendarFile(FileNameOf(learner.Session), composer.PublishedCalendar(learner.Session, learner));
    }

    // The session's title, kept to letters, digits, spaces and dashes, so every browser and file system takes it.
    private static string FileNameOf(LiveSession session)
    {
        var name = new string(session.Title.Select(c => char.IsLetterOrDigit(c) || c is ' ' or '-' ? c : ' ').ToArray()).Trim();
        name = string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return (name.Length == 0 ? $"session {session.Id}" : name.Length > 80 ? name[..80].TrimEnd() : name) + ".ics";
    }
}
