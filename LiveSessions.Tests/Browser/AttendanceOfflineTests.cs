using System.Text.RegularExpressions;
using LiveSessions.Domain;
using LiveSessions.Tests.Attendance;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using Microsoft.Playwright;
using static LiveSessions.Tests.Browser.AttendanceSteps;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>Shaky Wi-Fi: taps made while the browser is offline are kept on the tablet and saved exactly once later.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AttendanceOfflineTests(BrowserFixture browser)
{
    [Fact]
    public async Task Three_taps_made_offline_show_as_pending_and_are_saved_exactly_once_when_back_online()
    {
        var app = browser.App;
        var seated = await app.SeatedSessionAsync(5, "off", trainers: [DemoSeeder.TrainerEmail]);
        var marks = Marks(seated);

        var page = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        try
        {
            await OpenFormAsync(page, seated.Id);
            await LearnersCardSteps.MarkDocumentAsync(page);
            await GoOfflineAsync(page);
            var banner = Banner(page);

            // The banner does not block the form: the trainer keeps tapping.
            await TapOfflineAsync(page, marks);
            await Expect(Queue(page)).ToHaveTextAsync("3 marks kept on this device, sent when the connection is back");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the form offline with marks kept");
            await Expect(Count(page)).ToHaveTextAsync("0 of 5 marked · 0 attended");
            await ExpectNothingSavedAsync(app, seated, marks);

            await page.Context.SetOfflineAsync(false);
            foreach (var (name, mark) in marks)
            {
                await ExpectMarkedAsync(page, name, mark);
            }

            await Expect(Queue(page)).ToBeEmptyAsync();
            await Expect(Count(page)).ToHaveTextAsync("3 of 5 marked · 2 attended");
            await Expect(banner).ToBeHiddenAsync();
            await LearnersCardSteps.ExpectSameDocumentAsync(page);
            await ExpectSavedOnceAsync(app, seated, marks);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Taps_made_offline_survive_a_reload_and_are_saved_exactly_once_by_the_new_page()
    {
        var app = browser.App;
        var seated = await app.SeatedSessionAsync(5, "reload", trainers: [DemoSeeder.TrainerEmail]);
        var marks = Marks(seated);

        var page = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        try
        {
            await OpenFormAsync(page, seated.Id);
            await GoOfflineAsync(page);
            await TapOfflineAsync(page, marks);

            // Reloading without a network fails: the page and its circuit are gone, the taps stay in the browser.
            var reload = await Assert.ThrowsAsync<PlaywrightException>(() => page.ReloadAsync());
            Assert.Contains("ERR_INTERNET_DISCONNECTED", reload.Message, StringComparison.Ordinal);
            await ExpectNothingSavedAsync(app, seated, marks);

            // Back online, the form opens on a new circuit, which reads the kept taps and sends them.
            await page.Context.SetOfflineAsync(false);
            await OpenFormAsync(page, seated.Id);
            foreach (var (name, mark) in marks)
            {
                await ExpectMarkedAsync(page, name, mark);
            }

            await Expect(Queue(page)).ToBeEmptyAsync();
            await Expect(Count(page)).ToHaveTextAsync("3 of 5 marked · 2 attended");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the form after a reload saved the kept marks");
            await ExpectSavedOnceAsync(app, seated, marks);

            // Nothing is left to send: another reload replays nothing.
            await page.ReloadAsync();
            await WaitUntilReadyAsync(page);
            await Expect(Count(page)).ToHaveTextAsync("3 of 5 marked · 2 attended");
            Assert.Equal("null", await page.EvaluateAsync<string>("() => JSON.stringify(Object.keys(localStorage).find(k => k.startsWith('livesessions.attendance')) ?? null)"));
            await ExpectSavedOnceAsync(app, seated, marks);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task When_the_circuit_drops_the_banner_lets_the_trainer_keep_tapping_and_the_taps_are_sent_once_it_reconnects()
    {
        var app = browser.App;
        var seated = await app.SeatedSessionAsync(5, "drop", trainers: [DemoSeeder.TrainerEmail]);
        var marks = Marks(seated);

        var page = await browser.SignInAsync(DemoSeeder.TrainerEmail, viewport: Portrait);
        var circuit = new CircuitSwitch();
        await page.RouteWebSocketAsync(new Regex("/_blazor"), circuit.Connect);
        await page.RouteAsync(new Regex("/_blazor/negotiate"), route => circuit.Down ? route.AbortAsync() : route.ContinueAsync());
        try
        {
            await OpenFormAsync(page, seated.Id);
            await LearnersCardSteps.MarkDocumentAsync(page);

            // The server side of the circuit's connection goes away (a Wi-Fi drop the browser does not notice).
            await circuit.DropAsync();
            await Expect(Banner(page)).ToContainTextAsync("Connection lost. Reconnecting…");
            await Expect(page.Locator(".components-reconnect-overlay")).ToHaveCountAsync(0);

            await TapOfflineAsync(page, marks);
            await Expect(Queue(page)).ToHaveTextAsync("3 marks kept on this device, sent when the connection is back");
            await Accessibility.AssertNoSeriousViolationsAsync(page, "the form with the connection banner and marks kept");
            await ExpectNothingSavedAsync(app, seated, marks);

            // Blazor's own retries reconnect the same circuit; the kept taps go then, and the roster is read again.
            circuit.Restore();
            foreach (var (name, mark) in marks)
            {
                await ExpectMarkedAsync(page, name, mark);
            }

            await Expect(Banner(page)).ToBeHiddenAsync();
            await Expect(Queue(page)).ToBeEmptyAsync();
            await Expect(Count(page)).ToHaveTextAsync("3 of 5 marked · 2 attended");
            await LearnersCardSteps.ExpectSameDocumentAsync(page);
            await ExpectSavedOnceAsync(app, seated, marks);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Three of the learners, in the order of the form, with the mark each gets.</summary>
    private static List<(string Name, string Mark)> Marks(SeatedSession seated)
    {
        var names = seated.People.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return [(names[0], "Attended"), (names[2], "Absent"), (names[4], "Attended")];
    }

    private static async Task TapOfflineAsync(IPage page, List<(string Name, string Mark)> marks)
    {
        foreach (var (name, mark) in marks)
        {
            await TapAsync(page, name, mark);
            await Expect(Row(page, name)).ToContainTextAsync($"Pending: {mark}");
            await Expect(Row(page, name)).ToHaveAttributeAsync("data-pending", mark.ToLowerInvariant());
        }
    }

    private static async Task ExpectNothingSavedAsync(AppFixture app, SeatedSession seated, List<(string Name, string Mark)> marks)
    {
        foreach (var (name, _) in marks)
        {
            Assert.Equal(LearnerStatus.Registered, await app.StatusOfAsync(seated.LearnerIds[name]));
            Assert.Equal(0, await app.MarkHistoryCountAsync(seated.LearnerIds[name]));
        }
    }

    private static async Task ExpectSavedOnceAsync(AppFixture app, SeatedSession seated, List<(string Name, string Mark)> marks)
    {
        foreach (var (name, mark) in marks)
        {
            Assert.Equal(mark == "Attended" ? LearnerStatus.Attended : LearnerStatus.Absent, await app.StatusOfAsync(seated.LearnerIds[name]));
            Assert.Equal(1, await app.MarkHistoryCountAsync(seated.LearnerIds[name]));
        }
    }

    /// <summary>Routes the page's Blazor connections through the test, which can drop them and refuse new ones.</summary>
    private sealed class CircuitSwitch
    {
        private readonly List<IWebSocketRoute> open = [];
        private volatile bool down;

        public bool Down => down;

        public void Connect(IWebSocketRoute socket)
        {
            if (down)
            {
                _ = socket.CloseAsync(new() { Code = 1011, Reason = "The network is down." });
                return;
            }

            socket.ConnectToServer();
            lock (open)
            {
                open.Add(socket);
            }
        }

        public async Task DropAsync()
        {
            down = true;
            List<IWebSocketRoute> sockets;
            lock (open)
            {
                sockets = [.. open];
                open.Clear();
            }

            foreach (var socket in sockets)
            {
                await socket.CloseAsync(new() { Code = 1011, Reason = "The network is down." });
            }
        }

        public void Restore() => down = false;
    }
}
