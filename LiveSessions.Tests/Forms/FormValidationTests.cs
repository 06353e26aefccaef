using LiveSessions.Domain;

namespace LiveSessions.Tests.Forms;

/// <summary>A form checks a learner's answers field by field and says, in words, what is wrong with each.</summary>
public sealed class FormValidationTests
{
    private readonly FormDefinition form = FormBuild.Form(FormKind.Registration);

    [Fact]
    public void Good_answers_of_every_kind_are_accepted_and_normalised()
    {
        var check = form.Check(FormBuild.GoodAnswers());

        Assert.True(check.IsValid);
        Assert.Equal(
            [("f1", "Forklift driver"), ("f2", "Loading safely"), ("f3", "Vegan"), ("f4", "Laptop\nHeadset"), ("f5", "4"), ("f6", "Yes")],
            check.Answers.Select(a => (a.FieldKey, a.Value)).ToList());
        Assert.Equal("Laptop; Headset", check.Answers.Single(a => a.FieldKey == "f4").Display);
        Assert.Equal("Diet", check.Answers.Single(a => a.FieldKey == "f3").Label);
    }

    [Theory]
    [InlineData("f1", "“Job title” is required.")]
    [InlineData("f3", "“Diet” is required.")]
    [InlineData("f5", "“How useful was it?” is required.")]
    [InlineData("f6", "“Would you recommend it?” is required.")]
    public void A_required_field_left_empty_is_refused_with_its_label(string key, string error)
    {
        foreach (var missing in new[] { null, string.Empty, "   " })
        {
            var check = form.Check(FormBuild.GoodAnswers().With(key, missing));

            Assert.False(check.IsValid);
            Assert.Equal(error, Assert.Single(check.Errors, e => e.Key == key).Value);
            Assert.Single(check.Errors);
            Assert.Empty(check.Answers);
        }
    }

    [Fact]
    public void Optional_fields_may_stay_empty_and_are_not_stored()
    {
        var check = form.Check(FormBuild.GoodAnswers().With("f2", null).With("f4", " "));

        Assert.True(check.IsValid);
        Assert.DoesNotContain(check.Answers, a => a.FieldKey is "f2" or "f4");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("-1")]
    [InlineData("3.5")]
    [InlineData("four")]
    [InlineData("99999999999")]
    public void A_rating_outside_1_to_5_is_refused(string rating)
    {
        var check = form.Check(FormBuild.GoodAnswers().With("f5", rating));

        Assert.Equal("“How useful was it?” must be a whole number from 1 to 5.", Assert.Single(check.Errors).Value);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("5")]
    [InlineData(" 3 ")]
    public void Ratings_from_1_to_5_are_accepted(string rating) =>
        Assert.True(form.Check(FormBuild.GoodAnswers().With("f5", rating)).IsValid);

    [Fact]
    public void A_single_choice_that_is_not_among_the_choices_is_refused()
    {
        var check = form.Check(FormBuild.GoodAnswers().With("f3", "Carnivore"));

        Assert.Equal("“Carnivore” is not one of the choices of “Diet”.", Assert.Single(check.Errors).Value);
    }

    [Fact]
    public void Choices_match_whatever_their_case_and_are_stored_as_the_form_writes_them()
    {
        var check = form.Check(FormBuild.GoodAnswers().With("f3", "vegan").With("f4", "safety SHOES\nlaptop\nLaptop"));

        Assert.True(check.IsValid);
        Assert.Equal("Vegan", check.Answers.Single(a => a.FieldKey == "f3").Value);
        Assert.Equal("Laptop\nSafety shoes", check.Answers.Single(a => a.FieldKey == "f4").Value);
    }

