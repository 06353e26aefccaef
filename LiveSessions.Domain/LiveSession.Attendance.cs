namespace LiveSessions.Domain;

/// <summary>Attendance: marks, Go Shows, and the rest marked Absent after the end.</summary>
public sealed partial class LiveSession
{
    // ---- Learners: attendance --------------------------------------------------------------------------------

    /// <summary>
    /// After the end (or on completion), learners still Registered become Absent when the automation setting asks
    /// for it; returns how many moved.
    /// </summary>
    public int MarkRemainingAbsent(DateTimeOffset now)
    {
        RequireWholeRoster("Marking the rest absent");
        if (!Automation.MarkAbsentAfterEnd || Status is SessionStatus.Cancelled or SessionStatus.Draft or SessionStatus.Processing)
        {
            return 0;
        }

        var remaining = learners.Where(l => l.Status == LearnerStatus.Registered).ToList();
        foreach (var learner in remaining)
        {
            Move(learner, LearnerTrigger.MarkedAbsent, LearnerStatus.Absent, Actor.SystemJob, now, null, AutoAbsentCause);
        }

        return remaining.Count;
    }

    /// <summary>
    /// Marks a learner present or absent. With <paramref name="opensBefore"/>, not before that long before the start:
    /// nobody can mark a session of next month by mistake, or before the learners could have come.
    /// </summary>
    public LearnerResult MarkAttendance(SessionLearner learner, bool attended, Actor actor, DateTimeOffset now, TimeSpan? opensBefore = null)
    {
        if (NotOpenYet(now, opensBefore, "Attendance") is { } closed)
        {
            return closed;
        }

        var to = attended ? LearnerStatus.Attended : LearnerStatus.Absent;
        if (learner.Status == to)
        {
            // A repeated tap (or a replay after a reconnect) is not an error: the mark is already there.
            return LearnerResult.Done(learner);
        }

        var trigger = attended ? LearnerTrigger.MarkedAttended : LearnerTrigger.MarkedAbsent;
        var check = LearnerStatusMachine.Check(trigger, learner.Status, to);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        if (Status is not (SessionStatus.Ready or SessionStatus.Completed))
        {
            return LearnerResult.Refuse($"Attendance can be taken for Ready or Completed sessions only; this session is {Status}.");
        }

        Move(learner, trigger, to, actor, now, null, null);
        return LearnerResult.Done(learner);
    }

    /// <summary>A trainer adds someone who was not registered: straight to Go Show, counted in the fill rate.</summary>
    public LearnerResult AddGoShow(Employee employee, Actor actor, DateTimeOffset now, TimeSpan? opensBefore = null)
    {
        if (NotOpenYet(now, opensBefore, "Go Shows") is { } closed)
        {
            return closed;
        }

        if (Status is not (SessionStatus.Ready or SessionStatus.Completed))
        {
            return LearnerResult.Refuse($"Go Shows can be added to Ready or Completed sessions only; this session is {Status}.");
        }

        var learner = FindLearner(employee);
        if (learner?.Status == LearnerStatus.GoShow)
        {
            return LearnerResult.Done(learner);
        }

        var check = LearnerStatusMachine.Check(LearnerTrigger.AddedAsGoShow, learner?.Status, LearnerStatus.GoShow);
        if (!check.IsAllowed)
        {
            return LearnerResult.Refuse(check.Reason!);
        }

        learner ??= NewLearner(employee);
        Move(learner, LearnerTrigger.AddedAsGoShow, LearnerStatus.GoShow, actor, now, null, null);
        return LearnerResult.Done(learner);
    }

    private LearnerResult? NotOpenYet(DateTimeOffset now, TimeSpan? opensBefore, string what) =>
        opensBefore is { } window && now < Start - window
            ? LearnerResult.Refuse($"{what} can be taken from {FormatWindow(window)} before the start; this session starts {Start:yyyy-MM-dd HH:mm} UTC.")
            : null;

    private static string FormatWindow(TimeSpan window) =>
        window.TotalHours >= 1 && window.Minutes == 0 ? $"{window.TotalHours:0.#} hour{(window.TotalHours == 1 ? string.Empty : "s")}" : $"{window.TotalMinutes:0} minutes";
}
