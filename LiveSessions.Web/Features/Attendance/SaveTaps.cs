using LiveSessions.Domain;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Attendance;

/// <summary>
/// One tap on the attendance form as the browser keeps it until the server has it: an id the browser chose (so a
/// replay is recognisable), the learner, the mark, and when it was tapped on the server's clock (Unix milliseconds).
/// </summary>
public sealed record AttendanceTap(string Id, int LearnerId, bool Attended, long TappedAt);

public enum TapResult
{
    /// <summary>The mark is in the database (it may already have been: a replay changes nothing).</summary>
    Saved,

    /// <summary>Someone else marked the learner after this tap was made: their later mark stays.</summary>
    Overruled,

    /// <summary>The move is not allowed (the learner is not on the form any more, the session is closed…).</summary>
    Refused,

    /// <summary>The server could not save it now; the browser keeps the tap and sends it again.</summary>
    Failed,
}

/// <summary>What became of one tap; <see cref="Done"/> tells the browser it may forget the tap.</summary>
public sealed record TapOutcome(string Id, TapResult Result, LearnerRow? Learner, string? Message)
{
    public bool Done => Result != TapResult.Failed;
}

/// <summary>
/// Saves the taps of the attendance form, in the order they were made, each in its own unit of work. A tap is
/// idempotent (a replay after a reconnect records nothing new), and the later mark wins: a tap kept offline that
/// reaches the server after another person's newer mark of the same learner does not overwrite it.
/// </summary>
public sealed partial class SaveTaps(SessionUnitOfWork work, AttendanceWindow window, ILogger<SaveTaps> logger)
{
    public async Task<IReadOnlyList<TapOutcome>> HandleAsync(int sessionId, IReadOnlyList<AttendanceTap> taps, CurrentUser user, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<TapOutcome>(taps.Count);
        foreach (var tap in taps)
        {
            outcomes.Add(await SaveAsync(sessionId, tap, user, cancellationToken));
        }

        return outcomes;
    }

    private async Task<TapOutcome> SaveAsync(int sessionId, AttendanceTap tap, CurrentUser user, CancellationToken cancellationToken)
    {
        Outcome<TapOutcome> outcome;
        try
        {
            outcome = await work.RunAsync<TapOutcome>(sessionId, RosterNeed.Learner(tap.LearnerId), async scope =>
            {
                if (!user.CanSeeSession(scope.Session))
                {
                    return Failure.Forbidden("Only this session's trainers and admins can take its attendance.");
                }

                var learner = scope.Session.FindLearnerById(tap.LearnerId);
                if (learner is null)
                {
                    return Failure.NotFound("The learner");
                }

                var wanted = tap.Attended ? LearnerStatus.Attended : LearnerStatus.Absent;
                var tappedAt = DateTimeOffset.FromUnixTimeMilliseconds(tap.TappedAt);
                if (learner.Status is LearnerStatus.Attended or LearnerStatus.Absent && learner.Status != wanted && learner.StatusChangedAt > tappedAt)
                {
                    var lastBy = await scope.Db.StatusChanges.AsNoTracking().Where(h => h.SessionLearnerId == learner.Id)
                        .OrderByDescending(h => h.At).ThenByDescending(h => h.Id).Select(h => h.ActorName).FirstOrDefaultAsync(cancellationToken);
                    if (!string.Equals(lastBy, user.Email, StringComparison.OrdinalIgnoreCase))
                    {
                        return new TapOutcome(tap.Id, TapResult.Overruled, LearnerRow.From(scope.Session, learner),
                            $"{learner.Employee.Name} was marked {learner.Status.Display()} by {lastBy} after your tap: that later mark stays.");
                    }
                }

                var result = scope.Session.MarkAttendance(learner, tap.Attended, user.AsTrainer, scope.Now, window.OpensBefore);
                if (!result.IsDone)
                {
                    return Failure.Conflict($"{learner.Employee.Name}: {result.Refusal}");
                }

                await scope.Db.SaveChangesAsync(cancellationToken);
                return new TapOutcome(tap.Id, TapResult.Saved, LearnerRow.From(scope.Session, learner), null);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or TimeoutException)
        {
            // A busy or unreachable database: the browser keeps the tap and sends it again.
            LogTapFailed(logger, ex, sessionId, tap.LearnerId);
            return new TapOutcome(tap.Id, TapResult.Failed, null, "The mark could not be saved yet; it will be sent again.");
        }

        return outcome.IsOk ? outcome.Value! : new TapOutcome(tap.Id, TapResult.Refused, null, outcome.Message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An attendance tap for session {SessionId}, learner {LearnerId} could not be saved")]
    private static partial void LogTapFailed(ILogger logger, Exception ex, int sessionId, int learnerId);
}

public sealed record MarkAllResult(int Marked);

/// <summary>"Mark all remaining as attended": every learner still Registered becomes Attended, in one unit of work.</summary>
public sealed class MarkRemainingAttended(SessionUnitOfWork work, AttendanceWindow window)
{
    public Task<Outcome<MarkAllResult>> HandleAsync(int sessionId, CurrentUser user, CancellationToken cancellationToken = default) =>
        work.RunAsync<MarkAllResult>(sessionId, async scope =>
        {
            if (!user.CanSeeSession(scope.Session))
            {
                return Failure.Forbidden("Only this session's trainers and admins can take its attendance.");
            }

            var remaining = scope.Session.Learners.Where(l => l.Status == LearnerStatus.Registered).ToList();
            foreach (var learner in remaining)
            {
                var result = scope.Session.MarkAttendance(learner, true, user.AsTrainer, scope.Now, window.OpensBefore);
                if (!result.IsDone)
                {
                    return Failure.Conflict(result.Refusal!);
                }
            }

            await scope.Db.SaveChangesAsync(cancellationToken);
            return new MarkAllResult(remaining.Count);
        }, cancellationToken);
}
