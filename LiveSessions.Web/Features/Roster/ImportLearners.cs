using LiveSessions.Web.Features.Operations;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LiveSessions.Web.Features.Roster;

public enum ImportRowOutcome
{
    Added,
    WillBeAdded,
    AlreadyInSession,
    UnknownEmail,
    DuplicateRow,
    InvalidEmail,
    Refused,
}

/// <summary>One row of an imported file and what became of it.</summary>
public sealed record ImportRowResult(int Row, string Email, ImportRowOutcome Outcome, string Message, LearnerRow? Learner = null);

public sealed record ImportLearnersResult(IReadOnlyList<ImportRowResult> Rows, bool Committed)
{
    public IReadOnlyList<LearnerRow> Added => Rows.Where(r => r.Learner is not null).Select(r => r.Learner!).ToList();

    public IReadOnlyList<SkippedLearner> Skipped => Rows
        .Where(r => r.Outcome is not (ImportRowOutcome.Added or ImportRowOutcome.WillBeAdded))
        .Select(r => new SkippedLearner(r.Email, $"Row {r.Row}: {r.Message}")).ToList();
}

/// <summary>Reads the email column of an .xlsx or .csv file (first row is the header).</summary>
public static class SpreadsheetRows
{
    public const long MaxFileBytes = 10 * 1024 * 1024;

    /// <summary>The most data rows one import takes; a bigger file is refused whole before anything changes.</summary>
    public const int MaxRows = 100_000;

    /// <summary>Each data row as a dictionary of trimmed text by lower-case header, with its sheet row number.</summary>
    public static Outcome<List<(int Row, Dictionary<string, string> Values)>> Read(Stream stream, string fileName, int maxRows = MaxRows)
    {
        var type = Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".xlsx" => ExcelType.XLSX,
            ".csv" => ExcelType.CSV,
            _ => (ExcelType?)null,
        };
        if (type is null)
        {
            return Failure.Invalid("file", "Upload an .xlsx or a .csv file.");
        }

        var rows = new List<(int, Dictionary<string, string>)>();
        try
        {
            var number = 1;
            foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: true, excelType: type.Value))
            {
                if (rows.Count == maxRows)
                {
                    // Stop reading here: the rest of a huge file is never held in memory.
                    return Failure.Invalid("file", $"The file has more than {maxRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} rows, the most one import takes. Split it into files of at most {maxRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} rows; nothing was imported.");
                }

                number++;
                rows.Add((number, row.ToDictionary(c => c.Key.Trim().ToLowerInvariant(), c => Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? string.Empty)));
            }

            // A file with nothing under its header (or no header MiniExcel could read: random bytes, another format
            // under a .csv name) is a wrong file, not an empty import.
            return rows.Count == 0
                ? Failure.Invalid("file", "The file has no rows under a header row: give a header row (with a column headed \"email\") and one row per person. Nothing was imported.")
                : rows;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            // Whatever the reader throws on a damaged file (a truncated .xlsx, random bytes, a row longer than its
            // header), the answer is the same: this file, where reading stopped, and nothing imported.
            var row = rows.Count == 0 ? 2 : rows[^1].Item1 + 1;
            var where = rows.Count == 0 && type == ExcelType.XLSX ? "at its header row" : $"at row {row}";
            var why = ex is KeyNotFoundException && type == ExcelType.CSV
                ? $"row {row} has more values than the header has columns."
                : Plain(ex);
            return Failure.Invalid("file", $"The file could not be read as {(type.Value == ExcelType.CSV ? "CSV" : ".xlsx")} {where}: {why} Nothing was imported.");
        }
    }

    /// <summary>The reader's message without its internals (type names, stack frames), as one sentence.</summary>
    private static string Plain(Exception ex)
    {
        var message = (ex.InnerException ?? ex).Message.Split('\n')[0].Trim();
        return message.Length == 0 ? "the content is damaged." : message.EndsWith('.') ? message : message + ".";
    }
}

