using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_dashboard_shows_demand_for_a_full_session_as_soon_as_someone_joins_its_waiting_list()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true, start: DateTimeOffset.UtcNow.AddDays(1));
        var people = await app.NewEmployeesAsync(3, "demand");
        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), ct);

        var page = await browser.SignInAsync("admin@demo.local");
        await page.GotoAsync("/dashboard");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Fill rate per session" })).ToBeAttachedAsync();
        await Expect(page.GetByTestId("demand").Filter(new() { HasText = session.Title })).ToHaveCountAsync(0);

        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[1].Email), ct);
        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[2].Email), ct);

        var demand = page.GetByTestId("demand").Filter(new() { HasText = session.Title });
        await Expect(demand).ToContainTextAsync("demand: 2 waiting");
        await Expect(demand.GetByRole(AriaRole.Link, new() { Name = "Open another session?" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = $"{session.Title} 100 %", Exact = false })).ToBeAttachedAsync();
        await Screenshots.SaveAsync(page, "dashboard.png");
    }
}
