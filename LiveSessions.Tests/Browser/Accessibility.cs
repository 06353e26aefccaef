using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LiveSessions.Tests.Browser;

/// <summary>axe-core in the page as it stands: no serious or critical violation of WCAG 2.1 A/AA.</summary>
public static class Accessibility
{
    private static AxeRunOptions Options => new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string? what = null)
    {
        await AtRestAsync(page);
        Check(await page.RunAxe(Options), what ?? page.Url);
    }

    /// <summary>The same check on one part of the page (a card), when the rest of it is not the test's subject.</summary>
    public static async Task AssertNoSeriousViolationsAsync(ILocator part, string what)
    {
        await AtRestAsync(part.Page);
        Check(await part.RunAxe(Options), what);
    }

    /// <summary>Colours are judged at rest: a button fading from disabled to enabled mid-transition is not what anyone reads.</summary>
    private static Task AtRestAsync(IPage page) =>
        page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });

    private static void Check(AxeResult results, string what)
    {
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join(" | ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target + " " + (n.Html.Length > 160 ? n.Html[..160] : n.Html) + " — " + string.Join(" ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))))}")));
    }
}
