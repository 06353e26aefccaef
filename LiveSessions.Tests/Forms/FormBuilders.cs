using LiveSessions.Domain;

namespace LiveSessions.Tests.Forms;

/// <summary>Forms for tests: one field of every kind, keys f1…f6 in this order.</summary>
internal static class FormBuild
{
    public static FormFieldSpec[] EveryKind { get; } =
    [
        new(null, FormFieldKind.ShortText, "Job title", Required: true),
        new(null, FormFieldKind.LongText, "What do you hope to learn?", Required: false),
        new(null, FormFieldKind.SingleChoice, "Diet", Required: true, ["Vegetarian", "Vegan", "No preference"]),
        new(null, FormFieldKind.MultipleChoice, "Equipment", Required: false, ["Laptop", "Headset", "Safety shoes"]),
        new(null, FormFieldKind.Rating, "How useful was it?", Required: true),
        new(null, FormFieldKind.YesNo, "Would you recommend it?", Required: true),
    ];

    /// <summary>Answers that satisfy <see cref="EveryKind"/>.</summary>
    public static Dictionary<string, string> GoodAnswers() => new()
    {
        ["f1"] = "Forklift driver",
        ["f2"] = "Loading safely",
        ["f3"] = "Vegan",
        ["f4"] = "Headset\nLaptop",
        ["f5"] = "4",
        ["f6"] = "yes",
    };

    public static FormDefinition Form(FormKind kind, params FormFieldSpec[] fields)
    {
        var form = FormDefinition.ForSession(1, kind);
        var errors = form.SetFields(fields.Length == 0 ? EveryKind : fields);
        Assert.Empty(errors);
        return form;
    }

    public static Dictionary<string, string> With(this Dictionary<string, string> answers, string key, string? value)
    {
        if (value is null)
        {
            answers.Remove(key);
        }
        else
        {
            answers[key] = value;
        }

        return answers;
    }
}
