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

    /// <summary>Marks the loaded document, so <see cref="ExpectSameDocumentAsync"/> can tell that the page was never reloaded.</summary>
    public static Task MarkDocumentAsync(IPage page) => page.EvaluateAsync("() => { window.__sameDocument = true; }");

    public static async Task ExpectSameDocumentAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded or navigated away.");

    /// <summary>Waits until the page's finite CSS animations and transitions (focus underlines, button colours) have ended.</summary>
    public static Task SettleAsync(IPage page) => page.EvaluateAsync("""
        () => Promise.all(document.getAnimations()
            .filter(a => a.effect?.getComputedTiming().iterations !== Infinity)
            .map(a => a.finished.catch(() => null)))
        """);

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

    /// <summary>
    /// Picks <paramref name="option"/> (the whole option text, or a part of it when not <paramref name="exact"/>) in the
    /// MudSelect labelled <paramref name="label"/> inside <paramref name="scope"/>, and waits until the select shows it.
    /// </summary>
    /// <remarks>
    /// Each click waits for the moment a person's click would work. The select sits in a dialog that scales in (a
    /// 100 ms animation), and its list opens off-screen (MudBlazor's popover starts at -9999 px), is placed by a script
    /// in a later animation frame and fades in over 251 ms while the script keeps re-placing it. A click sent into that
    /// motion can press on one spot and release on another, and the browser then fires no click at all: the list stays
    /// open with nothing picked. So: the page settles, the select's own input control is clicked with Playwright's
    /// actionability checks (visible, stable, receiving the pointer) rather than forced, the open list settles, and only
    /// then is the option clicked.
    /// </remarks>
    public static async Task PickAsync(IPage page, ILocator scope, string label, string option, bool exact = true)
    {
        var combobox = page.GetByRole(AriaRole.Combobox, new() { Name = label, Exact = true });
        var select = scope.Locator(combobox);
        var item = page.GetByRole(AriaRole.Option, new() { Name = option, Exact = exact });

        // The input control holds MudSelect's pointer handler; its decoration (label, outline) takes the pointer, and
        // any spot of the control opens the list, so the control itself is the thing to click.
        var control = scope.Locator(".mud-input-control").Filter(new() { Has = combobox });
        await SettleAsync(page);
        await control.ClickAsync();
        await Expect(item).ToBeVisibleAsync();
        await Expect(page.Locator(".mud-popover-open").Filter(new() { Has = item })).Not.ToHaveCSSAsync("top", "-9999px");
        await SettleAsync(page);
        await item.ClickAsync();

        await Expect(select).ToContainTextAsync(option);
        await Expect(item).ToBeHiddenAsync();
    }
}
