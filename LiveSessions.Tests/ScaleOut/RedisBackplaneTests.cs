using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Roster;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSessions.Tests.ScaleOut;

/// <summary>
/// Two nodes on one PostgreSQL database with <c>ConnectionStrings:Redis</c> set: the roster hub runs on SignalR's
/// Redis backplane, and still every hub client hears each committed change once, Redis up or down.
/// </summary>
public sealed class RedisBackplaneTests : IAsyncLifetime
{
    private RedisServer redis = null!;
    private PostgresNode a = null!;
    private PostgresNode b = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        var database = await PostgresServer.NewDatabaseAsync("redisnodes");
        a = new PostgresNode(database, redis.ConnectionString);
        await a.InitializeAsync();
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
    public async Task A_hub_client_on_node_B_hears_each_change_made_through_node_A_exactly_once()
    {
        var (sessionId, learnerIds) = await SessionAsync(3);
        await using var listener = await ListenOnBAsync(sessionId);
        Assert.Equal("Healthy", (await ReadyAsync(b)).Checks["redis"]);

        // Each change is made once its predecessor has been heard. With a group send on every node, each change would
        // come once per node, through Redis, and the copies of the first ones would come before the last one.
        foreach (var learnerId in learnerIds)
        {
            var version = await listener.HeardAsync(learnerId, LearnerStatus.Registered, () => ChangeOnAAsync(sessionId, learnerId));
            Assert.True(version > 0);
        }

        var versions = listener.Versions.ToList();
        Assert.Equal(learnerIds.Count, versions.Count);
        Assert.Equal(versions.Distinct().Count(), versions.Count);
    }

    [Fact]
    public async Task While_Redis_is_down_hub_clients_hear_every_change_and_once_it_is_back_new_clients_join_and_hear_too()
    {
        var (sessionId, learnerIds) = await SessionAsync(2);
        await using var listener = await ListenOnBAsync(sessionId);

        redis.Stop();
        await b.Get<RedisBackplane>().Lost.WaitAsync(Patience.Ceiling, Ct);

        await listener.HeardAsync(learnerIds[0], LearnerStatus.Registered, () => ChangeOnAAsync(sessionId, learnerIds[0]));
        var ready = await ReadyAsync(b);
        Assert.Equal(HttpStatusCode.OK, ready.Code);
        Assert.Equal("Degraded", ready.Status);
        Assert.Equal("Degraded", ready.Checks["redis"]);
        Assert.Equal("Healthy", ready.Checks["database"]);

        // Redis is back: the backplane reconnects on its own, a new hub client joins, and both clients hear the next change.
        await redis.RestartAsync();
        await b.Get<RedisBackplane>().Subscribed.WaitAsync(Patience.Ceiling, Ct);
        await using var latecomer = await ListenOnBAsync(sessionId);
        var heardLate = latecomer.HeardAsync(learnerIds[1], LearnerStatus.Registered, () => Task.CompletedTask);
        await listener.HeardAsync(learnerIds[1], LearnerStatus.Registered, () => ChangeOnAAsync(sessionId, learnerIds[1]));
        await heardLate;
    }

    private async Task<(int SessionId, List<int> LearnerIds)> SessionAsync(int learners)
    {
        var session = await a.NewSessionAsync(capacity: 5, waitingList: false);
        var people = await a.NewEmployeesAsync(learners, "redis");
        var added = await a.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct);
        return (session.Id, [.. added.Value!.Added.Select(l => l.Id)]);
    }

    private async Task ChangeOnAAsync(int sessionId, int learnerId)
    {
        var changed = await a.Get<UpdateLearnerStatus>().HandleAsync(sessionId, new UpdateLearnerStatusRequest([learnerId], LearnerStatus.Registered), AppFixture.Admin, Ct);
        Assert.True(changed.IsOk, changed.Message);
    }

    private async Task<Listener> ListenOnBAsync(int sessionId)
    {
        var client = await b.AdminAsync();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter;
        client.Dispose();
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(b.BaseAddress, "/hubs/roster"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var listener = new Listener(hub);
        await hub.StartAsync(Ct);
        await hub.InvokeAsync("JoinSession", sessionId, Ct);
        return listener;
    }

    private static async Task<(HttpStatusCode Code, string Status, Dictionary<string, string> Checks)> ReadyAsync(AppFixture node)
    {
        using var client = node.Anonymous();
        using var response = await client.GetAsync("/health/ready", Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (response.StatusCode, body.GetProperty("status").GetString()!,
            body.GetProperty("checks").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetString()!));
    }

    /// <summary>A hub client that keeps the version of every RosterChanged it hears.</summary>
    private sealed class Listener : IAsyncDisposable
    {
        private readonly HubConnection hub;
        private readonly ConcurrentQueue<int> versions = new();
        private TaskCompletionSource<int> awaited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private (int LearnerId, string Status) awaitedChange;

        public Listener(HubConnection hub)
        {
            this.hub = hub;
            hub.On<JsonElement>("RosterChanged", change =>
            {
                var version = change.GetProperty("version").GetInt32();
                versions.Enqueue(version);
                if (change.GetProperty("learners").EnumerateArray()
                    .Any(l => l.GetProperty("id").GetInt32() == awaitedChange.LearnerId && l.GetProperty("status").GetString() == awaitedChange.Status))
                {
                    awaited.TrySetResult(version);
                }
            });
        }

        public IEnumerable<int> Versions => versions;

        /// <summary>Makes the change and waits until it is heard; returns the session version it was heard at.</summary>
        public async Task<int> HeardAsync(int learnerId, LearnerStatus status, Func<Task> change)
        {
            awaited = new(TaskCreationOptions.RunContinuationsAsynchronously);
            awaitedChange = (learnerId, status.ToString());
            await change();
            return await awaited.Task.WaitAsync(Patience.Ceiling, Ct);
        }

        public ValueTask DisposeAsync() => hub.DisposeAsync();
    }
}
