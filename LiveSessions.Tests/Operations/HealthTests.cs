using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveSessions.Tests.Infrastructure;

namespace LiveSessions.Tests.Operations;

/// <summary>What a load balancer asks a node: is it alive, and is it ready (database and job storage answering).</summary>
public abstract class HealthTests(AppFixture app)
{
    [Fact]
    public async Task A_node_says_it_is_alive_and_ready_without_signing_in()
    {
        using var client = app.Anonymous();

        var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("jobs").GetString());
    }
}

[Collection(AppCollection.Name)]
public sealed class HealthTestsOnSqlite(AppFixture app) : HealthTests(app);

[Collection(PostgresCollection.Name)]
public sealed class HealthTestsOnPostgreSql(PostgresAppFixture app) : HealthTests(app);
