namespace LiveSessions.Domain;

/// <summary>
/// One learner's answers to one form of a session (at most one per learner and kind). Each answer keeps the field's
/// label and kind as they were when answered, so later edits of the form never change what a learner said.
/// </summary>
public sealed class FormResponse
{
    private readonly List<FormAnswer> answers = [];

    private FormResponse()
    {
        SubmittedBy = string.Empty;
    }

    public FormResponse(FormDefinition form, int sessionId, SessionLearner learner, IEnumerable<FormAnswer> given, Actor actor, DateTimeOffset now)
        : this()
    {
        SessionId = sessionId;
        SessionLearnerId = learner.Id;
        Kind = form.Kind;
        Replace(form, given, actor, now);
    }

    public long Id { get; private set; }

    /// <summary>The form answered: the session's own, or its course's.</summary>
    public int FormId { get; private set; }

    public int SessionId { get; private set; }

    public int SessionLearnerId { get; private set; }

    public FormKind Kind { get; private set; }

    public DateTimeOffset SubmittedAt { get; private set; }

    /// <summary>Who sent the answers: the learner (portal or email link) as recorded on status changes.</summary>
    public string SubmittedBy { get; private set; }

    public IReadOnlyList<FormAnswer> Answers => answers.OrderBy(a => a.Order).ToList();

    /// <summary>The answer to the field labelled <paramref name="label"/>, or null.</summary>
    public string? ValueOf(string label) =>
        answers.FirstOrDefault(a => string.Equals(a.Label, label, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>A new submission (a registration after a cancellation, say) replaces the previous answers.</summary>
    public void Replace(FormDefinition form, IEnumerable<FormAnswer> given, Actor actor, DateTimeOffset now)
    {
        if (form.Kind != Kind)
        {
            throw new DomainException($"A {Kind} response cannot hold answers to a {form.Kind} form.");
        }

        FormId = form.Id;
        SubmittedAt = now;
        SubmittedBy = actor.Name;
        answers.Clear();
        answers.AddRange(given);
    }
}

/// <summary>The answer to one field: multiple choices are separated by a line break, ratings are "1"–"5", yes/no "Yes"/"No".</summary>
public sealed class FormAnswer
{
    private FormAnswer()
    {
        FieldKey = Label = Value = string.Empty;
    }

    internal FormAnswer(FormField field, string value)
    {
        FieldKey = field.Key;
        Label = field.Label;
        Kind = field.Kind;
        Order = field.Order;
        Value = value;
    }

    public long Id { get; private set; }

    public long ResponseId { get; private set; }

    public string FieldKey { get; private set; }

    public string Label { get; private set; }

    public FormFieldKind Kind { get; private set; }

    public int Order { get; private set; }

    public string Value { get; private set; }

    /// <summary>The value for reading: multiple choices joined with "; ".</summary>
    public string Display => Kind == FormFieldKind.MultipleChoice ? string.Join("; ", Value.Split(FormDefinition.ChoiceSeparator)) : Value;
}
