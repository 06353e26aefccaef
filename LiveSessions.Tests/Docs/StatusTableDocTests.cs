using LiveSessions.Domain;

namespace LiveSessions.Tests.Docs;

/// <summary>docs/status-table.md is generated from the domain's table; this keeps the two from drifting.</summary>
public sealed class StatusTableDocTests
{
    private const string Begin = "<!-- generated:begin -->";
    private const string End = "<!-- generated:end -->";

    [Fact]
    public void The_status_table_document_matches_the_domain_table()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "status-table.md");
        var text = File.ReadAllText(path);
        var generated = Generate();
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/status-table.md lacks its generated markers");
        var current = text[(start + Begin.Length)..end].Trim();
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1" && current != generated.Trim())
        {
            File.WriteAllText(path, text[..(start + Begin.Length)] + "\n" + generated + "\n" + text[end..]);
            return;
        }

        Assert.Equal(generated.Trim(), current);
    }

    private static string Generate()
    {
        var rows = string.Join("\n", LearnerStatusMachine.Table.Select(r =>
            $"| {string.Join(", ", r.From.Select(f => f.Display()))} | {r.To.Display()} | `{r.Trigger}` | {r.Description} |"));
        return "```mermaid\n" + LearnerStatusMachine.ToMermaid().TrimEnd() + "\n```\n\n| From | To | Trigger | When |\n|---|---|---|---|\n" + rows
            + "\n| any | any other | `Manual` | An admin's Update Status, with a note; taking a seat past capacity needs the overbook confirmation |"
            + "\n| – | the status asked for | `CopiedFromSession` | Copy Learners; a seat status on a full target becomes Waiting List (or is refused without one) |";
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveSessions.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
