using System.Globalization;
using System.Text.RegularExpressions;

namespace LiveSessions.Benchmarks;

/// <summary>The figures of one scenario, as one section of docs/benchmarks.md.</summary>
internal sealed record Section(string Key, string Title, IReadOnlyList<Figure> Figures, TimeSpan Took, string Load)
{
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow - Took;
}

/// <summary>
/// Writes docs/benchmarks.md beside the solution when run from the checkout: each scenario run replaces its own
/// section (between its markers); the sections of scenarios not run this time are kept as they were.
/// </summary>
internal static partial class Report
{
    public static void Write(IReadOnlyList<Section> sections, IReadOnlyList<string> order, long peakMiB)
    {
        var root = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LiveSessions.slnx")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            Console.WriteLine("Not run from the checkout: docs/benchmarks.md left as it is.");
            return;
        }

        var path = Path.Combine(root.FullName, "docs", "benchmarks.md");
        var kept = new Dictionary<string, string>();
        if (File.Exists(path))
        {
            foreach (Match match in Block().Matches(File.ReadAllText(path)))
            {
                kept[match.Groups["key"].Value] = match.Value;
            }
        }

        var inv = CultureInfo.InvariantCulture;
        foreach (var section in sections)
        {
            var lines = new List<string>
            {
                $"<!-- bench:{section.Key} -->",
                $"## {section.Title}",
                "",
                $"Run: {section.Started:yyyy-MM-dd HH:mm} UTC, {BenchApp.Machine}, {BenchApp.Os}; the scenario (`--only {section.Key}`) took {section.Took.TotalSeconds.ToString("F0", inv)} s; 1-min load average {section.Load} (benchmark process peak working set {peakMiB} MiB).",
                "",
                "| What | Value | How |",
                "|---|---:|---|",
            };
            lines.AddRange(section.Figures.Select(f => $"| {f.What} | {f.Value.ToString(f.Value >= 100 || f.Value == Math.Floor(f.Value) ? "F0" : "F2", inv)} {f.Unit} | {f.How} |"));
            lines.Add($"<!-- /bench:{section.Key} -->");
            kept[section.Key] = string.Join('\n', lines);
        }

        var text = new List<string>
        {
            "# Benchmarks",
            "",
            "Written by `dotnet run -c Release --project LiveSessions.Benchmarks` (all scenarios, 15 to 20 minutes on a busy 2-core machine); one scenario or a few with",
            $"`-- --only {string.Join(',', order)}` (any subset). Each section says when it was run and on what machine.",
            "Tests assert outcomes only; every speed figure lives here. The app runs in the benchmark process on Kestrel (SQLite file, Hangfire in memory);",
            "hub clients and the Playwright driver run beside it, so on 2 cores they share the CPU with the server they measure.",
            "",
        };
        text.AddRange(order.Where(kept.ContainsKey).Select(key => kept[key] + "\n"));

        // Written by hand, kept as it is: each goal, where it stands and what limits it.
        if (kept.TryGetValue(Goals, out var goals))
        {
            text.Add(goals + "\n");
        }

        text.Add("Before/after comparisons of changes, and what limits each figure, are kept by hand in [benchmarks-history.md](benchmarks-history.md).");
        File.WriteAllText(path, string.Join('\n', text) + "\n");
        Console.WriteLine($"Wrote {path}");
    }

    private const string Goals = "goals";

    [GeneratedRegex(@"<!-- bench:(?<key>[a-z]+) -->.*?<!-- /bench:\k<key> -->", RegexOptions.Singleline)]
    private static partial Regex Block();
}
