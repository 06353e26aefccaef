using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.ScaleOut;

/// <summary>
/// Two nodes of the app in this process, on different ports, sharing one PostgreSQL database (rosters, change feed,
/// Data Protection keys, Hangfire's queue) and one Redis (the roster hub's backplane): they behave as one app.
/// </summary>
public sealed partial class TwoNodeTests : IAsyncLifetime
{
    private RedisServer redis = null!;
    private PostgresNode a = null!;
    private PostgresNode b = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        var database = await PostgresServer.NewDatabaseAsync("twonodes");
        a = new PostgresNode(database, redis.ConnectionString);
        await a.InitializeAsync();

        // Started after A has migrated and seeded the database, as a rolling start would.
        b = new PostgresNode(database, redis.ConnectionString);
        await b.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
        redis.Dispose();
    }

    [Fact]
    public async Task A_hub_client_on_node_B_hears_a_status_change_made_through_node_A()
    {
        var session = await a.NewSessionAsync(capacity: 5);
        var person = (await a.NewEmployeesAsync(1, "nodes"))[0];
        var added = await a.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([person.Email]), AppFixture.Admin, Ct);
        var learnerId = added.Value!.Added.Single().Id;

        using var onB = await b.AdminAsync();
        var token = onB.DefaultRequestHeaders.Authorization!.Parameter;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(b.BaseAddress, "/hubs/roster"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>("RosterChanged", change =>
        {
            foreach (var learner in change.GetProperty("learners").EnumerateArray().Where(l => l.GetProperty("id").GetInt32() == learnerId))
            {
                heard.TrySetResult(learner.GetProperty("status").GetString()!);
            }
        });
        await hub.StartAsync(Ct);
        await hub.InvokeAsync("JoinSession", session.Id, Ct);

        using var onA = await a.AdminAsync();
        var changed = await onA.PostAsJsonAsync($"/api/sessions/{session.Id}/learners/status", new { learnerIds = new[] { learnerId }, status = "Registered" }, Ct);
        changed.EnsureSuccessStatusCode();

        Assert.Equal("Registered", await heard.Task.WaitAsync(Patience.Ceiling, Ct));
    }

    [Fact]
    public async Task When_node_B_loses_its_notification_connection_its_views_catch_up_once_it_is_back()
    {
        var session = await a.NewSessionAsync(capacity: 5);
        var person = (await a.NewEmployeesAsync(1, "nodefault"))[0];
        var added = await a.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([person.Email]), AppFixture.Admin, Ct);
        var learnerId = added.Value!.Added.Single().Id;
        await b.FeedDispatchedAsync();
        var heard = new TaskCompletionSource<LearnerStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var view = b.Get<Web.Features.Live.RosterChangeNotifier>().Subscribe(session.Id, change =>
        {
            if (change.Learners.FirstOrDefault(l => l.Id == learnerId) is { Status: LearnerStatus.Registered } row)
            {
                heard.TrySetResult(row.Status);
            }

            return Task.CompletedTask;
        });

        // Every listening connection to this test's database is cut (both nodes'), as a network fault or a database
        // restart would. Only this database's: other tests share the server and listen too.
        await using (var db = await a.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()", Ct);
        }

        // Committed on A while B may not be listening: B's view hears of it once B listens again (its poll is an hour).
        var changed = await a.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([learnerId], LearnerStatus.Registered), AppFixture.Admin, Ct);
        Assert.True(changed.IsOk, changed.Message);

        Assert.Equal(LearnerStatus.Registered, await heard.Task.WaitAsync(Patience.Ceiling, Ct));
    }

    [Fact]
    public async Task A_browser_signed_in_on_node_A_opens_a_roster_on_node_B_which_shows_a_change_made_through_node_A()
    {
        var session = await a.NewSessionAsync(capacity: 5, waitingList: false);
        var person = (await a.NewEmployeesAsync(1, "nodebrowser"))[0];
        var added = await a.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([person.Email]), AppFixture.Admin, Ct);
        var learnerId = added.Value!.Added.Single().Id;

        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(Patience.CeilingMs);
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await Browser.BrowserFixture.LaunchAsync(playwright);
        // The sign-in cookie is issued by node A; node B reads it with the keys in the shared database.
        var page = await Browser.BrowserFixture.SignInAsync(browser, a.BaseAddress, Web.Features.Demo.DemoSeeder.AdminEmail);
        await page.GotoAsync(new Uri(b.BaseAddress, $"/sessions/{session.Id}").ToString());
        Assert.StartsWith(b.BaseAddress.ToString(), page.Url, StringComparison.Ordinal);
        await Browser.BrowserFixture.WaitForInteractiveAsync(page);
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("card-seats")).ToContainTextAsync("0 taken · 0 held · 5 free of 5");

        var changed = await a.Get<UpdateLearnerStatus>().HandleAsync(session.Id, new UpdateLearnerStatusRequest([learnerId], LearnerStatus.Registered), AppFixture.Admin, Ct);
        Assert.True(changed.IsOk, changed.Message);

        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("card-seats")).ToContainTextAsync("1 taken · 0 held · 4 free of 5");
    }

    [Fact]
    public async Task A_bearer_token_and_an_email_link_issued_by_node_A_work_on_node_B()
    {
        // The token is signed with the keys in the shared database.
        using var signedInOnA = await a.AdminAsync();
        using var onB = b.Anonymous();
        onB.DefaultRequestHeaders.Authorization = signedInOnA.DefaultRequestHeaders.Authorization;
        var sessions = await onB.GetAsync("/api/sessions", Ct);
        Assert.True(sessions.IsSuccessStatusCode, $"node B answered {(int)sessions.StatusCode} to node A's token");

        // An invitation queued by node A carries a signed link; node B accepts it.
        var session = await a.NewSessionAsync(capacity: 5, calendar: true);
        var person = (await a.NewEmployeesAsync(1, "nodelink"))[0];
        var added = await a.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([person.Email]), AppFixture.Admin, Ct);
        var learnerId = added.Value!.Added.Single().Id;
        string text;
        await using (var db = await a.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            text = await db.Outbox.Where(o => o.LearnerId == learnerId && o.Type == EmailType.Invitation).Select(o => o.TextBody).SingleAsync(Ct);
        }

        var accept = LinkToken().Matches(text).Select(m => m.Groups[1].Value).First();
        var result = await b.Get<LinkActions>().ActAsync(accept, null, Ct);

        Assert.True(result.Done, result.Message);
        await using var check = await b.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(LearnerStatus.Registered, await check.Learners.Where(l => l.Id == learnerId).Select(l => l.Status).SingleAsync(Ct));
    }

    [Fact]
    public async Task A_registration_burst_split_over_both_nodes_seats_exactly_the_capacity_first_come_first_served()
    {
        var session = await a.NewSessionAsync(capacity: 5, waitingList: true);
        var people = await a.NewEmployeesAsync(40, "nodeburst");

        var outcomes = await Task.WhenAll(people.Select((p, i) => Task.Run(() =>
            (i % 2 == 0 ? a : b).Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(p.Email), Ct))));

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Message));
        await using var db = await a.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var learners = await db.Learners.AsNoTracking().Where(l => l.SessionId == session.Id).ToListAsync(Ct);
        Assert.Equal(5, learners.Count(l => l.Status == LearnerStatus.Registered));
        var waiting = learners.Where(l => l.Status == LearnerStatus.WaitingList).OrderBy(l => l.WaitingListOrder).ToList();
        Assert.Equal(35, waiting.Count);
        Assert.Equal(35, waiting.Select(l => l.WaitingListOrder).Distinct().Count());

        // First come, first served: the line is in the order the serialised decisions wrote their history.
        var ids = waiting.Select(w => w.Id).ToList();
        var firstHistory = await db.StatusChanges.Where(h => ids.Contains(h.SessionLearnerId))
            .GroupBy(h => h.SessionLearnerId).Select(g => new { g.Key, First = g.Min(h => h.Id) }).ToDictionaryAsync(x => x.Key, x => x.First, Ct);
        Assert.Equal(ids, waiting.OrderBy(w => firstHistory[w.Id]).Select(w => w.Id));
    }

    [Fact]
    public async Task An_email_queued_on_one_node_is_sent_once_by_the_shared_job_queue()
    {
        var session = await a.NewSessionAsync(capacity: 5);
        var person = (await b.NewEmployeesAsync(1, "nodejob"))[0];
        var registered = await b.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct);
        Assert.True(registered.IsOk, registered.Message);

        // No SMTP server here: the one send job (whichever node's worker takes it) keeps the email for the Mailbox.
        var kept = await Patience.UntilJobsMakeAsync(async ct =>
        {
            await using var db = await a.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(ct);
            return await db.Outbox.AsNoTracking().Where(o => o.SessionId == session.Id && o.Type == EmailType.RegistrationConfirmation).ToListAsync(ct);
        }, rows => rows.Count == 1 && rows[0].State == OutboxState.Kept, "the confirmation kept", Ct);
        Assert.Equal(1, kept.Single().Attempts);
    }

    [GeneratedRegex(@"/l/([A-Za-z0-9_\-]+)")]
    private static partial Regex LinkToken();
}
