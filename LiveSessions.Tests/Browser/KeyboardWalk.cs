using System.Text.Json;
using Microsoft.Playwright;

namespace LiveSessions.Tests.Browser;

/// <summary>
/// Tabs through a page as a keyboard user does and says, for each stop, what has focus and whether anyone can see
/// it: the element (or, for a visually hidden checkbox or radio, its box) is on screen and looks different focused.
/// </summary>
public static class KeyboardWalk
{
    /// <summary>One Tab stop: the element's description, and why its focus cannot be seen (null when it can).</summary>
    public sealed record Stop(string Element, string? Problem);

    // A focus indicator is a ring (outline) on the element, a field's own focused underline or border, or any
    // difference in outline, shadow, background or border between the element focused and not, or its box's.
    private const string Probe = """
        (walk) => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          if (el.tagName === 'IFRAME') return { frame: [...document.querySelectorAll('iframe')].indexOf(el) };
          const describe = () => {
            const name = el.getAttribute('aria-label') || el.getAttribute('title') || (el.labels && el.labels[0] && el.labels[0].innerText) || el.innerText || el.value || '';
            return el.tagName.toLowerCase() + (el.getAttribute('role') ? '[role=' + el.getAttribute('role') + ']' : '') + ' "' + name.trim().replace(/\s+/g, ' ').slice(0, 80) + '"';
          };
          if (el.dataset.keyboardWalk) return { seen: el.dataset.keyboardWalk, element: describe() };
          el.dataset.keyboardWalk = walk + document.querySelectorAll('[data-keyboard-walk]').length;
          const nodes = [];
          for (let n = el, i = 0; n && i < 4; n = n.parentElement, i++) nodes.push(n);
          const box = nodes.map(n => n.getBoundingClientRect()).find(r => r.width >= 4 && r.height >= 4);
          const onScreen = !!box && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
          if (getComputedStyle(el).outlineStyle !== 'none' && parseFloat(getComputedStyle(el).outlineWidth) >= 2) {
            return { element: describe(), onScreen, changes: true };
          }

          // A text field or select shows focus with its own 2 px primary underline or border (MudBlazor's
          // :focus-within), read as it stands: blurring a field would run its handlers and move focus elsewhere.
          const field = el.closest('.mud-input-control');
          if (field) {
            const input = field.querySelector('.mud-input');
            const underline = input && getComputedStyle(input, '::after');
            const border = input && input.querySelector('.mud-input-outlined-border');
            const shown = (underline && underline.content !== 'none' && parseFloat(underline.borderBottomWidth) >= 2 && !/^matrix\(0,/.test(underline.transform))
              || (border && parseFloat(getComputedStyle(border).borderTopWidth) >= 2);
            return { element: describe(), onScreen, changes: !!shown };
          }

          // Anything else: its look and its three nearest ancestors' (a hidden checkbox's box), focused and not.
          const style = (s) => [s.outlineStyle === 'none' ? '' : s.outlineStyle + s.outlineWidth + s.outlineColor, s.boxShadow, s.backgroundColor, s.borderColor].join('|');
          const look = () => nodes.map(n => style(getComputedStyle(n))).join('/');
          const focused = look();
          el.blur();
          const unfocused = look();
          el.focus();
          return { element: describe(), onScreen, changes: focused !== unfocused };
        }
        """;

    /// <summary>Presses Tab up to <paramref name="maxStops"/> times, until focus comes back round to the first stop.</summary>
    public static async Task<IReadOnlyList<Stop>> TabThroughAsync(IPage page, int maxStops = 600)
    {
        // Focus styles are compared at rest: a field's underline growing over 200 ms would read the same either way.
        await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });
        var stops = new List<Stop>();
        for (var i = 0; i < maxStops; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var result = await page.EvaluateAsync<JsonElement?>(Probe, "page:");
            if (result is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty("frame", out var index))
            {
                // Focus is inside a frame (an email's body): the stop is the frame's own focused element.
                var frame = await (await page.Locator("iframe").Nth(index.GetInt32()).ElementHandleAsync()).ContentFrameAsync();
                result = await frame!.EvaluateAsync<JsonElement?>(Probe, $"frame{index.GetInt32()}:");
            }

            if (result is not { ValueKind: JsonValueKind.Object } r)
            {
                // Past the last control focus leaves the page for the browser's own controls, then comes back.
                continue;
            }

            if (r.TryGetProperty("seen", out var seen))
            {
                if (seen.GetString() == "page:0")
                {
                    return stops;
                }

                stops.Add(new Stop(r.GetProperty("element").GetString()!, "reached again before focus came round to the first stop"));
                continue;
            }

            var element = r.GetProperty("element").GetString()!;
            var problem = !r.GetProperty("onScreen").GetBoolean() ? "not on screen when focused"
                : !r.GetProperty("changes").GetBoolean() ? "no visible change when focused"
                : null;
            stops.Add(new Stop(element, problem));
        }

        stops.Add(new Stop("(the walk)", $"focus did not come back round to the first stop within {maxStops} presses of Tab"));
        return stops;
    }
}
