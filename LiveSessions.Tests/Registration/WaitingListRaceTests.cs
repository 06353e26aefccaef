using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Automation;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Registration;

/// <summary>The waiting list under concurrent load on a real SQLite file.</summary>
public abstract class WaitingListRaceTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hundred_concurrent_registrations_for_ten_seats_seat_ten_and_queue_190_in_arrival_order()
    {
        var session = await app.NewSessionAsync(capacity: 10, waitingList: true);
        var people = await app.NewEmployeesAsync(200, "crowd");
        var register = app.Get<RegisterLearner>();

        var outcomes = await Task.WhenAll(people.Select(p => Task.Run(() => register.HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), Ct), Ct)));

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Message));
        var learners = await LearnersAsync(session.Id);
        Assert.Equal(10, learners.Count(l => l.Status == LearnerStatus.Registered));
        var waiting = learners.Where(l => l.Status == LearnerStatus.WaitingList).OrderBy(l => l.WaitingListOrder).ToList();
        Assert.Equal(190, waiting.Count);

        // Arrival order is the order in which the serialised transactions wrote their first history row.
        var firstChange = await FirstChangeAsync(learners.Select(l => l.Id).ToList());
        Assert.Equal(waiting.Select(w => w.Id), waiting.OrderBy(w => firstChange[w.Id]).Select(w => w.Id));
        var seatedLast = learners.Where(l => l.Status == LearnerStatus.Registered).Max(l => firstChange[l.Id]);
        Assert.All(waiting, w => Assert.True(firstChange[w.Id] > seatedLast, "someone queued before a seat was taken"));
    }

    [Fact]
    public async Task Cancellations_declines_expiries_and_registrations_interleaved_never_overbook_skip_or_double_offer()
    {
        const int capacity = 6;
        // A few seconds in every run (still enough to break an invariant); LIVESESSIONS_SOAK_SECONDS=300 for a real soak.
        var duration = Soak.Duration;
        var created = await app.Get<SaveSession>().CreateAsync(new SessionFields
        {
            CourseId = await app.CourseIdAsync(),
            Title = "Soak " + Guid.NewGuid().ToString("N")[..6],
            Start = DateTimeOffset.UtcNow.AddDays(5),
            End = DateTimeOffset.UtcNow.AddDays(5).AddHours(2),
            MaxCapacity = capacity,
            EnableWaitingList = true,

            // Said outright: the course's default may ask for approval, and then nobody would ever take a seat here.
            RequiresApproval = false,
            Automation = AutomationSettings.Default with { SeatOfferHoldTime = TimeSpan.FromMilliseconds(700) },
        }, AppFixture.Admin, Ct);
        Assert.True(created.IsOk, created.Message);
        var sessionId = created.Value!.Id;
        await app.Get<SetSessionStatus>().HandleAsync(sessionId, SessionStatus.Ready, AppFixture.Admin, Ct);
        var people = await app.NewEmployeesAsync(40, "soak");
        var register = app.Get<RegisterLearner>();
        var cancel = app.Get<CancelRegistration>();
        var respond = app.Get<RespondToInvitation>();
        var expire = app.Get<ExpireSeatOffers>();
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();
        var operations = 0;
        using var stop = new CancellationTokenSource(duration);

        async Task Worker(int seed)
        {
            var random = new Random(seed);

            // Time alone would let a loaded machine run only a handful of operations: the run also lasts until a
            // minimum count has been done, so it always exercises the same amount of interleaving at least.
            while (!stop.IsCancellationRequested || Volatile.Read(ref operations) < Soak.MinimumOperations)
            {
                var person = AppFixture.LearnerUser(people[random.Next(people.Count)].Email);
                _ = random.Next(5) switch
                {
                    0 => await cancel.HandleAsync(sessionId, person, Ct),
                    1 => await respond.HandleAsync(sessionId, random.Next(2) == 0, person, Ct),
                    2 => await register.HandleAsync(sessionId, person, Ct),
                    3 => await register.HandleAsync(sessionId, person, Ct),
                    _ => null,
                };
                if (random.Next(5) == 0)
                {
                    await expire.HandleAsync(Ct);
                }

                Interlocked.Increment(ref operations);
            }
        }

        // Checks the invariants after every committed change to the session (the roster notifier tells it), while
        // the workers run; it reads, never acts. Changes that arrive during a check are covered by the next check.
        using var changed = new SemaphoreSlim(0);
        var checks = 0;
        using var subscription = app.Get<RosterChangeNotifier>().Subscribe(sessionId, _ =>
        {
            changed.Release();
            return Task.CompletedTask;
        });
        var workers = Enumerable.Range(1, 6).Select(i => Task.Run(() => Worker(i), Ct)).ToList();
        var allDone = Task.WhenAll(workers);
        using var finished = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        _ = allDone.ContinueWith(_ => finished.Cancel(), TaskScheduler.Default);

        async Task Watcher()
        {
            try
            {
                while (true)
                {
                    await changed.WaitAsync(finished.Token);
                    while (changed.CurrentCount > 0)
                    {
                        await changed.WaitAsync(finished.Token);
                    }

                    foreach (var v in await CheckInvariantsAsync(sessionId, capacity))
                    {
                        violations.Add(v);
                    }

                    Interlocked.Increment(ref checks);
                }
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                // The workers are done; the final check below covers the last changes.
            }
        }

        await Task.WhenAll(allDone, Task.Run(Watcher, Ct));
        await expire.HandleAsync(Ct);
        foreach (var v in await CheckInvariantsAsync(sessionId, capacity))
        {
            violations.Add(v);
        }

        Assert.True(operations >= Soak.MinimumOperations, $"only {operations} operations ran");
        Assert.True(checks > 0, "the invariants were never checked while the workers ran");
        Assert.Empty(violations);
        TestContext.Current.TestOutputHelper?.WriteLine($"{operations} operations in {duration.TotalSeconds} s, no invariant broken");

        // Every offer went to the head of the line: no learner was offered twice without leaving Invited between.
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var ids = await db.Learners.Where(l => l.SessionId == sessionId).Select(l => l.Id).ToListAsync(Ct);
        var history = await db.StatusChanges.Where(h => ids.Contains(h.SessionLearnerId)).OrderBy(h => h.Id).ToListAsync(Ct);
        foreach (var learner in history.GroupBy(h => h.SessionLearnerId))
        {
            var previous = (LearnerStatus?)null;
            foreach (var change in learner)
            {
                Assert.Equal(previous, change.From);
                previous = change.To;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", history.GroupBy(h => $"{h.From} -> {h.To} ({h.Trigger})").Select(g => $"{g.Count()} {g.Key}")));

        // The run reached the paths it is about: a freed seat offered to the waiting list, and offers answered or expired.
        Assert.Contains(history, h => h.From == LearnerStatus.WaitingList && h.To is LearnerStatus.Invited or LearnerStatus.Registered);
        Assert.Contains(history, h => h.From == LearnerStatus.Registered && h.To == LearnerStatus.Cancelled);
    }

    /// <summary>Seats never pass capacity, and nobody waits while a seat is free and not offered.</summary>
    private async Task<List<string>> CheckInvariantsAsync(int sessionId, int capacity)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(CancellationToken.None);
        // One SELECT is one consistent snapshot in SQLite; a transaction would take the write lock from the workers.
        var now = DateTimeOffset.UtcNow;
        var learners = await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId).ToListAsync(CancellationToken.None);
        var taken = learners.Count(l => l.Status.TakesSeat());
        var offers = learners.Count(l => l.Status == LearnerStatus.Invited && l.SeatOfferExpiresAt is not null);
        var live = learners.Count(l => l.HoldsSeatOffer(now));
        var waiting = learners.Count(l => l.Status == LearnerStatus.WaitingList);
        var problems = new List<string>();
        if (taken > capacity)
        {
            problems.Add($"{taken} seated > {capacity}");
        }

        // An expired offer holds nothing (its seat may already be offered to the next in line); live ones do.
        if (taken + live > capacity)
        {
            problems.Add($"{taken} seated + {live} live offers > {capacity}");
        }

        // An offer that expired a moment ago still counts until the expiry job runs; only unoffered seats matter.
        if (waiting > 0 && taken + offers < capacity)
        {
            problems.Add($"{waiting} waiting while {capacity - taken - offers} seats are free and unoffered");
        }

        return problems;
    }

    private async Task<List<SessionLearner>> LearnersAsync(int sessionId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId).ToListAsync(Ct);
    }

    private async Task<Dictionary<int, long>> FirstChangeAsync(List<int> ids)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.StatusChanges.Where(h => ids.Contains(h.SessionLearnerId)).GroupBy(h => h.SessionLearnerId)
            .Select(g => new { g.Key, First = g.Min(h => h.Id) }).ToDictionaryAsync(x => x.Key, x => x.First, Ct);
    }
}

/// <summary>How long the soak runs: short by default, longer when LIVESESSIONS_SOAK_SECONDS asks.</summary>
internal static class Soak
{
    public const int MinimumOperations = 200;

    public static TimeSpan Duration =>
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("LIVESESSIONS_SOAK_SECONDS"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 3);
}

/// <summary>The races on the embedded SQLite file.</summary>
[Collection(AppCollection.Name)]
public sealed class WaitingListRaceTestsOnSqlite(AppFixture app) : WaitingListRaceTests(app);

/// <summary>The same races on PostgreSQL, where the session's row lock serialises its decisions.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WaitingListRaceTestsOnPostgreSql(PostgresAppFixture app) : WaitingListRaceTests(app);
