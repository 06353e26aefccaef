using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>What a trainer does on the attendance form, in the words of its labels and roles.</summary>
internal static class AttendanceSteps
{
    public static readonly ViewportSize Portrait = new() { Width = 820, Height = 1180 };

    public static readonly ViewportSize Landscape = new() { Width = 1180, Height = 820 };

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>Opens the form and waits until taps are taken (interactive, and the tap queue started).</summary>
    public static async Task OpenFormAsync(IPage page, int sessionId)
    {
        await page.GotoAsync($"/sessions/{sessionId}/attendance");
        await WaitUntilReadyAsync(page);
    }

    public static Task WaitUntilReadyAsync(IPage page) =>
        Expect(page.Locator("[data-testid=attendance-form][data-ready=true]")).ToBeVisibleAsync();

    public static ILocator Row(IPage page, string name) =>
        page.GetByRole(AriaRole.List, new() { Name = "Learners", Exact = true }).GetByRole(AriaRole.Listitem, new() { Name = name, Exact = true });

    public static ILocator Toggle(IPage page, string name, string mark) =>
        Row(page, name).GetByRole(AriaRole.Button, new() { Name = mark, Exact = true });

    public static Task TapAsync(IPage page, string name, string mark) => Toggle(page, name, mark).ClickAsync();

    /// <summary>The row shows <paramref name="mark"/> pressed and saved (no tap waiting for the server).</summary>
    public static async Task ExpectMarkedAsync(IPage page, string name, string mark)
    {
        await Expect(Toggle(page, name, mark)).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Toggle(page, name, mark == "Attended" ? "Absent" : "Attended")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(Row(page, name)).Not.ToHaveAttributeAsync("data-pending", new System.Text.RegularExpressions.Regex(".*"));
    }

    /// <summary>The banner that replaces Blazor's reconnect overlay.</summary>
    public static ILocator Banner(IPage page) => page.Locator("#components-reconnect-modal");

    /// <summary>Cuts the tablet's network, and waits until the page knows it.</summary>
    public static async Task GoOfflineAsync(IPage page)
    {
        await page.Context.SetOfflineAsync(true);
        await Expect(Banner(page)).ToContainTextAsync("You are offline");
    }

    public static ILocator Count(IPage page) => page.GetByTestId("attendance-count");

    public static ILocator Queue(IPage page) => page.GetByTestId("attendance-queue");
}
