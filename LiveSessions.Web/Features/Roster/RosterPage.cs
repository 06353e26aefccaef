using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Roster;

public enum RosterSort
{
    Name,
    Email,
    Department,
    Status,
    StatusChangedAt,
    WaitingListPosition,
}

/// <summary>What the learners card asks for: filter, sort and one page.</summary>
public sealed record RosterQuery(string? Search = null, LearnerStatus? Status = null, RosterSort SortBy = RosterSort.Name, bool Descending = false, int Page = 0, int PageSize = 50);

public sealed record RosterPageResult(IReadOnlyList<LearnerRow> Items, int Total);

/// <summary>Server-side filtering, sorting and paging of a roster, so a 5,000-learner session stays quick.</summary>
public sealed class RosterPage(IDbContextFactory<LiveSessionsDbContext> contextFactory)
{
    public async Task<Outcome<RosterPageResult>> GetAsync(int sessionId, RosterQuery query, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        var waitingIds = await WaitingOrderAsync(db, sessionId, cancellationToken);
        var positions = waitingIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i + 1);
        var filtered = Filter(db, sessionId, query.Search, query.Status);
        var total = await filtered.CountAsync(cancellationToken);
        var ordered = query.SortBy switch
        {
            RosterSort.Email => Order(filtered, l => l.Employee.Email, query.Descending),
            RosterSort.Department => Order(filtered, l => l.Employee.Department, query.Descending),
            RosterSort.Status => Order(filtered, l => l.Status, query.Descending),
            RosterSort.StatusChangedAt => Order(filtered, l => l.StatusChangedAt, query.Descending),
            RosterSort.WaitingListPosition => Order(filtered, l => l.WaitingListOrder ?? long.MaxValue, query.Descending),
            _ => Order(filtered, l => l.Employee.Name, query.Descending),
        };
        var pageSize = Math.Clamp(query.PageSize, 1, 500);
        var items = await ordered.ThenBy(l => l.Id)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .Include(l => l.Employee)
            .ToListAsync(cancellationToken);
        return new RosterPageResult(items.Select(l => LearnerRow.From(l, positions.TryGetValue(l.Id, out var p) ? p : null)).ToList(), total);
    }

    /// <summary>Every learner id the filter matches: "select all" selects the filtered roster, not just the page.</summary>
    public async Task<Outcome<IReadOnlyList<int>>> IdsAsync(int sessionId, string? search, LearnerStatus? status, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        return await Filter(db, sessionId, search, status).Select(l => l.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Which of <paramref name="learnerIds"/> the filter matches: the others are selected but hidden by it.</summary>
    public async Task<Outcome<IReadOnlySet<int>>> MatchingAsync(int sessionId, string? search, LearnerStatus? status, IReadOnlyCollection<int> learnerIds, CurrentUser user, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await RosterQueries.CheckAccessAsync(db, sessionId, user, cancellationToken) is { } failure)
        {
            return failure;
        }

        var ids = learnerIds.ToList();
        return (await Filter(db, sessionId, search, status).Where(l => ids.Contains(l.Id)).Select(l => l.Id).ToListAsync(cancellationToken)).ToHashSet();
    }

    /// <summary>Current versions of the given learners, to tell a viewer that rows changed under them.</summary>
    public async Task<IReadOnlyDictionary<int, (int Version, LearnerStatus Status)>> VersionsAsync(int sessionId, IReadOnlyCollection<int> learnerIds, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId && learnerIds.Contains(l.Id))
            .Select(l => new { l.Id, l.Version, l.Status }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => (r.Version, r.Status));
    }

    internal static Task<List<int>> WaitingOrderAsync(LiveSessionsDbContext db, int sessionId, CancellationToken cancellationToken) =>
        db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId).InLine().Select(l => l.Id).ToListAsync(cancellationToken);

    internal static IQueryable<SessionLearner> Filter(LiveSessionsDbContext db, int sessionId, string? search, LearnerStatus? status)
    {
        var query = db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId);
        if (status is { } s)
        {
            query = query.Where(l => l.Status == s);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = $"%{search.Trim()}%";
            query = query.Where(l => EF.Functions.Like(l.Employee.Name, term) || EF.Functions.Like(l.Employee.Email, term) || EF.Functions.Like(l.Employee.Department, term));
        }

        return query;
    }

    private static IOrderedQueryable<SessionLearner> Order<TKey>(IQueryable<SessionLearner> query, System.Linq.Expressions.Expression<Func<SessionLearner, TKey>> key, bool descending) =>
        descending ? query.OrderByDescending(key) : query.OrderBy(key);
}
