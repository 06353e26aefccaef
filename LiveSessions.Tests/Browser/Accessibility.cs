using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LiveSessions.Tests.Browser;

/// <summary>axe-core in the page as it stands: no serious or critical violation of WCAG 2.1 A/AA.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string? what = null)
    {
        var options = new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        };
        // Colours are judged at rest: a button fading from disabled to enabled mid-transition is not what anyone reads.
        await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });
        var results = await page.RunAxe(options);
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what ?? page.Url}: " + string.Join(" | ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target + " " + (n.Html.Length > 160 ? n.Html[..160] : n.Html) + " — " + string.Join(" ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))))}")));
    }
}
