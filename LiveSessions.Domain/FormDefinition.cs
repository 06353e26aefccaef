using System.Globalization;

namespace LiveSessions.Domain;

/// <summary>The two forms a session can have.</summary>
public enum FormKind
{
    Registration,
    Feedback,
}

/// <summary>What a form field asks for.</summary>
public enum FormFieldKind
{
    ShortText,
    LongText,
    SingleChoice,
    MultipleChoice,
    Rating,
    YesNo,
}

public static class FormText
{
    public static string Display(this FormKind kind) => kind == FormKind.Registration ? "Registration form" : "Feedback form";

    public static string Display(this FormFieldKind kind) => kind switch
    {
        FormFieldKind.ShortText => "Short text",
        FormFieldKind.LongText => "Long text",
        FormFieldKind.SingleChoice => "Single choice",
        FormFieldKind.MultipleChoice => "Multiple choice",
        FormFieldKind.Rating => "Rating 1–5",
        FormFieldKind.YesNo => "Yes / No",
        _ => kind.ToString(),
    };

    public static bool HasChoices(this FormFieldKind kind) => kind is FormFieldKind.SingleChoice or FormFieldKind.MultipleChoice;
}

/// <summary>One field as the admin describes it in the form builder; <see cref="Key"/> is null for a new field.</summary>
public sealed record FormFieldSpec(string? Key, FormFieldKind Kind, string Label, bool Required, IReadOnlyList<string>? Choices = null);

/// <summary>
/// A registration or feedback form: ordered fields an admin builds, belonging to one session or to one course (a
/// session without its own form uses its course's). Checks a learner's answers and says what is wrong, by field.
/// </summary>
public sealed class FormDefinition
{
    public const int MaxFields = 50;
    public const int MaxChoices = 30;
    public const int MaxLabelLength = 200;
    public const int MaxShortText = 200;
    public const int MaxLongText = 4000;

    /// <summary>Separates the chosen values of a multiple-choice answer ("Lunch\nParking").</summary>
    public const char ChoiceSeparator = '\n';

    private readonly List<FormField> fields = [];

    private FormDefinition()
    {
    }

    private FormDefinition(FormKind kind, int? sessionId, int? courseId)
    {
        Kind = kind;
        SessionId = sessionId;
        CourseId = courseId;
    }

    public int Id { get; private set; }

    public FormKind Kind { get; private set; }

    /// <summary>The session that owns this form, or null for a course's form.</summary>
    public int? SessionId { get; private set; }

    /// <summary>The course that owns this form, or null for a session's own form.</summary>
    public int? CourseId { get; private set; }

    /// <summary>Numbers new field keys (f1, f2, …) so a key is never reused within the form, even after a removal.</summary>
    public int LastFieldNumber { get; private set; }

    /// <summary>Bumped on every change; a concurrency token against two admins saving at once.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<FormField> Fields => fields.OrderBy(f => f.Order).ToList();

    public static FormDefinition ForSession(int sessionId, FormKind kind) => new(kind, sessionId, null);

    public static FormDefinition ForCourse(int courseId, FormKind kind) => new(kind, null, courseId);

    /// <summary>
    /// Replaces the fields with <paramref name="specs"/> in their order: a spec with a known key keeps that field
    /// (answers stay attached to it), others get a new key. Returns the problems by field; nothing changes when there are any.
    /// </summary>
    public IReadOnlyDictionary<string, string> SetFields(IReadOnlyList<FormFieldSpec> specs)
    {
        var errors = Validate(specs);
        if (errors.Count > 0)
        {
            return errors;
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        var next = new List<FormField>();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = Clean(specs[i]);
            var existing = spec.Key is { } key && kept.Add(key) ? fields.FirstOrDefault(f => f.Key == key) : null;
            if (existing is null)
            {
                LastFieldNumber++;
                next.Add(new FormField(string.Create(CultureInfo.InvariantCulture, $"f{LastFieldNumber}"), i, spec));
            }
            else
            {
                existing.Update(i, spec);
                next.Add(existing);
            }
        }

        fields.Clear();
        fields.AddRange(next);
        Version++;
        return errors;
    }

    /// <summary>What the builder refuses, keyed "fields" or "fields[i].label" / "fields[i].choices"; empty when valid.</summary>
    public static IReadOnlyDictionary<string, string> Validate(IReadOnlyList<FormFieldSpec> specs)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (specs.Count == 0)
        {
            errors["fields"] = "Add at least one field.";
            return errors;
        }

        if (specs.Count > MaxFields)
        {
            errors["fields"] = $"A form has at most {MaxFields} fields.";
            return errors;
        }

        var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var name = $"Field {i + 1}";
            var label = spec.Label?.Trim() ?? string.Empty;
            if (label.Length == 0)
            {
                errors[$"fields[{i}].label"] = $"{name} needs a label: the question the learner reads.";
            }
            else if (label.Length > MaxLabelLength)
            {
                errors[$"fields[{i}].label"] = $"{name}: the label must be {MaxLabelLength} characters or fewer.";
            }
            else if (!labels.Add(label))
            {
                // Answers are shown and exported under their label: two equal labels could not be told apart.
                errors[$"fields[{i}].label"] = $"{name}: another field is already labelled “{label}”; labels must differ.";
            }

