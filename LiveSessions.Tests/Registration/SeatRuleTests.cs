using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Registration;

/// <summary>
/// The seat rule (taken, held, free) and the waiting line are written once; on randomised rosters every read path
/// agrees with the domain, and a decision made on a partial roster (the learners acted on, the head of the line and
/// the counts of everyone else) decides exactly as one made on the whole roster.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SeatRuleTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly LearnerStatus[] Statuses = Enum.GetValues<LearnerStatus>();

    [Fact]
    public async Task Every_read_path_counts_seats_and_places_in_line_as_the_domain_does()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var round = 0; round < 6; round++)
        {
            var (sessionId, now) = await RandomRosterAsync(random);
            var because = $"seed {seed}, round {round}";

            await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
            var domain = (await SessionUnitOfWork.LoadAsync(db, sessionId, Ct))!;
            var seats = domain.Seats(now);
            var line = domain.WaitingList.Select((l, i) => (l.Id, Place: i + 1)).ToDictionary(x => x.Id, x => x.Place);

            var view = (await app.Get<SessionQueries>().GetAsync(sessionId, AppFixture.Admin, Ct)).Value!;
            Assert.True((seats.Taken, seats.Held, seats.Free) == (view.SeatsTaken, view.SeatsHeld, view.SeatsFree), because);
            Assert.Equal(seats.Counts, view.Counts);

            var listed = (await app.Get<SessionQueries>().ListAsync(new SessionFilter(), AppFixture.Admin, Ct)).Single(s => s.Id == sessionId);
            Assert.True((seats.Taken, seats.Waiting) == (listed.SeatsTaken, listed.Waiting), because);

            var told = (await app.Get<RosterChangeNotifier>().SnapshotAsync(sessionId, domain.Learners.Select(l => l.Id).ToList(), "test", 0, 0, Ct))!;
            Assert.True((seats.Taken, seats.Held, seats.Free) == (told.SeatsTaken, told.SeatsHeld, told.SeatsFree), because);
            Assert.Equal(line, told.Learners.Where(l => l.WaitingListPosition is not null).ToDictionary(l => l.Id, l => l.WaitingListPosition!.Value));

            var roster = (await app.Get<RosterQueries>().ListAsync(sessionId, null, AppFixture.Admin, Ct)).Value!;
            Assert.Equal(line, roster.Where(l => l.WaitingListPosition is not null).ToDictionary(l => l.Id, l => l.WaitingListPosition!.Value));

            var approvals = await app.Get<PendingApprovals>().HandleAsync(AppFixture.Admin, Ct);
            Assert.All(approvals.Where(a => a.SessionId == sessionId), a => Assert.Equal(seats.Free, a.SeatsFree));
            Assert.Contains(approvals, a => a.SessionId == sessionId);

            foreach (var waiting in domain.WaitingList.Take(3))
            {
                var mine = await app.Get<MySessions>().HandleAsync(AppFixture.LearnerUser(waiting.Employee.Email), Ct);
                Assert.Equal(line[waiting.Id], mine.Mine.Single(m => m.SessionId == sessionId).WaitingListPosition);
                Assert.Equal(seats.Free, mine.Open.Single(o => o.Id == sessionId).SeatsFree);
            }
        }
    }

    [Fact]
    public async Task A_decision_on_a_partial_roster_moves_the_same_learners_as_one_on_the_whole_roster()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var factory = app.Get<IDbContextFactory<LiveSessionsDbContext>>();
        for (var round = 0; round < 12; round++)
        {
            var (sessionId, _) = await RandomRosterAsync(random);
            int[] ids;
            await using (var db = await factory.CreateDbContextAsync(Ct))
            {
                ids = await db.Learners.Where(l => l.SessionId == sessionId).Select(l => l.Id).ToArrayAsync(Ct);
            }

            // One to three learners moved by hand to a random status: seats free, the line moves, offers go out.
            var picked = ids.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
            var to = Statuses[random.Next(Statuses.Length)];
            var overbook = random.Next(2) == 0;

            // What the whole roster decides, never saved.
            Dictionary<int, LearnerStatus> expected;
            await using (var db = await factory.CreateDbContextAsync(Ct))
            {
                var whole = (await SessionUnitOfWork.LoadAsync(db, sessionId, Ct))!;
                var now = DateTimeOffset.UtcNow;
                foreach (var id in picked)
                {
                    whole.ChangeLearnerStatus(whole.FindLearnerById(id)!, to, null, overbook, Actor.SystemJob, now);
                }

                expected = whole.Learners.ToDictionary(l => l.Id, l => l.Status);
            }

            // The real handler decides on the partial roster and commits.
            var outcome = await app.Get<UpdateLearnerStatus>().HandleAsync(sessionId, new UpdateLearnerStatusRequest(picked, to, Overbook: overbook), AppFixture.Admin, Ct);
            Assert.True(outcome.IsOk, outcome.Message);
            await using (var db = await factory.CreateDbContextAsync(Ct))
            {
                var actual = await db.Learners.Where(l => l.SessionId == sessionId).ToDictionaryAsync(l => l.Id, l => l.Status, Ct);
                Assert.True(expected.OrderBy(e => e.Key).SequenceEqual(actual.OrderBy(e => e.Key)),
                    $"seed {seed}, round {round}: {string.Join(", ", picked)} to {to} (overbook {overbook}): expected "
                    + string.Join(" ", expected.OrderBy(e => e.Key).Select(e => $"{e.Key}:{e.Value}")) + " but got "
                    + string.Join(" ", actual.OrderBy(e => e.Key).Select(e => $"{e.Key}:{e.Value}")));
            }
        }
    }

    [Fact]
    public async Task When_the_head_of_the_line_is_moved_out_of_it_while_a_seat_is_free_the_next_in_line_is_offered_it()
    {
        // A free seat while two wait (an offer expired, its expiry run not yet done): the head is moved by hand out of
        // the line, and the seat goes to the next one, as it would with the whole roster in memory.
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true, start: DateTimeOffset.UtcNow.AddHours(3));
        var people = await app.NewEmployeesAsync(2, "headmoved");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, Ct);
        var (head, next) = (added.Value!.Added[0].Id, added.Value.Added[1].Id);
        await using (var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            foreach (var (id, order) in new[] { (head, 1L), (next, 2L) })
            {
                await db.Learners.Where(l => l.Id == id).ExecuteUpdateAsync(u => u
                    .SetProperty(l => l.Status, LearnerStatus.WaitingList)
                    .SetProperty(l => l.WaitingListOrder, order)
                    .SetProperty(l => l.WaitingListJoinedAt, DateTimeOffset.UtcNow), Ct);
            }
        }

        var moved = await app.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([head], LearnerStatus.Declined), AppFixture.Admin, Ct);

        Assert.True(moved.IsOk, moved.Message);
        await using var check = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(LearnerStatus.Invited, await check.Learners.Where(l => l.Id == next).Select(l => l.Status).SingleAsync(Ct));
    }

    /// <summary>A Ready session with learners in random statuses, offers live or expired, and a shuffled line.</summary>
    private async Task<(int SessionId, DateTimeOffset Now)> RandomRosterAsync(Random random)
    {
        var now = DateTimeOffset.UtcNow;
        var session = await app.NewSessionAsync(capacity: random.Next(2, 10), waitingList: true, start: now.AddHours(3));
        var people = await app.NewEmployeesAsync(random.Next(8, 20), "seatrule");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, Ct);
        Assert.True(added.IsOk, added.Message);
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var first = true;
        foreach (var learner in added.Value!.Added)
        {
            // Always one request awaiting approval, so the approvals page lists the session.
            var status = first ? LearnerStatus.NeedsApproval : Statuses[random.Next(Statuses.Length)];
            first = false;
            DateTimeOffset? offer = status == LearnerStatus.Invited && random.Next(3) > 0 ? now.AddHours(random.Next(-48, 48) + 0.5) : null;
            long? order = status == LearnerStatus.WaitingList ? random.Next(1, 6) : null;
            DateTimeOffset? joined = order is null ? null : now.AddMinutes(-random.Next(0, 3));
            await db.Learners.Where(l => l.Id == learner.Id).ExecuteUpdateAsync(u => u
                .SetProperty(l => l.Status, status)
                .SetProperty(l => l.SeatOfferExpiresAt, offer)
                .SetProperty(l => l.WaitingListOrder, order)
                .SetProperty(l => l.WaitingListJoinedAt, joined), Ct);
        }

        return (session.Id, now);
    }
}
