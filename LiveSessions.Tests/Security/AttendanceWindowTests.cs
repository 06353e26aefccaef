using System.Net;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;

namespace LiveSessions.Tests.Security;

/// <summary>Attendance and Go Shows open an hour before the start (as shipped), not a month before.</summary>
public sealed class AttendanceWindowTests : IClassFixture<AttendanceWindowTests.ShippedWindowApp>
{
    private readonly ShippedWindowApp app;

    public AttendanceWindowTests(ShippedWindowApp app) => this.app = app;

    [Fact]
    public async Task A_session_ten_days_away_refuses_marks_and_Go_Shows_and_one_starting_in_half_an_hour_takes_them()
    {
        var far = await app.NewSessionAsync(capacity: 5, start: DateTimeOffset.UtcNow.AddDays(10));
        var near = await app.NewSessionAsync(capacity: 5, start: DateTimeOffset.UtcNow.AddMinutes(30));
        var people = await app.NewEmployeesAsync(2, "window");
        using var admin = await app.AdminAsync();
        var farLearner = (await admin.SeatAsync(far.Id, [people[0]])).Single();
        var nearLearner = (await admin.SeatAsync(near.Id, [people[0]])).Single();

        var refused = await (await admin.PostJsonAsync($"/api/sessions/{far.Id}/attendance", new { learnerId = farLearner.Id, attended = true })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("1 hour before the start", refused.Detail(), StringComparison.Ordinal);
        var goShow = await (await admin.PostJsonAsync($"/api/sessions/{far.Id}/go-show", new { email = people[1].Email })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("1 hour before the start", goShow.Detail(), StringComparison.Ordinal);
        Assert.Equal("Registered", (await admin.LearnersAsync(far.Id)).Single(l => l.Id == farLearner.Id).Status);

        (await admin.PostJsonAsync($"/api/sessions/{near.Id}/attendance", new { learnerId = nearLearner.Id, attended = true })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync($"/api/sessions/{near.Id}/go-show", new { email = people[1].Email })).EnsureSuccessStatusCode();
        Assert.Equal("Attended", (await admin.LearnersAsync(near.Id)).Single(l => l.Id == nearLearner.Id).Status);
    }

    /// <summary>The app with the attendance window as shipped.</summary>
    public sealed class ShippedWindowApp : AppFixture
    {
        protected override IEnumerable<(string Key, string Value)> ExtraSettings() => [("LiveSessions:AttendanceOpensBeforeMinutes", "60")];
    }
}
