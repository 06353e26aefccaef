using LiveSessions.Web.Features.Operations;
using System.Globalization;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;

namespace LiveSessions.Web.Features.Roster;

/// <summary>An export of <paramref name="Rows"/> learners written to a temporary file; reading it to the end deletes it.</summary>
public sealed record ExportFile(string FileName, string Path, int Rows)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}

/// <summary>The selected learners (all when none) as an .xlsx, every cell safe to open in a spreadsheet.</summary>
public sealed class ExportLearners(IDbContextFactory<LiveSessionsDbContext> contextFactory, AuditLog audit)
{
    public const string WritingStep = "Writing learners";

    public async Task<Outcome<ExportFile>> HandleAsync(int sessionId, IReadOnlyCollection<int>? learnerIds, CurrentUser user, CancellationToken cancellationToken = default,
        IProgress<WorkProgress>? progress = null)
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

        // Counted first so the progress of an export of thousands reads "done of total" from its first row.
        var total = progress is null ? 0 : await query.CountAsync(cancellationToken);
        var written = 0;
        var sources = query.OrderBy(l => l.Employee.Name)
            .Select(l => new ExportSource(l.Id, l.Employee.Name, l.Employee.Email, l.Employee.Department,
                l.Employee.Manager != null ? l.Employee.Manager.Name : string.Empty, l.Status, l.StatusChangedAt, l.RegisteredAt))
            .AsEnumerable()
            .Select(r =>
            {
                written++;
                progress.Report(WritingStep, Math.Min(written, total), Math.Max(total, written));
                return r;
            });

        // Rows stream from the database into a temporary file, never into one big buffer. Without forms the sheet has
        // fixed columns and is written from typed rows, which MiniExcel writes much faster than one dictionary per row.
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"livesessions-export-{Guid.NewGuid():N}.xlsx");
        if (formColumns.IsEmpty)
        {
            var rows = sources.Select(r => ToSheetRow(r, positions));
            await Task.Run(() => MiniExcel.SaveAs(path, rows, sheetName: "Learners"), cancellationToken);
        }
        else
        {
            var rows = sources.Select(r => formColumns.AddTo(ToSheetRow(r, positions).ToColumns(), r.Id));
            await Task.Run(() => MiniExcel.SaveAs(path, rows, sheetName: "Learners"), cancellationToken);
        }

        await audit.WriteAsync(user.Email, AuditAction.Exported, $"session {sessionId}", learnerIds is { Count: > 0 } ? $"{learnerIds.Count} selected learners" : "every learner", cancellationToken: cancellationToken);
        return new ExportFile($"learners-{Slug(title)}.xlsx", path, written);
    }

    /// <summary>
    /// A cell's text as it goes into the .xlsx. The sheet is written with every text as a string cell (never a formula
    /// cell), which no spreadsheet evaluates, so nothing needs a prefix and "-Smith" stays "-Smith". Control characters
    /// a spreadsheet could treat as the start of a formula after a re-save as CSV (tab, carriage return) are dropped.
    /// </summary>
    public static string Neutralise(string? value) =>
        string.IsNullOrEmpty(value) ? string.Empty : value.TrimStart('\t', '\r');

    private static SheetRow ToSheetRow(ExportSource r, Dictionary<int, int> positions) => new(
        Neutralise(r.Name),
        Neutralise(r.Email),
        Neutralise(r.Department),
        Neutralise(r.Manager),
        r.Status.Display(),
        r.StatusChangedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        positions.TryGetValue(r.Id, out var p) ? p : null,
        r.RegisteredAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? string.Empty,
        r.Status is LearnerStatus.Attended or LearnerStatus.GoShow ? "Yes" : r.Status == LearnerStatus.Absent ? "No" : string.Empty);

    /// <summary>One learner's fixed columns, in the sheet's order and with its headers.</summary>
    private sealed record SheetRow(
        [property: ExcelColumnName("Name")] string Name,
        [property: ExcelColumnName("Email")] string Email,
        [property: ExcelColumnName("Department")] string Department,
        [property: ExcelColumnName("Manager")] string Manager,
        [property: ExcelColumnName("Status")] string Status,
        [property: ExcelColumnName("Status changed at (UTC)")] string StatusChangedAt,
        [property: ExcelColumnName("Waiting-list position")] int? WaitingListPosition,
        [property: ExcelColumnName("Registered at (UTC)")] string RegisteredAt,
        [property: ExcelColumnName("Attended")] string Attended)
    {
        // The same columns and headers as the typed sheet, for a sheet that adds the forms' columns after them.
        private static readonly (string Header, System.Reflection.PropertyInfo Property)[] Columns = typeof(SheetRow).GetProperties()
            .Select(p => (((ExcelColumnNameAttribute)Attribute.GetCustomAttribute(p, typeof(ExcelColumnNameAttribute))!).ExcelColumnName, p)).ToArray();

        public Dictionary<string, object?> ToColumns() => Columns.ToDictionary(c => c.Header, c => c.Property.GetValue(this));
    }

    private static string Slug(string title)
    {
        var chars = title.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length > 60 ? slug[..60] : slug;
    }

    private sealed record ExportSource(int Id, string Name, string Email, string Department, string Manager, LearnerStatus Status, DateTimeOffset StatusChangedAt, DateTimeOffset? RegisteredAt);
}
