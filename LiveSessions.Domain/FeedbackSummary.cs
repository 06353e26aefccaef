using System.Globalization;

namespace LiveSessions.Domain;

/// <summary>How many learners gave one answer of a choice, rating or yes/no field.</summary>
public sealed record AnswerCount(string Value, int Count);

/// <summary>One field's answers together: how many answered, the average rating, the counts per answer, the texts.</summary>
public sealed record FieldSummary(string Label, FormFieldKind Kind, int Answered, double? Average, IReadOnlyList<AnswerCount> Counts, IReadOnlyList<string> Texts);

/// <summary>A session's feedback at a glance: responses, and per field of the form its counts and averages.</summary>
public sealed record FeedbackSummary(int Responses, IReadOnlyList<FieldSummary> Fields)
{
    /// <summary>
    /// Summarises <paramref name="responses"/> along the fields of <paramref name="form"/>. Answers are matched by the
    /// field's label (labels are unique within a form), so answers given to the course's form still count for a
    /// session that later got its own copy.
    /// </summary>
    public static FeedbackSummary Of(FormDefinition form, IReadOnlyCollection<FormResponse> responses)
    {
        var fields = new List<FieldSummary>();
        foreach (var field in form.Fields)
        {
            var values = responses.Select(r => r.Answers.FirstOrDefault(a => string.Equals(a.Label, field.Label, StringComparison.OrdinalIgnoreCase)))
                .Where(a => a is not null && a.Value.Length > 0)
                .Select(a => a!.Value)
                .ToList();
            fields.Add(field.Kind switch
            {
                FormFieldKind.Rating => Rating(field, values),
                FormFieldKind.YesNo => Counted(field, values, ["Yes", "No"]),
                FormFieldKind.SingleChoice => Counted(field, values, field.Choices),
                FormFieldKind.MultipleChoice => Counted(field, values.SelectMany(v => v.Split(FormDefinition.ChoiceSeparator)).ToList(), field.Choices, values.Count),
                _ => new FieldSummary(field.Label, field.Kind, values.Count, null, [], values),
            });
        }

        return new FeedbackSummary(responses.Count, fields);
    }

    private static FieldSummary Rating(FormField field, List<string> values)
    {
        var stars = values.Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0).Where(s => s is >= 1 and <= 5).ToList();
        var counts = Enumerable.Range(1, 5).Select(s => new AnswerCount(s.ToString(CultureInfo.InvariantCulture), stars.Count(x => x == s))).ToList();
        return new FieldSummary(field.Label, field.Kind, stars.Count, stars.Count == 0 ? null : Math.Round(stars.Average(), 2), counts, []);
    }

    // Values no longer among the choices (the admin edited them after some answers) are still counted, after the others.
    private static FieldSummary Counted(FormField field, List<string> values, IReadOnlyList<string> choices, int? answered = null)
    {
        var order = choices.Concat(values.Where(v => !choices.Contains(v, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase));
        var counts = order.Select(c => new AnswerCount(c, values.Count(v => string.Equals(v, c, StringComparison.OrdinalIgnoreCase)))).ToList();
        return new FieldSummary(field.Label, field.Kind, answered ?? values.Count, null, counts, []);
    }
}
