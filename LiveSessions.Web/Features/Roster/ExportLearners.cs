using System.Globalization;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LiveSessions.Web.Features.Roster;

/// <summary>An export written to a temporary file; reading it to the end deletes it.</summary>
public sealed record ExportFile(string FileName, string Path)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}

/// <summary>The selected learners (all when none) as an .xlsx, every cell safe to open in a spreadsheet.</summary>
public sealed class ExportLearners(IDbContextFactory<LiveSessionsDbContext> contextFactory)
{
    public async Task<Outcome<ExportFile>> HandleAsync(int sessionId, IReadOnlyCollection<int>? learnerIds, CurrentUser user, CancellationToken cancellationToken = default)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can export learners.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var title = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.Title).FirstOrDefaultAsync(cancellationToken);
        if (title is null)
        {
            return Failure.NotFound("The session");
        }

        var waiting = await RosterPage.WaitingOrderAsync(db, sessionId, cancellationToken);
        var positions = waiting.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i + 1);
        var formColumns = await FormExportColumns.LoadAsync(db, sessionId, cancellationToken);
        var query = db.Learners.AsNoTracking().Where(l => l.SessionId == sessionId);
        if (learnerIds is { Count: > 0 })
        {
            query = query.Where(l => learnerIds.Contains(l.Id));
        }

        var rows = query.OrderBy(l => l.Employee.Name)
            .Select(l => new ExportSource(l.Id, l.Employee.Name, l.Employee.Email, l.Employee.Department,
                l.Employee.Manager != null ? l.Employee.Manager.Name : string.Empty, l.Status, l.StatusChangedAt, l.RegisteredAt))
            .AsEnumerable()
            .Select(r => formColumns.AddTo(ToSheetRow(r, positions), r.Id));

        // Rows stream from the database into a temporary file, never into one big buffer.
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"livesessions-export-{Guid.NewGuid():N}.xlsx");
        await Task.Run(() => MiniExcel.SaveAs(path, rows, sheetName: "Learners"), cancellationToken);
        return new ExportFile($"learners-{Slug(title)}.xlsx", path);
    }

    /// <summary>Text that a spreadsheet would run as a formula gets a leading apostrophe.</summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }

    private static Dictionary<string, object?> ToSheetRow(ExportSource r, Dictionary<int, int> positions) => new()
    {
        ["Name"] = Neutralise(r.Name),
        ["Email"] = Neutralise(r.Email),
        ["Department"] = Neutralise(r.Department),
        ["Manager"] = Neutralise(r.Manager),
        ["Status"] = r.Status.Display(),
        ["Status changed at (UTC)"] = r.StatusChangedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        ["Waiting-list position"] = positions.TryGetValue(r.Id, out var p) ? p : null,
        ["Registered at (UTC)"] = r.RegisteredAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? string.Empty,
        ["Attended"] = r.Status is LearnerStatus.Attended or LearnerStatus.GoShow ? "Yes" : r.Status == LearnerStatus.Absent ? "No" : string.Empty,
    };

    private static string Slug(string title)
    {
        var chars = title.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length > 60 ? slug[..60] : slug;
    }

    private sealed record ExportSource(int Id, string Name, string Email, string Department, string Manager, LearnerStatus Status, DateTimeOffset StatusChangedAt, DateTimeOffset? RegisteredAt);
}
