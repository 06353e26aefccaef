using System.Net.Http.Json;
using LiveSessions.Domain;
using LiveSessions.Tests.Api;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Sessions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>The admins' live board at desktop size and as a wall screen: tiles, demand, sister sessions, keyboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser)
{
    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_dashboard_shows_demand_for_a_full_session_as_soon_as_someone_joins_its_waiting_list()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true, start: DateTimeOffset.UtcNow.AddMinutes(30));
        var people = await app.NewEmployeesAsync(3, "demand");
        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), Ct);

        var page = await OpenBoardAsync();
        try
        {
            var tile = Tile(page, session.Id);
            await Expect(tile.GetByTestId("tile-state")).ToHaveTextAsync("Full");
            await Expect(page.GetByTestId("demand").Filter(new() { HasText = session.Title })).ToHaveCountAsync(0);

            await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[1].Email), Ct);
            await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[2].Email), Ct);

            var demand = page.GetByTestId("demand").Filter(new() { HasText = session.Title });
            await Expect(demand).ToContainTextAsync("demand: 2 waiting — open another session?");
            await Expect(demand.GetByRole(AriaRole.Button, new() { Name = $"Create a sister session of {session.Title}" })).ToBeVisibleAsync();
            await Expect(tile.GetByTestId("tile-state")).ToHaveTextAsync("Full with demand");
            await Expect(tile.GetByTestId("tile-waiting")).ToHaveTextAsync("2");
            await Expect(tile.GetByRole(AriaRole.Img, new() { Name = "Fill rate 100 % (1 of 1 seats taken)" })).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "dashboard at 1440×900");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_tile_follows_registrations_made_through_a_handler_and_the_api_without_a_reload()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 4, start: DateTimeOffset.UtcNow.AddMinutes(31));
        var people = await app.NewEmployeesAsync(2, "live");

        var page = await OpenBoardAsync();
        try
        {
            var tile = Tile(page, session.Id);
            await Expect(tile.GetByRole(AriaRole.Img, new() { Name = "Fill rate 0 % (0 of 4 seats taken)" })).ToBeVisibleAsync();
            await Expect(tile.GetByTestId("tile-state")).ToHaveTextAsync("Under-filled");
            var marker = await page.EvaluateAsync<double>("() => window.boardMarker = Math.random()");

            Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), Ct)).IsOk);
            await Expect(tile.GetByTestId("tile-taken")).ToHaveTextAsync("1 / 4");
            await Expect(tile.GetByRole(AriaRole.Img, new() { Name = "Fill rate 25 % (1 of 4 seats taken)" })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("activity")).ToContainTextAsync(people[0].Name);

            using (var admin = await app.AdminAsync())
            {
                var added = await (await admin.PostAsJsonAsync($"/api/sessions/{session.Id}/learners", new { emails = new[] { people[1].Email } }, Ct)).OkAsync<AddedDto>();
                var learnerId = added.Added.Single().Id;
                (await admin.PostAsJsonAsync($"/api/sessions/{session.Id}/learners/status", new { learnerIds = new[] { learnerId }, status = "Registered", note = "from the HR system" }, Ct)).EnsureSuccessStatusCode();
            }

            await Expect(tile.GetByTestId("tile-taken")).ToHaveTextAsync("2 / 4");
            await Expect(tile.GetByTestId("tile-free")).ToHaveTextAsync("2");
            await Expect(tile.GetByTestId("tile-state")).ToHaveTextAsync("Filling");
            await Expect(tile.GetByTestId("tile-registrations")).ToHaveTextAsync("2 registrations in 14 days");
            Assert.Equal(marker, await page.EvaluateAsync<double>("() => window.boardMarker"));
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the board after live updates");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_admin_creates_a_sister_session_from_a_tile_by_keyboard_alone_and_edits_the_draft()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 1, waitingList: true, start: DateTimeOffset.UtcNow.AddMinutes(32), trainers: [Web.Features.Demo.DemoSeeder.TrainerEmail]);
        var people = await app.NewEmployeesAsync(2, "sister");
        foreach (var person in people)
        {
            Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct)).IsOk);
        }

        var page = await OpenBoardAsync();
        try
        {
            var tile = Tile(page, session.Id);
            await tile.GetByRole(AriaRole.Link, new() { Name = session.Title }).FocusAsync();
            await page.Keyboard.PressAsync("Tab");
            await Expect(tile.GetByLabel("Held: ", new() { Exact = false })).ToBeFocusedAsync();
            await Expect(page.GetByText("Seats kept for invited learners")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the board with the held-seats tooltip open");
            await page.Keyboard.PressAsync("Tab");
            var sister = tile.GetByRole(AriaRole.Button, new() { Name = $"Create a sister session of {session.Title}" });
            await Expect(sister).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");

            await page.WaitForURLAsync(url => url.EndsWith("/edit", StringComparison.Ordinal));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Edit {session.Title} (sister session)", Level = 1 })).ToBeVisibleAsync();
            var id = int.Parse(page.Url.Split('/')[^2], System.Globalization.CultureInfo.InvariantCulture);
            var draft = (await app.Get<SessionQueries>().GetAsync(id, AppFixture.Admin, Ct)).Value!;
            Assert.Equal((SessionStatus.Draft, session.CourseId, session.MaxCapacity, session.EnableWaitingList, session.TimeZone), (draft.Status, draft.CourseId, draft.MaxCapacity, draft.EnableWaitingList, draft.TimeZone));
            Assert.Equal(session.Trainers.Select(t => t.Email), draft.Trainers.Select(t => t.Email));
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the sister session's draft form");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_wall_view_shows_the_board_without_the_navigation_and_reads_at_tablet_size_too()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 3, start: DateTimeOffset.UtcNow.AddMinutes(33));

        var page = await browser.SignInAsync("admin@demo.local", viewport: new ViewportSize { Width = 1920, Height = 1080 });
        try
        {
            await page.GotoAsync("/dashboard?wall=1&count=48");
            await page.WaitForURLAsync(url => url.Contains("/dashboard/wall", StringComparison.Ordinal));
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Expect(Tile(page, session.Id)).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Leave the wall view" })).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "wall view at 1920×1080");

            // The README's picture: the default twelve sessions on a wall screen.
            await page.GotoAsync("/dashboard/wall");
            await Expect(page.GetByTestId("board-tile")).ToHaveCountAsync(12);

            await page.SetViewportSizeAsync(820, 1180);
            await page.GotoAsync("/dashboard?count=48");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Expect(Tile(page, session.Id)).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"), "the board scrolls sideways on a tablet");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "dashboard at 820×1180");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<IPage> OpenBoardAsync()
    {
        var page = await browser.SignInAsync("admin@demo.local", viewport: Desktop);
        await page.GotoAsync("/dashboard?count=48");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Fill rates, live", Level = 1 })).ToBeVisibleAsync();
        return page;
    }

    private static ILocator Tile(IPage page, int sessionId) => page.Locator($"[data-testid=board-tile][data-session-id='{sessionId}']");

    private sealed record AddedDto(IReadOnlyList<LearnerDto> Added);
}
