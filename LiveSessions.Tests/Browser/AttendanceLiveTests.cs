using LiveSessions.Domain;
using LiveSessions.Tests.Attendance;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using Microsoft.Playwright;
using static LiveSessions.Tests.Browser.AttendanceSteps;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>Two trainers on one attendance form, and an admin watching the session page: everyone sees every mark.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AttendanceLiveTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_trainers_see_each_others_marks_without_a_reload_and_the_admins_fill_rate_follows()
    {
        var app = browser.App;
        var secondTrainer = await app.NewTrainerAsync("Sam Second");
        var seated = await app.SeatedSessionAsync(4, "live", trainers: [DemoSeeder.TrainerEmail, secondTrainer]);
        var names = seated.People.Select(p => p.Name).ToList();
        var walkIn = (await app.NewEmployeesAsync(1, "livego")).Single();

        var first = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        var second = await browser.SignInAsync(secondTrainer, viewport: Landscape);
        var admin = await browser.SignInAsync(DemoSeeder.AdminEmail);
        try
        {
            await OpenFormAsync(first, seated.Id);
            await OpenFormAsync(second, seated.Id);
            await LearnersCardSteps.OpenSessionAsync(admin, seated.Id, seated.People[0].Email);
            await Expect(admin.GetByTestId("card-fill-rate")).ToHaveTextAsync("100 %");

            // The first trainer marks: the second sees it, and who marked it (how fast is measured in LiveSessions.Benchmarks).
            await TapAsync(first, names[0], "Attended");
            await ExpectMarkedAsync(second, names[0], "Attended");
            await Expect(Row(second, names[0])).ToContainTextAsync($"Marked by {DemoSeeder.TrainerEmail}");
            await Expect(Count(second)).ToHaveTextAsync("1 of 4 marked · 1 attended");
            await Accessibility.AssertNoSeriousViolationsAsync(second, "the second trainer's form after the first one's mark");

            // The second marks someone Absent: the first sees it, and the admin's fill rate drops (Absent takes no seat).
            await TapAsync(second, names[1], "Absent");
            await ExpectMarkedAsync(first, names[1], "Absent");
            await Expect(admin.GetByTestId("card-fill-rate")).ToHaveTextAsync("75 %");

            // They disagree about the same learner: the later mark wins, and both see it.
            await TapAsync(first, names[2], "Attended");
            await ExpectMarkedAsync(first, names[2], "Attended");
            await ExpectMarkedAsync(second, names[2], "Attended");
            await TapAsync(second, names[2], "Absent");
            await ExpectMarkedAsync(second, names[2], "Absent");
            await ExpectMarkedAsync(first, names[2], "Absent");
            Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(seated.LearnerIds[names[2]]));
            await Expect(admin.GetByTestId("card-fill-rate")).ToHaveTextAsync("50 %");

            // A Go Show added by the second trainer: the first sees the row, and it counts in the admin's fill rate.
            await second.GetByRole(AriaRole.Button, new() { Name = "Add Go Show" }).ClickAsync();
            var dialog = second.GetByRole(AriaRole.Dialog, new() { Name = "Add a Go Show" });
            await dialog.GetByLabel("Search the directory").FillAsync(walkIn.Name);
            await dialog.GetByRole(AriaRole.Button, new() { Name = $"Add {walkIn.Name} as Go Show" }).ClickAsync();
            await Expect(Row(first, walkIn.Name)).ToContainTextAsync("Go Show");
            await Expect(Count(first)).ToHaveTextAsync("4 of 5 marked · 2 attended");
            await Expect(admin.GetByTestId("card-fill-rate")).ToHaveTextAsync("75 %");
        }
        finally
        {
            await first.Context.CloseAsync();
            await second.Context.CloseAsync();
            await admin.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_mark_kept_offline_does_not_overwrite_a_later_mark_by_the_other_trainer_and_both_see_the_later_one()
    {
        var app = browser.App;
        var secondTrainer = await app.NewTrainerAsync("Olga Online");
        var seated = await app.SeatedSessionAsync(2, "later", trainers: [DemoSeeder.TrainerEmail, secondTrainer]);
        var name = seated.People[0].Name;
        var learnerId = seated.LearnerIds[name];

        var offline = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        var online = await browser.SignInAsync(secondTrainer, viewport: Portrait);
        try
        {
            await OpenFormAsync(offline, seated.Id);
            await OpenFormAsync(online, seated.Id);

            // The first trainer's Wi-Fi drops; they tap Attended, and it waits on the tablet.
            await offline.Context.SetOfflineAsync(true);
            await TapAsync(offline, name, "Attended");
            await Expect(Row(offline, name)).ToContainTextAsync("Pending: Attended");

            // Later, the second trainer marks the same learner Absent.
            await TapAsync(online, name, "Absent");
            await ExpectMarkedAsync(online, name, "Absent");

            // Back online, the older tap arrives after the newer mark: the later mark stays, and both forms show it.
            await offline.Context.SetOfflineAsync(false);
            await Expect(offline.GetByText($"was marked Absent by {secondTrainer} after your tap: that later mark stays.")).ToBeVisibleAsync();
            await ExpectMarkedAsync(offline, name, "Absent");
            await Expect(Row(offline, name)).ToContainTextAsync("Later mark kept");
            await ExpectMarkedAsync(online, name, "Absent");
            await Accessibility.AssertNoSeriousViolationsAsync(offline, "the form back online after a kept mark lost to a later one");
            Assert.Equal(LearnerStatus.Absent, await app.StatusOfAsync(learnerId));
            Assert.Equal(1, await app.MarkHistoryCountAsync(learnerId));
        }
        finally
        {
            await offline.Context.CloseAsync();
            await online.Context.CloseAsync();
        }
    }
}
