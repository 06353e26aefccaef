using System.Net;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Security;

/// <summary>
/// Inputs an attacker tried, each refused with 400 problem+json naming the field, and nothing written: the database
/// holds the same sessions, learners and employees before and after.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BadInputTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> BadSessions() => new()
    {
        { "a 100 KB location", $$"""{ "location": "{{new string('x', 100_000)}}" }""", "location" },
        { "a 1 MB description", $$"""{ "description": "{{new string('y', 1_000_000)}}" }""", "description" },
        { "capacity 2,147,483,647", """{ "maxCapacity": 2147483647 }""", "maxCapacity" },
        { "a start in year 1", """{ "start": "0001-01-01T09:00:00Z", "end": "0001-01-01T11:00:00Z" }""", "start" },
        { "a start in 9999", """{ "start": "9999-06-01T09:00:00Z", "end": "9999-06-01T11:00:00Z" }""", "start" },
        { "a session of a year", """{ "start": "2027-06-01T09:00:00Z", "end": "2028-06-01T09:00:00Z" }""", "end" },
        { "a hold time of 10,675,199 days", """{ "automation": { "seatOfferHoldTime": "10675199.00:00:00" } }""", "seatOfferHoldTime" },
    };

    [Theory]
    [MemberData(nameof(BadSessions))]
    public async Task A_new_session_with_a_field_out_of_bounds_is_refused_with_that_field_and_nothing_is_written(string what, string overrides, string field)
    {
        using var admin = await app.AdminAsync();
        var courseId = await app.CourseIdAsync();
        var body = $$"""{ "courseId": {{courseId}}, "title": "Bounds", "start": "2027-06-01T09:00:00Z", "end": "2027-06-01T11:00:00Z", "timeZone": "UTC", "maxCapacity": 10 }""";
        var json = Merge(body, overrides);
        var before = await CountsAsync();

        var problem = await (await admin.PostRawJsonAsync("/api/sessions", json)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.ErrorFields().Contains(field), $"{what}: {problem}");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_existing_session_cannot_be_given_an_overflowing_hold_time_and_keeps_its_own()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PatchJsonAsync($"/api/sessions/{session.Id}", new { automation = new { seatOfferHoldTime = "10675199.00:00:00" } })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("seatOfferHoldTime", problem.ErrorFields());
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        var kept = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == session.Id, Ct);
        Assert.Equal(session.Version, kept.Version);
        Assert.Equal(TimeSpan.FromHours(48), kept.Automation.SeatOfferHoldTime);
    }

    [Fact]
    public async Task A_go_show_with_a_name_of_a_page_of_text_is_refused_and_no_employee_is_made()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        using var admin = await app.AdminAsync();
        var before = await CountsAsync();

        using var response = await admin.PostJsonAsync($"/api/sessions/{session.Id}/go-show", new { email = "walk.in.long@acme.example", name = new string('n', 10_000), department = "Floor" });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("200 characters", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("""{ "status": 2 }""")]
    [InlineData("""{ "status": "2" }""")]
    public async Task A_numeric_enum_value_is_refused(string json)
    {
        var session = await app.NewSessionAsync(capacity: 5, status: LiveSessions.Domain.SessionStatus.Draft);
        using var admin = await app.AdminAsync();

        await (await admin.PostRawJsonAsync($"/api/sessions/{session.Id}/status", json)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Draft", (await admin.SessionAsync(session.Id)).Status);
    }

    private static string Merge(string body, string overrides)
    {
        var merged = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(overrides)!.AsObject().ToList())
        {
            merged[key] = value?.DeepClone();
        }

        return merged.ToJsonString();
    }

    private async Task<(int Sessions, int Learners, int Employees)> CountsAsync()
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return (await db.Sessions.CountAsync(Ct), await db.Learners.CountAsync(Ct), await db.Employees.CountAsync(Ct));
    }
}
