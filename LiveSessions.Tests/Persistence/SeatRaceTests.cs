using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Persistence;

/// <summary>
/// Concurrent registrations against the real SQLite file: seat decisions for one session are serialised,
/// so no interleaving overbooks and the waiting list keeps the order in which requests were decided.
/// </summary>
public abstract class SeatRaceTests(AppFixture app)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Fifty_concurrent_registrations_for_one_free_seat_seat_exactly_one_and_queue_the_rest_in_arrival_order(int round)
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await app.NewEmployeesAsync(50, $"race{round}");
        var register = app.Get<RegisterLearner>();

        var outcomes = await Task.WhenAll(people.Select(p =>
            Task.Run(() => register.HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), TestContext.Current.CancellationToken))));

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Message));
        var learners = await LearnersAsync(session.Id);
        Assert.Equal(50, learners.Count);
        Assert.Single(learners, l => l.Status == LearnerStatus.Registered);
        var waiting = learners.Where(l => l.Status == LearnerStatus.WaitingList).OrderBy(l => l.WaitingListOrder).ToList();
        Assert.Equal(49, waiting.Count);
        Assert.Equal(49, waiting.Select(l => l.WaitingListOrder).Distinct().Count());

        // Arrival order is the order in which the serialised transactions wrote their history rows.
        var historyOrder = await FirstHistoryIdsAsync(waiting.Select(w => w.Id).ToList());
        Assert.Equal(waiting.Select(w => w.Id), waiting.OrderBy(w => historyOrder[w.Id]).Select(w => w.Id));
        var positions = outcomes.Select(o => o.Value!.Learner.WaitingListPosition).Where(p => p is not null).Select(p => p!.Value).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 49), positions);
    }

    [Fact]
    public async Task Fifty_concurrent_registrations_without_a_waiting_list_seat_one_and_refuse_the_rest_unchanged()
    {
        var session = await app.NewSessionAsync(capacity: 1, waitingList: false);
        var people = await app.NewEmployeesAsync(50, "full");
        var register = app.Get<RegisterLearner>();

        var outcomes = await Task.WhenAll(people.Select(p =>
            Task.Run(() => register.HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), TestContext.Current.CancellationToken))));

        Assert.Single(outcomes, o => o.IsOk);
        Assert.All(outcomes.Where(o => !o.IsOk), o => Assert.StartsWith("This session is full", o.Message, StringComparison.Ordinal));
        var learners = await LearnersAsync(session.Id);
        Assert.Single(learners);
        Assert.Equal(LearnerStatus.Registered, learners[0].Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Cancellations_racing_new_registrations_never_leave_a_free_seat_while_someone_waits(int round)
    {
        const int capacity = 5;
        var session = await app.NewSessionAsync(capacity: capacity, waitingList: true);
        var seated = await app.NewEmployeesAsync(capacity, $"seat{round}");
        var queued = await app.NewEmployeesAsync(10, $"queue{round}");
        var late = await app.NewEmployeesAsync(10, $"late{round}");
        var register = app.Get<RegisterLearner>();
        var cancel = app.Get<CancelRegistration>();
        foreach (var p in seated.Concat(queued))
        {
            Assert.True((await register.HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), TestContext.Current.CancellationToken)).IsOk);
        }

        var work = seated.Select(p => Task.Run(async () => (await cancel.HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), TestContext.Current.CancellationToken)).IsOk))
            .Concat(late.Select(p => Task.Run(async () => (await register.HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), TestContext.Current.CancellationToken)).IsOk)));
        Assert.All(await Task.WhenAll(work), Assert.True);

        var learners = await LearnersAsync(session.Id);
        var now = DateTimeOffset.UtcNow;
        var taken = learners.Count(l => l.Status.TakesSeat());
        var held = learners.Count(l => l.HoldsSeatOffer(now));
        Assert.True(taken + held <= capacity, $"{taken} taken + {held} held > {capacity}");
        Assert.Equal(capacity, taken + held);
        Assert.Equal(capacity, learners.Count(l => l.Status == LearnerStatus.Cancelled));

        // The offers went to the first five of the original queue, in their order.
        var offered = learners.Where(l => l.Status == LearnerStatus.Invited).Select(l => l.EmployeeId).ToHashSet();
        Assert.Equal(queued.Take(capacity).Select(q => q.Id).ToHashSet(), offered);
        Assert.Equal(15, learners.Count(l => l.Status == LearnerStatus.WaitingList));
    }

    private async Task<List<SessionLearner>> LearnersAsync(int sessionId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId).ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<Dictionary<int, long>> FirstHistoryIdsAsync(List<int> learnerIds)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.StatusChanges.Where(h => learnerIds.Contains(h.SessionLearnerId))
            .GroupBy(h => h.SessionLearnerId)
            .Select(g => new { g.Key, First = g.Min(h => h.Id) })
            .ToDictionaryAsync(x => x.Key, x => x.First, TestContext.Current.CancellationToken);
    }
}

/// <summary>The races on the embedded SQLite file.</summary>
[Collection(AppCollection.Name)]
public sealed class SeatRaceTestsOnSqlite(AppFixture app) : SeatRaceTests(app);

/// <summary>The same races on PostgreSQL, where the session's row lock serialises its decisions.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SeatRaceTestsOnPostgreSql(PostgresAppFixture app) : SeatRaceTests(app);