            if (!Enum.IsDefined(spec.Kind))
            {
                errors[$"fields[{i}].kind"] = $"{name}: unknown field kind.";
            }
            else if (spec.Kind.HasChoices() && ChoiceProblem(spec.Choices ?? []) is { } problem)
            {
                errors[$"fields[{i}].choices"] = $"{name}: {problem}";
            }
        }

        return errors;
    }

    /// <summary>
    /// Checks a learner's answers (field key → value; several choices separated by a line break): required fields
    /// answered, ratings 1–5, choices among the field's choices, no unknown field. Answers come back normalised.
    /// </summary>
    public FormCheck Check(IReadOnlyDictionary<string, string>? answers)
    {
        answers ??= new Dictionary<string, string>();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var normalised = new List<FormAnswer>();
        foreach (var key in answers.Keys.Where(k => fields.All(f => f.Key != k)))
        {
            errors[key] = $"This form has no field “{key}”.";
        }

        foreach (var field in Fields)
        {
            answers.TryGetValue(field.Key, out var raw);
            var (value, error) = field.Check(raw);
            if (error is not null)
            {
                errors[field.Key] = error;
            }
            else if (value is not null)
            {
                normalised.Add(new FormAnswer(field, value));
            }
        }

        return new FormCheck(errors, errors.Count == 0 ? normalised : []);
    }

    private static string? ChoiceProblem(IReadOnlyList<string> choices)
    {
        var trimmed = choices.Select(c => c?.Trim() ?? string.Empty).ToList();
        if (trimmed.Count < 2)
        {
            return "give at least two choices.";
        }

        if (trimmed.Count > MaxChoices)
        {
            return $"give at most {MaxChoices} choices.";
        }

        if (trimmed.Any(c => c.Length == 0))
        {
            return "a choice is empty; write it or remove it.";
        }

        if (trimmed.FirstOrDefault(c => c.Length > MaxLabelLength) is { } tooLong)
        {
            return $"the choice “{tooLong[..20]}…” is longer than {MaxLabelLength} characters.";
        }

        if (trimmed.Any(c => c.Contains('\n', StringComparison.Ordinal) || c.Contains('\r', StringComparison.Ordinal)))
        {
            return "a choice must fit on one line.";
        }

        var duplicate = trimmed.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"the choice “{duplicate.Key}” is given twice.";
    }

    private static FormFieldSpec Clean(FormFieldSpec spec) => spec with
    {
        Label = spec.Label.Trim(),
        Choices = spec.Kind.HasChoices() ? spec.Choices!.Select(c => c.Trim()).ToList() : [],
    };
}

/// <summary>One question of a form. Its key (f1, f2, …) is what answers refer to.</summary>
public sealed class FormField
{
    private FormField()
    {
        Key = Label = string.Empty;
        Choices = [];
    }

    internal FormField(string key, int order, FormFieldSpec spec)
        : this()
    {
        Key = key;
        Update(order, spec);
    }

    public int Id { get; private set; }

    public int FormId { get; private set; }

    public string Key { get; private set; }

    public int Order { get; private set; }

    public FormFieldKind Kind { get; private set; }

    public string Label { get; private set; }

    public bool Required { get; private set; }

    /// <summary>The choices of a single- or multiple-choice field, in order; empty for the other kinds.</summary>
    public IReadOnlyList<string> Choices { get; private set; }

    public FormFieldSpec ToSpec() => new(Key, Kind, Label, Required, Choices.ToList());

    internal void Update(int order, FormFieldSpec spec)
    {
        Order = order;
        Kind = spec.Kind;
        Label = spec.Label;
        Required = spec.Required;
        Choices = spec.Kind.HasChoices() ? spec.Choices!.ToList() : [];
    }

    /// <summary>The normalised value (null when unanswered), or why the raw value is refused.</summary>
    internal (string? Value, string? Error) Check(string? raw)
    {
        var text = raw?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return Required ? (null, $"“{Label}” is required.") : (null, null);
        }

        switch (Kind)
        {
            case FormFieldKind.ShortText:
                var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                return line.Length > FormDefinition.MaxShortText
                    ? (null, $"“{Label}” must be {FormDefinition.MaxShortText} characters or fewer.")
                    : (line, null);
            case FormFieldKind.LongText:
                return text.Length > FormDefinition.MaxLongText
                    ? (null, $"“{Label}” must be {FormDefinition.MaxLongText} characters or fewer.")
                    : (text.Replace("\r\n", "\n", StringComparison.Ordinal), null);
            case FormFieldKind.Rating:
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var stars) && stars is >= 1 and <= 5
                    ? (stars.ToString(CultureInfo.InvariantCulture), null)
                    : (null, $"“{Label}” must be a whole number from 1 to 5.");
            case FormFieldKind.YesNo:
                return text.ToUpperInvariant() switch
                {
                    "YES" or "TRUE" => ("Yes", null),
                    "NO" or "FALSE" => ("No", null),
                    _ => (null, $"“{Label}” must be Yes or No."),
                };
            case FormFieldKind.SingleChoice:
                return Choose(text) is { } choice
                    ? (choice, null)
                    : (null, $"“{text}” is not one of the choices of “{Label}”.");
            default:
                var picked = text.Split(FormDefinition.ChoiceSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var unknown = picked.Where(p => Choose(p) is null).ToList();
                if (unknown.Count > 0)
                {
                    return (null, $"{string.Join(", ", unknown.Select(u => $"“{u}”"))} {(unknown.Count == 1 ? "is not one of the choices" : "are not among the choices")} of “{Label}”.");
                }

                // Kept in the form's order, each choice once, whatever order they were sent in.
                var chosen = Choices.Where(c => picked.Any(p => string.Equals(p, c, StringComparison.OrdinalIgnoreCase))).ToList();
                return (string.Join(FormDefinition.ChoiceSeparator, chosen), null);
        }
    }

    private string? Choose(string value) => Choices.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The result of checking answers: field errors in words (by field key), or the normalised answers.</summary>
public sealed record FormCheck(IReadOnlyDictionary<string, string> Errors, IReadOnlyList<FormAnswer> Answers)
{
    public bool IsValid => Errors.Count == 0;
}
