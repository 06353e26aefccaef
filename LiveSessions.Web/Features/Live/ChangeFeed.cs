using System.Globalization;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Email;

namespace LiveSessions.Web.Features.Live;

/// <summary>What kinds of change one committed unit of work made to a session.</summary>
[Flags]
public enum FeedChange
{
    None = 0,
    Learners = 1,
    SessionStatus = 2,
    SessionDetails = 4,
    BecameReady = 8,
    Attendance = 16,
    Emails = 32,
}

/// <summary>
/// One committed change to a session, appended in the same transaction as the change itself: everything that must
/// happen after a commit (live views, hub clients, automation plans, email sends) is driven from these rows by
/// <see cref="ChangeFeedDispatcher"/>, so a crash after the commit delays a reaction but never loses it.
/// </summary>
public sealed class ChangeFeedEntry
{
    public long Id { get; set; }

    public int SessionId { get; set; }

    /// <summary>The session's version before the change; a view that knows an older one missed a change and re-reads.</summary>
    public int FromVersion { get; set; }

    public int Version { get; set; }

    public FeedChange Changes { get; set; }

    /// <summary>Comma-separated ids of the learners whose rows changed.</summary>
    public string LearnerIds { get; set; } = string.Empty;

    /// <summary>Comma-separated ids of the outbox rows queued by the change.</summary>
    public string OutboxIds { get; set; } = string.Empty;

    public string Actor { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }

    public IReadOnlyList<int> LearnerIdList() => Parse(LearnerIds, int.Parse);

    public IReadOnlyList<long> OutboxIdList() => Parse(OutboxIds, long.Parse);

    /// <summary>The feed row of what <paramref name="events"/> did to session <paramref name="sessionId"/>.</summary>
    public static ChangeFeedEntry Describe(int sessionId, int fromVersion, int version, IEnumerable<DomainEvent> events, DateTimeOffset now)
    {
        var changes = FeedChange.None;
        var learners = new HashSet<int>();
        var outbox = new List<long>();
        string? actor = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case LearnerStatusChanged change:
                    changes |= FeedChange.Learners;
                    learners.Add(change.Learner.Id);
                    actor ??= change.Actor.Name;
                    break;
                case AttendanceConfirmed confirmed:
                    changes |= FeedChange.Attendance;
                    learners.Add(confirmed.Learner.Id);
                    break;
                case SessionStatusChanged status:
                    changes |= FeedChange.SessionStatus | (status.To == SessionStatus.Ready ? FeedChange.BecameReady : FeedChange.None);
                    actor ??= status.Actor.Name;
                    break;
                case SessionDetailsChanged:
                    changes |= FeedChange.SessionDetails;
                    break;
                case EmailsQueued queued:
                    changes |= FeedChange.Emails;
                    outbox.AddRange(queued.OutboxIds);
                    break;
            }
        }

        return new ChangeFeedEntry
        {
            SessionId = sessionId,
            FromVersion = fromVersion,
            Version = version,
            Changes = changes,
            LearnerIds = string.Join(',', learners.Where(id => id != 0).Order()),
            OutboxIds = string.Join(',', outbox),
            Actor = actor ?? "system",
            At = now,
        };
    }

    private static List<T> Parse<T>(string list, Func<string, IFormatProvider, T> parse) =>
        string.IsNullOrEmpty(list) ? [] : list.Split(',').Select(s => parse(s, CultureInfo.InvariantCulture)).ToList();
}

/// <summary>How far a reader of the feed has durably got (the reactions that must happen once across all nodes).</summary>
public sealed class FeedCursor
{
    public required string Name { get; set; }

    public long Position { get; set; }
}
