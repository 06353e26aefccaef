using System.Text.RegularExpressions;
using LiveSessions.Tests.Attendance;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Roster;
using Microsoft.Playwright;
using static LiveSessions.Tests.Browser.AttendanceSteps;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>Trainers on tablets: their Today page, the roster at tablet and phone width, and pages they may not open.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class TrainerTabletTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_trainer_signs_in_on_a_tablet_and_reaches_todays_attendance_in_one_tap()
    {
        var app = browser.App;
        var trainer = await app.NewTrainerAsync("Tara Tablet");
        var today = await app.NewSessionAsync(capacity: 5, trainers: [trainer], start: DateTimeOffset.UtcNow.AddMinutes(20));
        var people = await app.NewEmployeesAsync(2, "today");
        foreach (var person in people)
        {
            Assert.True((await app.Get<Web.Features.Registration.RegisterLearner>().HandleAsync(today.Id, AppFixture.LearnerUser(person.Email), TestContext.Current.CancellationToken)).IsOk);
        }

        var page = await browser.SignInAsync(trainer, viewport: Portrait);
        try
        {
            await Expect(page).ToHaveURLAsync(TodayUrl());
            // Measured once interactive: the circuit's first render replaces the prerendered cards.
            await BrowserFixture.WaitForInteractiveAsync(page);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Today", Level = 1 })).ToBeVisibleAsync();
            var card = page.GetByRole(AriaRole.Region, new() { Name = today.Title, Exact = true });
            await Expect(card.GetByTestId("trainer-session-counts")).ToContainTextAsync("Registered2");
            await Expect(card.GetByTestId("trainer-session-time")).ToContainTextAsync("(Europe/Paris)");
            var button = card.GetByRole(AriaRole.Link, new() { Name = $"Take attendance: {today.Title}", Exact = true });
            await Expect(button).ToBeVisibleAsync();

            // Large: as wide as the card's content, and at least 48 px tall.
            var box = await button.BoundingBoxAsync();
            var cardBox = await card.BoundingBoxAsync();
            Assert.True(box!.Height >= 48, $"The button is {box.Height} px tall.");
            Assert.True(box.Width >= cardBox!.Width - 40, $"The button is {box.Width} px wide in a {cardBox.Width} px card.");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "Today at 820 px");

            // Turned to landscape, or on a phone: the same one large button, and nothing to scroll sideways.
            foreach (var size in new[] { Landscape, Phone })
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                await Expect(button).ToBeVisibleAsync();
                Assert.True((await button.BoundingBoxAsync())!.Height >= 48, $"The button is short at {size.Width} px.");
                Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"Today scrolls sideways at {size.Width} px.");
                await Accessibility.AssertNoSeriousViolationsAsync(page, $"Today at {size.Width} px");
            }

            await page.SetViewportSizeAsync(Portrait.Width, Portrait.Height);
            await button.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/sessions/{today.Id}/attendance$"));
            await WaitUntilReadyAsync(page);
            foreach (var person in people)
            {
                await Expect(Row(page, person.Name)).ToBeVisibleAsync();
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task At_tablet_width_the_roster_is_a_table_and_on_a_phone_it_is_cards()
    {
        var app = browser.App;
        var session = await app.NewSessionAsync(capacity: 10);
        var people = await app.NewEmployeesAsync(6, "width");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(people.Select(p => p.Email).ToList()), AppFixture.Admin, TestContext.Current.CancellationToken);
        Assert.True(added.IsOk, added.Message);
        var first = people.Select(p => p.Name).Order(StringComparer.Ordinal).First();

        var page = await browser.SignInAsync(DemoSeeder.AdminEmail, viewport: Portrait);
        try
        {
            await page.GotoAsync($"/sessions/{session.Id}");
            await BrowserFixture.WaitForInteractiveAsync(page);
            var grid = LearnersCardSteps.LearnersGrid(page);
            var name = grid.GetByRole(AriaRole.Button, new() { Name = $"Open {first}", Exact = true });
            await Expect(name).ToBeVisibleAsync();
            var row = grid.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Button, new() { Name = $"Open {first}", Exact = true }) });
            var status = row.GetByLabel("Status: Not Invited", new() { Exact = true });

            // A table: the header row shows, a learner is one short row with the status beside the name.
            await Expect(grid.Locator("thead")).ToBeVisibleAsync();
            await Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Status" })).ToBeVisibleAsync();
            var (nameBox, statusBox, rowBox) = (await name.BoundingBoxAsync(), await status.BoundingBoxAsync(), await row.BoundingBoxAsync());
            Assert.True(rowBox!.Height < 80, $"A roster row is {rowBox.Height} px tall at 820 px.");
            Assert.True(statusBox!.X > nameBox!.X + nameBox.Width, "The status is not beside the name.");
            Assert.True(Math.Abs(statusBox.Y - nameBox.Y) < rowBox.Height, "The status is not on the name's row.");
            await Expect(grid.GetByText(people[0].Email, new() { Exact = true })).ToBeHiddenAsync();
            // The card (this part's subject); the page header's theme colours are reported separately.
            await Accessibility.AssertNoSeriousViolationsAsync(page.Locator(".learners-card"), "Learners card at 820 px");

            // A phone: no header row, each learner a card with the status under the name.
            await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
            await Expect(grid.Locator("thead")).ToBeHiddenAsync();
            (nameBox, statusBox) = (await name.BoundingBoxAsync(), await status.BoundingBoxAsync());
            Assert.True(statusBox!.Y > nameBox!.Y + nameBox.Height - 1, "On a phone the status is not under the name.");
            await Accessibility.AssertNoSeriousViolationsAsync(page.Locator(".learners-card"), "Learners card at 390 px");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_sessions_list_at_tablet_width_starts_with_upcoming_sessions_and_keeps_past_ones_behind_a_tab()
    {
        var app = browser.App;
        var upcoming = await app.NewSessionAsync(capacity: 4, trainers: [DemoSeeder.TrainerEmail], start: DateTimeOffset.UtcNow.AddDays(2));
        var past = await app.NewSessionAsync(capacity: 4, trainers: [DemoSeeder.TrainerEmail], start: DateTimeOffset.UtcNow.AddDays(-5));

        var page = await browser.SignInAsync(DemoSeeder.AdminEmail, viewport: Portrait);
        try
        {
            await page.GotoAsync("/sessions");
            await BrowserFixture.WaitForInteractiveAsync(page);
            var table = page.GetByRole(AriaRole.Table);
            await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Upcoming" })).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(table.GetByRole(AriaRole.Link, new() { Name = upcoming.Title, Exact = true })).ToBeVisibleAsync();
            await Expect(table.GetByRole(AriaRole.Link, new() { Name = past.Title, Exact = true })).ToHaveCountAsync(0);
            await Expect(table.Locator("thead")).ToBeVisibleAsync();

            // Only this test's session on screen for the accessibility check (other tests' sessions carry other chips).
            await page.GetByLabel("Search title or location").FillAsync(upcoming.Title);
            await Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
            var attendance = table.GetByRole(AriaRole.Link, new() { Name = $"Attendance of {upcoming.Title}", Exact = true });
            await Expect(attendance).ToBeVisibleAsync();
            var box = await attendance.BoundingBoxAsync();
            Assert.True(box!.Height >= 44 && box.Width >= 44, $"The Attendance button is {box.Width}×{box.Height} px.");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "Sessions at 820 px");

            await page.GetByLabel("Search title or location").FillAsync(past.Title);
            await Expect(page.GetByText("No upcoming session matches these filters.")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Past" }).ClickAsync();
            await Expect(table.GetByRole(AriaRole.Link, new() { Name = past.Title, Exact = true })).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_trainer_opening_the_dashboard_or_the_background_jobs_lands_on_the_denied_page()
    {
        var page = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        var anonymous = await browser.Browser.NewContextAsync(new() { BaseURL = browser.App.BaseAddress.ToString(), ViewportSize = Portrait });
        try
        {
            foreach (var path in new[] { "/dashboard", "/hangfire" })
            {
                await page.GotoAsync(path);
                await Expect(page).ToHaveURLAsync(DeniedUrl());
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are not allowed here", Level = 1 })).ToBeVisibleAsync();
            }

            await Accessibility.AssertNoSeriousViolationsAsync(page, "Denied at 820 px");

            // Inside the app (no full load), a page the role may not open ends on the same page.
            await page.GotoAsync("/today");
            await BrowserFixture.WaitForInteractiveAsync(page);
            await page.EvaluateAsync("() => Blazor.navigateTo('/dashboard')");
            await Expect(page).ToHaveURLAsync(DeniedUrl());
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are not allowed here", Level = 1 })).ToBeVisibleAsync();

            // An admin still gets the background jobs.
            var admin = await browser.SignInAsync(DemoSeeder.AdminEmail);
            var jobs = await admin.GotoAsync("/hangfire");
            Assert.Equal(200, jobs!.Status);
            await Expect(admin).ToHaveURLAsync(new Regex("/hangfire$"));
            await admin.Context.CloseAsync();

            // Someone not signed in is asked to sign in first.
            var visitor = await anonymous.NewPageAsync();
            await visitor.GotoAsync("/hangfire");
            await Expect(visitor).ToHaveURLAsync(new Regex("/account/login"));
            await Expect(visitor.GetByLabel("Email")).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
            await anonymous.CloseAsync();
        }
    }

    [GeneratedRegex("/today$")]
    private static partial Regex TodayUrl();

    [GeneratedRegex("/account/denied")]
    private static partial Regex DeniedUrl();
}
