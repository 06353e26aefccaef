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

        try
        {
            var rows = new List<(int, Dictionary<string, string>)>();
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

            return rows;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or InvalidOperationException or System.Xml.XmlException)
        {
            return Failure.Invalid("file", $"The file could not be read as {type.Value}: {ex.Message}");
        }
    }
}

/// <summary>
/// Adds learners listed in a file: a preview first (nothing changes), then the same rows committed, each with its
/// result (added, already in the session, unknown email, duplicate row).
/// </summary>
public sealed class ImportLearners(DryRun dryRun)
{
    public async Task<Outcome<ImportLearnersResult>> HandleAsync(int sessionId, Stream file, string fileName, bool commit, CurrentUser user, CancellationToken cancellationToken = default)
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
            foreach (var (number, values) in rows)
            {
                results.Add(Decide(scope, number, values.GetValueOrDefault("email", string.Empty), directory, seen, commit, user));
            }

            if (!commit)
            {
                return new ImportLearnersResult(results.Select(r => r.Result).ToList(), false);
            }

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
