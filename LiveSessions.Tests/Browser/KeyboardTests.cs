using System.Text.RegularExpressions;
using LiveSessions.Tests.Attendance;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using Microsoft.Playwright;
using static LiveSessions.Tests.Browser.LearnersCardSteps;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>
/// Every page by keyboard alone: each control is a Tab stop whose focus can be seen, and the day's main jobs —
/// taking attendance, changing learners' status, registering and cancelling — are done without a pointer.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardTests(BrowserFixture browser)
{
    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Sizes => ["desktop", "tablet"];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Tab_reaches_every_control_of_each_main_page_with_its_focus_in_sight(string size)
    {
        var session = await SessionWithLearnersAsync(2);
        var viewport = size == "tablet" ? AttendanceSteps.Portrait : Desktop;
        var id = session.Id;
        // Below 960 px the navigation drawer is closed until toggled, so its links are not Tab stops.
        string[] navigation = size == "tablet" ? ["Toggle navigation"] : ["Toggle navigation", "Sessions"];
        await WalkAsync(DemoSeeder.AdminEmail, viewport, new()
        {
            ["/sessions"] = ["New session", "Search title or location", session.Title, .. navigation],
            [$"/sessions/{id}"] = ["Edit", "Add learners", "Search name, email or department", "Actions", $"Select {session.Names[0]}", .. navigation],
            [$"/sessions/{id}/edit"] = ["Title", "Maximum capacity", "Enable Waiting List", "Save changes", .. navigation],
            ["/sessions/new"] = ["Course", "Title", "Time zone", "Create session", .. navigation],
            ["/dashboard"] = ["Sessions shown", "Wall view", .. navigation],
            ["/mailbox"] = ["Recipient email", .. navigation],
            ["/employees"] = ["Import", "New employee", .. navigation],
            ["/courses"] = ["New course", "Search courses", .. navigation],
            ["/users"] = ["Invite", "Search by email or name", .. navigation],
            ["/audit"] = ["Who (actor or subject)", .. navigation],
            ["/calendar-replies"] = ["Only replies that need attention", .. navigation],
        });
        await WalkAsync(DemoSeeder.TrainerEmail, viewport, new()
        {
            ["/today"] = ["Toggle navigation"],
            [$"/sessions/{id}/attendance"] = ["Search learners", "Add go show", $"Attended", "Back to the session"],
        });
        await WalkAsync(DemoSeeder.ApproverEmail, viewport, new() { ["/approvals"] = navigation[..1] });
        await WalkAsync(DemoSeeder.LearnerEmail, viewport, new() { ["/me"] = ["Search title, course or location", .. navigation[..1]] });
    }

    [Fact]
    public async Task A_trainer_signs_in_and_takes_attendance_by_keyboard_alone()
    {
        var app = browser.App;
        var trainer = await app.NewTrainerAsync("Kim Keys");
        var session = await app.NewSessionAsync(capacity: 4, trainers: [trainer], start: DateTimeOffset.UtcNow.AddMinutes(30));
        var person = (await app.NewEmployeesAsync(1, "keys"))[0];
        var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct);
        Assert.True(registered.IsOk, registered.Message);

        var context = await browser.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = AttendanceSteps.Portrait });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/account/login");
            await TabToAsync(page, page.GetByLabel("Email"));
            await page.Keyboard.TypeAsync(trainer);
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync(DemoSeeder.Password);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new Regex("/today$"));
            await BrowserFixture.WaitForInteractiveAsync(page);

            await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = $"Take attendance: {session.Title}", Exact = true }));
            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new Regex($"/sessions/{session.Id}/attendance$"));
            await AttendanceSteps.WaitUntilReadyAsync(page);

            await TabToAsync(page, AttendanceSteps.Toggle(page, person.Name, "Attended"));
            await page.Keyboard.PressAsync("Space");
            await AttendanceSteps.ExpectMarkedAsync(page, person.Name, "Attended");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the attendance form marked by keyboard");
            await page.Keyboard.PressAsync("Tab");
            await Expect(AttendanceSteps.Toggle(page, person.Name, "Absent")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await AttendanceSteps.ExpectMarkedAsync(page, person.Name, "Absent");
            Assert.Equal(LiveSessions.Domain.LearnerStatus.Absent, await app.StatusOfAsync(registered.Value!.Learner.Id));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_admin_selects_a_learner_and_updates_their_status_by_keyboard_alone()
    {
        var session = await SessionWithLearnersAsync(2, register: false);
        var (chosen, other) = (session.People[0], session.People[1]);
        var page = await browser.SignInAsync(DemoSeeder.AdminEmail, viewport: Desktop);
        try
        {
            await OpenSessionAsync(page, session.Id, chosen.Email);
            await TabToAsync(page, page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {chosen.Name}", Exact = true }));
            await page.Keyboard.PressAsync("Space");
            await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("1 selected");

            await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Actions", Exact = true }), backwards: true);
            await page.Keyboard.PressAsync("Enter");
            var item = page.GetByRole(AriaRole.Menuitem, new() { Name = "Update Status", Exact = true });
            await Expect(item).ToBeVisibleAsync();
            await ArrowToAsync(page, item);
            await page.Keyboard.PressAsync("Enter");

            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Update Status" });
            await Expect(dialog.GetByTestId("applies-to")).ToHaveTextAsync("The change applies to 1 selected learner.");
            await TabToAsync(page, dialog.GetByRole(AriaRole.Combobox, new() { Name = "New status", Exact = true }));
            await page.Keyboard.PressAsync("Enter");
            var option = page.GetByRole(AriaRole.Option, new() { Name = "Registered", Exact = true });
            await Expect(option).ToBeVisibleAsync();
            await ArrowToAsync(page, option);
            await page.Keyboard.PressAsync("Enter");
            await Expect(dialog.GetByRole(AriaRole.Combobox, new() { Name = "New status", Exact = true })).ToContainTextAsync("Registered");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the Update Status dialog reached by keyboard");

            var apply = dialog.GetByRole(AriaRole.Button, new() { Name = "Update 1", Exact = true });
            await TabToAsync(page, apply);
            await page.Keyboard.PressAsync("Enter");
            await Expect(StatusChip(page, chosen.Email, "Registered")).ToBeVisibleAsync();
            await Expect(StatusChip(page, other.Email, "Not Invited")).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_learner_registers_and_cancels_by_keyboard_alone()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 5);
        var page = await browser.SignInAsync(DemoSeeder.LearnerEmail, viewport: AttendanceSteps.Phone);
        try
        {
            await BrowserFixture.WaitForInteractiveAsync(page);
            await TabToAsync(page, page.GetByLabel("Search title, course or location"));
            await page.Keyboard.TypeAsync(session.Title);
            await Expect(page.GetByTestId("open-session")).ToHaveCountAsync(1);

            await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = $"Register to {session.Title}", Exact = true }));
            await page.Keyboard.PressAsync("Enter");
            var mine = page.GetByTestId("my-session").Filter(new() { HasText = session.Title });
            await Expect(mine.GetByTestId("next-step")).ToHaveTextAsync("You are registered. See you there!");

            await TabToAsync(page, mine.GetByRole(AriaRole.Button, new() { Name = $"Cancel my place: {session.Title}", Exact = true }), backwards: true);
            await page.Keyboard.PressAsync("Enter");
            var dialog = page.GetByRole(AriaRole.Dialog);
            var yes = dialog.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel my place" });
            await Expect(yes).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the cancel confirmation reached by keyboard");
            await TabToAsync(page, yes);
            await page.Keyboard.PressAsync("Enter");
            await Expect(mine.GetByTestId("next-step")).ToHaveTextAsync("Cancelled. You can register again while the session is open.");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Presses Tab (or Shift+Tab) until <paramref name="target"/> has focus: how a keyboard user gets there.</summary>
    private static async Task TabToAsync(IPage page, ILocator target, bool backwards = false, int maxStops = 200)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var i = 0; i < maxStops; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await IsFocusedAsync(target))
            {
                return;
            }
        }

        Assert.Fail($"{maxStops} presses of {(backwards ? "Shift+Tab" : "Tab")} never reached {target}.");
    }

    /// <summary>Presses the down arrow until <paramref name="target"/> (a menu item or option) is the active one.</summary>
    private static async Task ArrowToAsync(IPage page, ILocator target, int maxStops = 20)
    {
        for (var i = 0; i < maxStops && !await IsActiveAsync(target); i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        Assert.True(await IsActiveAsync(target), $"The arrows never reached {target}.");
    }

    private static Task<bool> IsFocusedAsync(ILocator target) =>
        target.EvaluateAsync<bool>("e => e === document.activeElement || e.contains(document.activeElement)");

    // A menu moves focus to its item; a select's list keeps focus on itself and marks the active option.
    private static Task<bool> IsActiveAsync(ILocator target) =>
        target.EvaluateAsync<bool>("""
            e => e === document.activeElement || e.contains(document.activeElement)
              || e.classList.contains('mud-selected-item') || e.getAttribute('aria-selected') === 'true'
              || !!e.closest('.mud-list-item-active, [data-active=true]')
            """);

    private async Task WalkAsync(string email, ViewportSize viewport, Dictionary<string, string[]> pages)
    {
        var page = await browser.SignInAsync(email, viewport: viewport);
        try
        {
            foreach (var (path, expected) in pages)
            {
                await page.GotoAsync(path);
                await BrowserFixture.WaitForInteractiveAsync(page);
                await Expect(page.Locator("h1").First).ToBeVisibleAsync();
                var stops = await KeyboardWalk.TabThroughAsync(page);
                var where = $"{path} as {email} at {viewport.Width} px";
                Assert.True(stops.All(s => s.Problem is null), $"{where}: " + string.Join("; ", stops.Where(s => s.Problem is not null).Select(s => $"{s.Element}: {s.Problem}")));
                foreach (var name in expected)
                {
                    Assert.True(stops.Any(s => s.Element.Contains($"\"{name}", StringComparison.OrdinalIgnoreCase)),
                        $"{where}: no Tab stop named \"{name}\" among {string.Join(", ", stops.Select(s => s.Element))}");
                }
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<(int Id, string Title, IReadOnlyList<string> Names, IReadOnlyList<(string Name, string Email)> People)> SessionWithLearnersAsync(int learners, bool register = true)
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 5, waitingList: true, trainers: [DemoSeeder.TrainerEmail], start: DateTimeOffset.UtcNow.AddHours(1));
        var people = await app.NewEmployeesAsync(learners, "kbd");
        if (register)
        {
            foreach (var person in people)
            {
                Assert.True((await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), Ct)).IsOk);
            }
        }
        else
        {
            Assert.True((await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct)).IsOk);
        }

        return (session.Id, session.Title, [.. people.Select(p => p.Name).Order(StringComparer.Ordinal)], [.. people.Select(p => (p.Name, p.Email))]);
    }
}
