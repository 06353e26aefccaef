using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Roster;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveSessions.Tests.Live;

/// <summary>The roster hub of API.md "Live updates": bearer token, JoinSession authorized like GET /api/sessions/{id}.</summary>
[Collection(AppCollection.Name)]
public sealed class RosterHubTests(AppFixture app)
{
    [Fact]
    public async Task A_client_that_joined_a_session_hears_RosterChanged_after_a_status_change_through_the_API()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 4);
        var people = await app.NewEmployeesAsync(3, "hub");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, ct);
        Assert.True(added.IsOk, added.Message);
        var changedIds = added.Value!.Added.Take(2).Select(l => l.Id).Order().ToList();

        var heard = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = Connect(await TokenAsync(DemoSeeder.AdminEmail));
        using var subscription = connection.On<JsonElement>("RosterChanged", change =>
        {
            if (change.GetProperty("sessionId").GetInt32() == session.Id)
            {
                heard.TrySetResult(change);
            }
        });
        await connection.StartAsync(ct);
        await connection.InvokeAsync("JoinSession", session.Id, ct);

        using var admin = await app.AdminAsync();
        var response = await admin.PostAsJsonAsync($"/api/sessions/{session.Id}/learners/status", new { learnerIds = changedIds, status = "Registered" }, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var change = await heard.Task.WaitAsync(Patience.Ceiling, ct);
        Assert.Equal(session.Id, change.GetProperty("sessionId").GetInt32());
        var learners = change.GetProperty("learners").EnumerateArray().ToList();
        Assert.Equal(changedIds, learners.Select(l => l.GetProperty("id").GetInt32()).Order());
        Assert.All(learners, l => Assert.Equal(nameof(LearnerStatus.Registered), l.GetProperty("status").GetString()));
        Assert.Equal(
            people.Take(2).Select(p => p.Email).Order(),
            learners.Select(l => l.GetProperty("email").GetString()!).Order());
        Assert.Equal(0.5, change.GetProperty("fillRate").GetDouble(), 3);
        Assert.Equal(2, change.GetProperty("seatsTaken").GetInt32());
        Assert.Equal(0, change.GetProperty("seatsHeld").GetInt32());
        Assert.Equal(2, change.GetProperty("seatsFree").GetInt32());
        var counts = change.GetProperty("counts");
        Assert.Equal(2, counts.GetProperty(nameof(LearnerStatus.Registered)).GetInt32());
        Assert.Equal(1, counts.GetProperty(nameof(LearnerStatus.NotInvited)).GetInt32());
        Assert.Equal(0, counts.GetProperty(nameof(LearnerStatus.WaitingList)).GetInt32());
        Assert.Equal(nameof(SessionStatus.Ready), change.GetProperty("sessionStatus").GetString());
        Assert.Equal(DemoSeeder.AdminEmail, change.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task A_trainer_of_the_session_may_join_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 4, trainers: [DemoSeeder.TrainerEmail]);
        await using var connection = Connect(await TokenAsync(DemoSeeder.TrainerEmail));
        await connection.StartAsync(ct);

        await connection.InvokeAsync("JoinSession", session.Id, ct);

        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task A_trainer_who_does_not_train_the_session_is_refused_when_joining_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 4);
        await using var connection = Connect(await TokenAsync(DemoSeeder.TrainerEmail));
        await connection.StartAsync(ct);

        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("JoinSession", session.Id, ct));
        Assert.Contains("You do not train this session.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_learner_cannot_listen_to_a_sessions_roster()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 4);
        await using var connection = Connect(await TokenAsync(DemoSeeder.LearnerEmail));

        // The hub is for admins and trainers: the learner's connection is refused before JoinSession can even be called.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(ct));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.InvokeAsync("JoinSession", session.Id, ct));
    }

    [Fact]
    public async Task Without_a_token_the_connection_cannot_start()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new HubConnectionBuilder().WithUrl(HubUrl).Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(ct));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task A_wrong_token_cannot_start_the_connection_either()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = Connect("not-a-token");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(ct));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private Uri HubUrl => new(app.BaseAddress, "hubs/roster");

    private HubConnection Connect(string token) =>
        new HubConnectionBuilder()
            .WithUrl(HubUrl, options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();

    /// <summary>A bearer token from POST /api/auth/login, as an API client gets it.</summary>
    private async Task<string> TokenAsync(string email)
    {
        using var client = app.Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = DemoSeeder.Password }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("accessToken").GetString()!;
    }
}
