using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace LiveSessions.Tests.Components;

/// <summary>
/// What a person does with the MudBlazor controls of the card and its dialogs, found by their labels and text.
/// Each action finds its element and fires the event on the renderer's dispatcher, so a live reload of the grid
/// cannot re-render the element between the two; clicks are not awaited, as a card's handler may await a dialog.
/// </summary>
internal static class MudSteps
{
    /// <summary>bUnit's waits re-check on every render and end when the condition holds; this only bounds a hang.</summary>
    public static readonly TimeSpan Wait = LiveSessions.Tests.Infrastructure.Patience.Ceiling;

    public static IElement Button(this IRenderedComponent<IComponent> cut, string text) =>
        cut.FindAll("button").SingleOrDefault(b => b.TextContent.Trim() == text)
        ?? throw new InvalidOperationException($"No button \"{text}\".");

    public static bool IsDisabled(this IElement element) => element.HasAttribute("disabled");

    /// <summary>A checkbox by its aria-label, or by the text of the label around it.</summary>
    public static IElement CheckBox(this IRenderedComponent<IComponent> cut, string label) =>
        cut.FindAll("input[type=checkbox]").SingleOrDefault(i => i.GetAttribute("aria-label") == label || i.Closest("label")?.TextContent.Trim() == label)
        ?? throw new InvalidOperationException($"No checkbox \"{label}\".");

    public static bool IsChecked(this IElement checkbox) => checkbox.HasAttribute("checked");

    /// <summary>A text field by the text of its label.</summary>
    public static IElement TextField(this IRenderedComponent<IComponent> cut, string label)
    {
        var forId = cut.FindAll("label").SingleOrDefault(l => l.TextContent.Trim() == label)?.GetAttribute("for")
            ?? throw new InvalidOperationException($"No field \"{label}\".");
        return cut.Find($"#{forId}");
    }

    public static string TestId(this IRenderedComponent<IComponent> cut, string id) => cut.Find($"[data-testid={id}]").TextContent.Trim();

    public static string SelectionCount(this IRenderedComponent<IComponent> cut) => cut.TestId("selection-count");

    /// <summary>The names of the learners the grid shows (each name is the link that opens the learner).</summary>
    public static IReadOnlyList<string> RowNames(this IRenderedComponent<IComponent> cut) =>
        cut.FindAll("a[aria-label^='Open ']").Select(a => a.TextContent.Trim()).ToList();

    /// <summary>The text of the open dialog.</summary>
    public static string DialogText(this IRenderedComponent<IComponent> cut) => cut.Find("[role=dialog]").TextContent;

    /// <summary>The options of the open select or autocomplete.</summary>
    public static IReadOnlyList<string> Options(this IRenderedComponent<IComponent> cut) =>
        cut.FindAll("[role=option]").Select(o => o.TextContent.Trim()).ToList();

    public static Task ClickAsync(this IRenderedComponent<IComponent> cut, string buttonText) =>
        cut.InvokeAsync(() => cut.Button(buttonText).Click());

    public static Task ClickAsync(this IRenderedComponent<IComponent> cut, Func<IRenderedComponent<IComponent>, IElement> find) =>
        cut.InvokeAsync(() => find(cut).Click());

    public static Task TickAsync(this IRenderedComponent<IComponent> cut, string checkBoxLabel, bool on = true) =>
        cut.InvokeAsync(() => cut.CheckBox(checkBoxLabel).Change(on));

    public static Task TypeAsync(this IRenderedComponent<IComponent> cut, string fieldLabel, string text) =>
        cut.InvokeAsync(() => cut.TextField(fieldLabel).Input(text));

    public static Task TabAsync(this IRenderedComponent<IComponent> cut, string text) =>
        cut.InvokeAsync(() => cut.FindAll("[role=tab]").Single(t => t.TextContent.Trim() == text).Click());

    /// <summary>Actions → <paramref name="item"/>, then waits for the dialog it opens.</summary>
    public static async Task ChooseActionAsync(this IRenderedComponent<IComponent> cut, string item)
    {
        await cut.ClickAsync("Actions");
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[role=menuitem]"), m => m.TextContent.Trim() == item), Wait);
        await cut.ClickAsync(c => c.FindAll("[role=menuitem]").Single(m => m.TextContent.Trim() == item));
        cut.WaitForElement("[role=dialog]", Wait);
    }

    /// <summary>Opens the select labelled <paramref name="label"/> and returns its options.</summary>
    public static async Task<IReadOnlyList<string>> OpenSelectAsync(this IRenderedComponent<IComponent> cut, string label)
    {
        cut.WaitForAssertion(() => Assert.NotNull(Select(cut, label)), Wait);
        await cut.InvokeAsync(() => Select(cut, label)!.MouseDown());
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.Options()), Wait);
        return cut.Options();
    }

    /// <summary>Picks the option whose text is <paramref name="option"/> (or, with <paramref name="contains"/>, holds it) in the select labelled <paramref name="label"/>.</summary>
    public static async Task PickAsync(this IRenderedComponent<IComponent> cut, string label, string option, bool contains = false)
    {
        await cut.OpenSelectAsync(label);
        await cut.ChooseOptionAsync(option, contains);
    }

    /// <summary>Types <paramref name="text"/> in the autocomplete labelled <paramref name="label"/> and picks the suggestion holding <paramref name="option"/>.</summary>
    public static async Task AutocompleteAsync(this IRenderedComponent<IComponent> cut, string label, string text, string option)
    {
        await cut.TypeAsync(label, text);
        cut.WaitForAssertion(() => Assert.Contains(cut.Options(), o => o.Contains(option, StringComparison.Ordinal)), Wait);
        await cut.ChooseOptionAsync(option, contains: true);
    }

    /// <summary>Clicks an option of the open select or autocomplete, which then closes.</summary>
    public static async Task ChooseOptionAsync(this IRenderedComponent<IComponent> cut, string option, bool contains = false)
    {
        await cut.ClickAsync(c => c.FindAll("[role=option]").Single(o => contains ? o.TextContent.Contains(option, StringComparison.Ordinal) : o.TextContent.Trim() == option));
        cut.WaitForAssertion(() => Assert.Empty(cut.Options()), Wait);
    }

    /// <summary>The select by the text of its label (its combobox moves from the input to the value once one is picked).</summary>
    private static IElement? Select(IRenderedComponent<IComponent> cut, string label) =>
        cut.FindAll("label").SingleOrDefault(l => l.TextContent.Trim() == label)?.Closest(".mud-input-control");
}