    [Fact]
    public void A_multiple_choice_naming_unknown_choices_is_refused_with_each_of_them()
    {
        var check = form.Check(FormBuild.GoodAnswers().With("f4", "Laptop\nTablet\nPhone"));

        Assert.Equal("“Tablet”, “Phone” are not among the choices of “Equipment”.", Assert.Single(check.Errors).Value);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    [InlineData("oui")]
    public void A_yes_no_answer_other_than_yes_or_no_is_refused(string answer)
    {
        var check = form.Check(FormBuild.GoodAnswers().With("f6", answer));

        Assert.Equal("“Would you recommend it?” must be Yes or No.", Assert.Single(check.Errors).Value);
    }

    [Theory]
    [InlineData("NO", "No")]
    [InlineData("false", "No")]
    [InlineData("True", "Yes")]
    public void Yes_no_answers_are_normalised(string given, string stored) =>
        Assert.Equal(stored, form.Check(FormBuild.GoodAnswers().With("f6", given)).Answers.Single(a => a.FieldKey == "f6").Value);

    [Fact]
    public void Text_longer_than_allowed_is_refused()
    {
        var check = form.Check(FormBuild.GoodAnswers()
            .With("f1", new string('x', FormDefinition.MaxShortText + 1))
            .With("f2", new string('y', FormDefinition.MaxLongText + 1)));

        Assert.Equal("“Job title” must be 200 characters or fewer.", check.Errors["f1"]);
        Assert.Equal("“What do you hope to learn?” must be 4000 characters or fewer.", check.Errors["f2"]);
    }

    [Fact]
    public void Short_text_is_kept_on_one_line_and_long_text_keeps_its_lines()
    {
        var check = form.Check(FormBuild.GoodAnswers().With("f1", "Team\r\nlead").With("f2", "One\r\nTwo"));

        Assert.Equal("Team lead", check.Answers.Single(a => a.FieldKey == "f1").Value);
        Assert.Equal("One\nTwo", check.Answers.Single(a => a.FieldKey == "f2").Value);
    }

    [Fact]
    public void An_answer_to_a_field_the_form_does_not_have_is_refused()
    {
        var check = form.Check(FormBuild.GoodAnswers().With("f99", "hello"));

        Assert.Equal("This form has no field “f99”.", Assert.Single(check.Errors).Value);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var check = form.Check(new Dictionary<string, string> { ["f3"] = "Pizza", ["f5"] = "9" });

        Assert.Equal(["f1", "f3", "f5", "f6"], check.Errors.Keys.Order(StringComparer.Ordinal).ToList());
    }
}

/// <summary>The form builder's rules: labelled questions, real choices, stable field keys.</summary>
public sealed class FormBuilderRulesTests
{
    [Fact]
    public void A_form_needs_at_least_one_field()
    {
        var form = FormDefinition.ForCourse(1, FormKind.Feedback);

        Assert.Equal("Add at least one field.", form.SetFields([])["fields"]);
        Assert.Empty(form.Fields);
    }

    [Fact]
    public void Labels_are_required_and_unique_and_choice_fields_need_two_different_choices()
    {
        var errors = FormDefinition.Validate(
        [
            new(null, FormFieldKind.ShortText, " ", true),
            new(null, FormFieldKind.Rating, "Overall", true),
            new(null, FormFieldKind.YesNo, "overall", true),
            new(null, FormFieldKind.SingleChoice, "Room", true, ["A"]),
            new(null, FormFieldKind.MultipleChoice, "Snacks", false, ["Fruit", "fruit"]),
            new(null, FormFieldKind.SingleChoice, "Seat", false, ["Window", ""]),
            new(null, FormFieldKind.SingleChoice, "Shift", false, null),
        ]);

        Assert.Equal("Field 1 needs a label: the question the learner reads.", errors["fields[0].label"]);
        Assert.Equal("Field 3: another field is already labelled “overall”; labels must differ.", errors["fields[2].label"]);
        Assert.Equal("Field 4: give at least two choices.", errors["fields[3].choices"]);
        Assert.Equal("Field 5: the choice “Fruit” is given twice.", errors["fields[4].choices"]);
        Assert.Equal("Field 6: a choice is empty; write it or remove it.", errors["fields[5].choices"]);
        Assert.Equal("Field 7: give at least two choices.", errors["fields[6].choices"]);
        Assert.Equal(6, errors.Count);
    }

    [Fact]
    public void Saving_refused_fields_changes_nothing()
    {
        var form = FormBuild.Form(FormKind.Feedback);
        var version = form.Version;

        var errors = form.SetFields([new(null, FormFieldKind.Rating, string.Empty, true)]);

        Assert.NotEmpty(errors);
        Assert.Equal(6, form.Fields.Count);
        Assert.Equal(version, form.Version);
    }

    [Fact]
    public void Reordering_keeps_each_field_its_key_and_a_removed_key_is_never_reused()
    {
        var form = FormBuild.Form(FormKind.Feedback);
        var specs = form.Fields.Select(f => f.ToSpec()).ToList();

        // Move the rating to the top, drop the long text, add a new question.
        var reordered = new List<FormFieldSpec> { specs[4], specs[0], specs[2], specs[3], specs[5], new(null, FormFieldKind.ShortText, "Anything else?", false) };
        Assert.Empty(form.SetFields(reordered));

        Assert.Equal(["f5", "f1", "f3", "f4", "f6", "f7"], form.Fields.Select(f => f.Key).ToList());
        Assert.Equal([0, 1, 2, 3, 4, 5], form.Fields.Select(f => f.Order).ToList());
        Assert.Equal("How useful was it?", form.Fields[0].Label);
    }

    [Fact]
    public void Choices_are_dropped_from_fields_that_do_not_offer_choices()
    {
        var form = FormBuild.Form(FormKind.Feedback, new FormFieldSpec(null, FormFieldKind.Rating, "Overall", true, ["stray"]));

        Assert.Empty(form.Fields.Single().Choices);
    }
}
