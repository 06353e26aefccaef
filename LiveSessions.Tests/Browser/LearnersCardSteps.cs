using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveSessions.Tests.Browser;

/// <summary>What a person does on the Session Learners card, in the words of its labels, roles and test ids.</summary>
internal static class LearnersCardSteps
{
    /// <summary>Opens the session page and waits until the card is interactive and lists <paramref name="anyEmail"/>.</summary>
    public static async Task OpenSessionAsync(IPage page, int sessionId, string anyEmail)
    {
        await page.GotoAsync($"/sessions/{sessionId}");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Expect(LearnersGrid(page).GetByText(anyEmail, new() { Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>The learners grid of the card (not the tables of an open dialog).</summary>
    public static ILocator LearnersGrid(IPage page) => page.GetByLabel("Learners", new() { Exact = true });

    /// <summary>The roster row that shows <paramref name="email"/>.</summary>
    public static ILocator Row(IPage page, string email) =>
        LearnersGrid(page).GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByText(email, new() { Exact = true }) });

    /// <summary>The status chip of the row of <paramref name="email"/> when it shows <paramref name="status"/> (its display text).</summary>
    public static ILocator StatusChip(IPage page, string email, string status) =>
        Row(page, email).GetByLabel($"Status: {status}", new() { Exact = true });

    public static Task SelectAsync(IPage page, string name) =>
        page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {name}", Exact = true }).CheckAsync();

    public static async Task ClearSelectionAsync(IPage page)
    {
        var clear = page.GetByRole(AriaRole.Button, new() { Name = "Clear selection", Exact = true });
        if (await clear.IsEnabledAsync())
        {
            await clear.ClickAsync();
        }

        await Expect(page.GetByTestId("selection-count")).ToHaveTextAsync("0 selected");
    }

    /// <summary>Actions → <paramref name="item"/>; returns the menu item so a caller can click it inside a wait.</summary>
    public static async Task<ILocator> OpenActionsAsync(IPage page, string item)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions", Exact = true }).ClickAsync();
        var menuItem = page.GetByRole(AriaRole.Menuitem, new() { Name = item, Exact = true });
        await Expect(menuItem).ToBeVisibleAsync();
        return menuItem;
    }

    public static async Task ChooseActionAsync(IPage page, string item) => await (await OpenActionsAsync(page, item)).ClickAsync();

    /// <summary>Picks <paramref name="option"/> in the MudSelect labelled <paramref name="label"/> inside <paramref name="scope"/>.</summary>
    public static async Task PickAsync(IPage page, ILocator scope, string label, string option)
    {
        // MudSelect's input sits under its own decoration, which takes the pointer: a person clicking there opens it all the same.
        await scope.GetByRole(AriaRole.Combobox, new() { Name = label, Exact = true }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true })).ToBeHiddenAsync();
    }
}