/// <summary>
/// Adds learners listed in a file: a preview first (nothing changes), then the same rows committed, each with its
/// result (added, already in the session, unknown email, duplicate row).
/// </summary>
public sealed class ImportLearners(DryRun dryRun)
{
    public async Task<Outcome<ImportLearnersResult>> HandleAsync(int sessionId, Stream file, string fileName, bool commit, CurrentUser user, CancellationToken cancellationToken = default, IProgress<WorkProgress>? progress = null)
    {
        if (!user.IsAdmin)
        {
            return Failure.Forbidden("Only admins can import learners.");
        }

        var read = SpreadsheetRows.Read(file, fileName);
        if (!read.IsOk)
        {
            return new Failure(read.Kind, read.Message!, read.Errors);
        }

        var rows = read.Value!;
        if (rows.Count > 0 && !rows[0].Values.ContainsKey("email"))
        {
            return Failure.Invalid("file", "The file needs a column headed \"email\".");
        }

        // A preview decides exactly as the commit does, on a context that is then discarded.
        return await dryRun.PreviewOrCommitAsync<ImportLearnersResult>(commit, sessionId, async scope =>
        {
            var emails = rows.Select(r => r.Values.GetValueOrDefault("email", string.Empty).ToLowerInvariant()).Where(e => e.Length > 0).Distinct().ToList();
            var directory = await scope.Db.Employees.Where(e => emails.Contains(e.Email)).ToDictionaryAsync(e => e.Email, cancellationToken);
            var seen = new HashSet<string>();
            var results = new List<(ImportRowResult Result, SessionLearner? Learner)>(rows.Count);
            scope.Progress = progress;
            foreach (var (number, values) in rows)
            {
                results.Add(Decide(scope, number, values.GetValueOrDefault("email", string.Empty), directory, seen, commit, user));
                progress.Report(commit ? "Adding rows" : "Checking rows", results.Count, rows.Count, every: 100);
            }

            if (!commit)
            {
                return new ImportLearnersResult(results.Select(r => r.Result).ToList(), false);
            }

            scope.Db.AuditEntries.Add(AuditEntry.Of(scope.Now, user.Email, AuditAction.Imported, $"session {sessionId}",
                $"{results.Count(r => r.Learner is not null)} added of {rows.Count} rows from {fileName}"));

            // Saved here so the rows carry the new learners' ids; the unit of work commits.
            await scope.Db.SaveChangesAsync(cancellationToken);
            return new ImportLearnersResult(results.Select(r => r.Learner is null ? r.Result : r.Result with { Learner = LearnerRow.From(scope.Session, r.Learner) }).ToList(), true);
        }, cancellationToken);
    }

    private static (ImportRowResult, SessionLearner?) Decide(SessionScope scope, int number, string raw, Dictionary<string, Employee> directory, HashSet<string> seen, bool commit, CurrentUser user)
    {
        string email;
        try
        {
            email = Employee.NormalizeEmail(raw);
        }
        catch (DomainException ex)
        {
            return (new ImportRowResult(number, raw, ImportRowOutcome.InvalidEmail, ex.Message), null);
        }

        if (!seen.Add(email))
        {
            return (new ImportRowResult(number, email, ImportRowOutcome.DuplicateRow, "This email is listed earlier in the file."), null);
        }

        if (!directory.TryGetValue(email, out var employee))
        {
            return (new ImportRowResult(number, email, ImportRowOutcome.UnknownEmail, "No employee has this email."), null);
        }

        if (scope.Session.FindLearner(employee) is { } existing)
        {
            return (new ImportRowResult(number, email, ImportRowOutcome.AlreadyInSession, $"Already in this session ({existing.Status.Display()})."), null);
        }

        var added = scope.Session.AddLearner(employee, user.AsAdmin, scope.Now);
        if (!added.IsDone)
        {
            return (new ImportRowResult(number, email, ImportRowOutcome.Refused, added.Refusal!), null);
        }

        var status = added.Learner!.Status.Display();
        return commit
            ? (new ImportRowResult(number, email, ImportRowOutcome.Added, $"Added as {status}."), added.Learner)
            : (new ImportRowResult(number, email, ImportRowOutcome.WillBeAdded, $"Will be added as {status}."), null);
    }
}
