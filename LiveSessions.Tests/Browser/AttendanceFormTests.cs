using LiveSessions.Domain;
using LiveSessions.Tests.Attendance;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static LiveSessions.Tests.Browser.AttendanceSteps;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>The attendance form on a tablet (820×1180): mark, correct, search, filter, mark all, Go Show.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AttendanceFormTests(BrowserFixture browser)
{
    private static readonly (string Name, string Department)[] Room =
    [
        ("Amélie Laurent", "Finance"), ("Bruno Costa", "Engineering"), ("Chiara Rossi", "Sales"), ("Dmitri Volkov", "Engineering"),
        ("Elena García", "Human Resources"), ("Farid Haddad", "Operations"), ("Greta Nilsson", "Marketing"), ("Hiro Tanaka", "Engineering"),
    ];

    [Fact]
    public async Task A_trainer_marks_corrects_searches_filters_and_marks_all_remaining_on_a_portrait_tablet()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var created = await app.NewSessionAsync(capacity: Room.Length, waitingList: false, trainers: [DemoSeeder.TrainerEmail]);
        var renamed = await app.Get<SaveSession>().UpdateAsync(created.Id, new SessionFields { Title = "Presenting with confidence", Location = "Room 4.12" }, AppFixture.Admin, ct);
        Assert.True(renamed.IsOk, renamed.Message);
        var session = renamed.Value!;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var ids = new Dictionary<string, int>();
        foreach (var (name, department) in Room)
        {
            var employee = await app.Get<EmployeeDirectory>().CreateAsync(new EmployeeFields(name, $"{name.Split(' ')[0].ToLowerInvariant()}.{tag}@acme.example", department, null), AppFixture.Admin, ct);
            Assert.True(employee.IsOk, employee.Message);
            var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(employee.Value!.Email), ct);
            Assert.True(registered.IsOk, registered.Message);
            ids[name] = registered.Value!.Learner.Id;
        }

        var page = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        try
        {
            await OpenFormAsync(page, session.Id);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Attendance", Level = 1 })).ToBeVisibleAsync();
            await Expect(Count(page)).ToHaveTextAsync("0 of 8 marked · 0 attended");

            // Registered learners start unmarked: neither Attended nor Absent is pressed.
            foreach (var (name, _) in Room)
            {
                await Expect(Toggle(page, name, "Attended")).ToHaveAttributeAsync("aria-pressed", "false");
                await Expect(Toggle(page, name, "Absent")).ToHaveAttributeAsync("aria-pressed", "false");
                await Expect(Row(page, name)).ToContainTextAsync("Not yet marked");
            }

            await ExpectTouchTargetsAsync(page, "Amélie Laurent");

            // Mark, then correct.
            await TapAsync(page, "Amélie Laurent", "Attended");
            await ExpectMarkedAsync(page, "Amélie Laurent", "Attended");
            await Expect(Row(page, "Amélie Laurent")).ToContainTextAsync("Saved");
            await Expect(Count(page)).ToHaveTextAsync("1 of 8 marked · 1 attended");
            await TapAsync(page, "Amélie Laurent", "Absent");
            await ExpectMarkedAsync(page, "Amélie Laurent", "Absent");
            await Expect(Count(page)).ToHaveTextAsync("1 of 8 marked · 0 attended");
            await TapAsync(page, "Bruno Costa", "Attended");
            await ExpectMarkedAsync(page, "Bruno Costa", "Attended");

            // Search narrows the list to the learner looked for.
            var rows = page.GetByRole(AriaRole.List, new() { Name = "Learners", Exact = true }).GetByRole(AriaRole.Listitem);
            await page.GetByLabel("Search learners").FillAsync("chiara");
            await Expect(rows).ToHaveCountAsync(1);
            await TapAsync(page, "Chiara Rossi", "Attended");
            await ExpectMarkedAsync(page, "Chiara Rossi", "Attended");
            await page.GetByLabel("Search learners").FillAsync("engineering");
            await Expect(rows).ToHaveCountAsync(3);
            await page.GetByLabel("Search learners").FillAsync(string.Empty);
            await Expect(rows).ToHaveCountAsync(8);

            // Filters: not yet marked, attended, absent.
            await page.GetByRole(AriaRole.Button, new() { Name = "Not yet marked" }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(5);
            await page.GetByRole(AriaRole.Button, new() { Name = "Attended ·" }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(2);
            await page.GetByRole(AriaRole.Button, new() { Name = "Absent ·" }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(Row(page, "Amélie Laurent")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "All ·" }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(8);

            await TapAsync(page, "Dmitri Volkov", "Attended");
            await ExpectMarkedAsync(page, "Dmitri Volkov", "Attended");
            await Expect(Count(page)).ToHaveTextAsync("4 of 8 marked · 3 attended");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Attendance", Level = 1 }).ClickAsync();
            await LearnersCardSteps.SettleAsync(page);
            await Screenshots.SaveAsync(page, "attendance-portrait.png");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the attendance form in portrait");
            await page.SetViewportSizeAsync(Landscape.Width, Landscape.Height);
            await ExpectTouchTargetsAsync(page, "Bruno Costa");
            await LearnersCardSteps.SettleAsync(page);
            await Screenshots.SaveAsync(page, "attendance-landscape.png");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the attendance form in landscape");
            await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
            await ExpectTouchTargetsAsync(page, "Bruno Costa");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The form scrolls sideways on a phone.");
            await page.SetViewportSizeAsync(Portrait.Width, Portrait.Height);

            // Mark all remaining as attended, after a confirmation.
            await page.GetByRole(AriaRole.Button, new() { Name = "Mark all remaining as attended" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("Everyone not yet marked (4 learners) will be marked Attended.");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Mark 4 attended" }).ClickAsync();
            await Expect(Count(page)).ToHaveTextAsync("8 of 8 marked · 7 attended");
            await ExpectMarkedAsync(page, "Hiro Tanaka", "Attended");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark all remaining as attended" })).ToBeDisabledAsync();

            Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(ids["Amélie Laurent"]));
            Assert.Equal(2, await app.MarkHistoryCountAsync(ids["Amélie Laurent"]));
            foreach (var (name, _) in Room.Skip(1))
            {
                Assert.Equal(LearnerStatus.Attended, await app.StatusOfAsync(ids[name]));
                Assert.Equal(1, await app.MarkHistoryCountAsync(ids[name]));
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_trainer_adds_Go_Shows_from_the_directory_and_as_a_new_person()
    {
        var app = browser.App;
        var ct = TestContext.Current.CancellationToken;
        var seated = await app.SeatedSessionAsync(2, "gs", trainers: [DemoSeeder.TrainerEmail]);
        var walkIns = await app.NewEmployeesAsync(2, "walkin");
        var notInvited = await app.Get<AddLearners>().HandleAsync(seated.Id, new AddLearnersRequest([walkIns[1].Email]), AppFixture.Admin, ct);
        Assert.Equal(LearnerStatus.NotInvited, notInvited.Value!.Added.Single().Status);
        var newcomer = $"new.{Guid.NewGuid():N}"[..16] + "@acme.example";

        var page = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        try
        {
            await OpenFormAsync(page, seated.Id);
            await Expect(Count(page)).ToHaveTextAsync("0 of 2 marked · 0 attended");

            // From the directory: someone not in the session at all.
            await page.GetByRole(AriaRole.Button, new() { Name = "Add Go Show" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add a Go Show" });
            await dialog.GetByLabel("Search the directory").FillAsync(walkIns[0].Name);
            await dialog.GetByRole(AriaRole.Button, new() { Name = $"Add {walkIns[0].Name} as Go Show" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(Row(page, walkIns[0].Name)).ToContainTextAsync("Go Show · in the room");
            await Expect(Count(page)).ToHaveTextAsync("1 of 3 marked · 1 attended");

            // From the directory: someone in the session without a seat (Not Invited) becomes a Go Show.
            await page.GetByRole(AriaRole.Button, new() { Name = "Add Go Show" }).ClickAsync();
            await dialog.GetByLabel("Search the directory").FillAsync("walkin");
            await Expect(dialog.GetByText("In this session: Not Invited")).ToBeVisibleAsync();
            await Expect(dialog.GetByText("Already on the form")).ToHaveCountAsync(1);
            await dialog.GetByRole(AriaRole.Button, new() { Name = $"Add {walkIns[1].Name} as Go Show" }).ClickAsync();
            await Expect(Row(page, walkIns[1].Name)).ToContainTextAsync("Go Show");
            await Expect(Count(page)).ToHaveTextAsync("2 of 4 marked · 2 attended");

            // Someone new: typed name and email, added to the directory, straight after the dialog shows (before its
            // cursor placement, a round trip later, could run: it must not take the cursor from the name).
            await page.GetByRole(AriaRole.Button, new() { Name = "Add Go Show" }).ClickAsync();
            await dialog.GetByLabel("Full name").FillAsync("Nadia Okafor");
            await dialog.GetByLabel("Email").FillAsync(newcomer);
            await dialog.GetByLabel("Department (optional)").FillAsync("Legal");
            await Expect(dialog.GetByLabel("Full name")).ToHaveValueAsync("Nadia Okafor");
            await Expect(dialog.GetByLabel("Search the directory")).ToHaveValueAsync(string.Empty);
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add new person as Go Show" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(Row(page, "Nadia Okafor")).ToContainTextAsync("Legal");
            await Expect(Count(page)).ToHaveTextAsync("3 of 5 marked · 3 attended");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the attendance form with Go Shows added");

            await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(ct);
            var goShows = await db.Learners.Where(l => l.SessionId == seated.Id && l.Status == LearnerStatus.GoShow).Select(l => l.Employee.Email).ToListAsync(ct);
            Assert.Equal(new[] { walkIns[0].Email, walkIns[1].Email, newcomer }.Order(), goShows.Order());
            Assert.Equal("Nadia Okafor", await db.Employees.Where(e => e.Email == newcomer).Select(e => e.Name).SingleAsync(ct));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_30_learner_session_takes_30_taps_one_by_one_or_5_with_mark_all()
    {
        var app = browser.App;
        var oneByOne = await app.SeatedSessionAsync(30, "t30a", trainers: [DemoSeeder.TrainerEmail]);
        var withMarkAll = await app.SeatedSessionAsync(30, "t30b", trainers: [DemoSeeder.TrainerEmail]);
        var absent = new HashSet<int> { 4, 17, 26 };

        var page = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        try
        {
            // One tap per learner, in the order of the form (by name): 27 Attended, 3 Absent.
            await OpenFormAsync(page, oneByOne.Id);
            var names = oneByOne.People.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
            var taps = 0;
            for (var i = 0; i < names.Count; i++)
            {
                await TapAsync(page, names[i], absent.Contains(i) ? "Absent" : "Attended");
                taps++;
            }

            await Expect(Count(page)).ToHaveTextAsync("30 of 30 marked · 27 attended");
            await Expect(Queue(page)).ToBeEmptyAsync();
            Assert.Equal(30, taps);
            foreach (var id in oneByOne.LearnerIds.Values)
            {
                Assert.Equal(1, await app.MarkHistoryCountAsync(id));
            }

            // The three absentees, then "mark all remaining" and its confirmation.
            await OpenFormAsync(page, withMarkAll.Id);
            names = withMarkAll.People.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
            taps = 0;
            foreach (var i in absent.Order())
            {
                await TapAsync(page, names[i], "Absent");
                taps++;
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "Mark all remaining as attended" }).ClickAsync();
            taps++;
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Mark 27 attended" }).ClickAsync();
            taps++;
            await Expect(Count(page)).ToHaveTextAsync("30 of 30 marked · 27 attended");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "a 30-learner form all marked");
            Assert.Equal(5, taps);
            foreach (var (name, id) in withMarkAll.LearnerIds)
            {
                Assert.Equal(absent.Contains(names.IndexOf(name)) ? LearnerStatus.Absent : LearnerStatus.Attended, await app.StatusOfAsync(id));
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_admin_marks_with_the_keyboard_then_completes_the_session_and_learners_still_unmarked_become_Absent()
    {
        var app = browser.App;
        var seated = await app.SeatedSessionAsync(3, "done", trainers: [DemoSeeder.TrainerEmail], automation: new AutomationSettings { MarkAbsentAfterEnd = true });
        var names = seated.People.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();

        var page = await browser.SignInAsync(DemoSeeder.AdminEmail, viewport: Landscape);
        try
        {
            await OpenFormAsync(page, seated.Id);

            // Keyboard: Space and Enter press the focused toggle; Tab moves from Attended to Absent.
            await Toggle(page, names[0], "Attended").FocusAsync();
            await page.Keyboard.PressAsync("Space");
            await ExpectMarkedAsync(page, names[0], "Attended");
            await page.Keyboard.PressAsync("Tab");
            await Expect(Toggle(page, names[0], "Absent")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await ExpectMarkedAsync(page, names[0], "Absent");
            await page.Keyboard.PressAsync("Shift+Tab");
            await page.Keyboard.PressAsync("Enter");
            await ExpectMarkedAsync(page, names[0], "Attended");

            await page.GetByRole(AriaRole.Button, new() { Name = "Complete session" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToContainTextAsync("Learners not yet marked (2) will be marked Absent");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();

            await Expect(page.GetByLabel("Session status: Completed")).ToBeVisibleAsync();
            await ExpectMarkedAsync(page, names[1], "Absent");
            await ExpectMarkedAsync(page, names[2], "Absent");
            await Expect(Count(page)).ToHaveTextAsync("3 of 3 marked · 1 attended");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the attendance form after an admin marked by keyboard");
            await Expect(page.GetByText("This session is completed: you can still correct its attendance.")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Complete session" })).ToHaveCountAsync(0);

            // A correction after the session is closed.
            await TapAsync(page, names[2], "Attended");
            await ExpectMarkedAsync(page, names[2], "Attended");
            Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(seated.LearnerIds[names[1]]));
            Assert.Equal(LearnerStatus.Attended, await app.StatusOfAsync(seated.LearnerIds[names[2]]));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Both toggles of the row are at least 44 × 44 CSS pixels.</summary>
    private static async Task ExpectTouchTargetsAsync(IPage page, string name)
    {
        foreach (var mark in new[] { "Attended", "Absent" })
        {
            var box = await Toggle(page, name, mark).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Width >= 44 && box.Height >= 44, $"{mark} of {name} is {box.Width} × {box.Height} px.");
        }
    }
}
