using LiveSessions.Domain;
using LiveSessions.Tests.Domain;

namespace LiveSessions.Tests.Forms;

/// <summary>Submitting a form on the session aggregate: the registration flow with answers, feedback once, refusals that change nothing.</summary>
public sealed class FormSubmissionDomainTests
{
    private readonly FormDefinition registrationForm = FormBuild.Form(FormKind.Registration);
    private readonly FormDefinition feedbackForm = FormBuild.Form(FormKind.Feedback);

    [Fact]
    public void The_registration_form_with_good_answers_registers_the_learner_and_records_the_answers()
    {
        var session = Build.Session().Ready().Build();
        var employee = Build.Employee("Rita Ready");

        var submission = session.SubmitRegistrationForm(employee, registrationForm, FormBuild.GoodAnswers(), Fixed.As(employee), Fixed.Now);

        Assert.True(submission.IsDone);
        var learner = submission.Learner!;
        Assert.Equal(LearnerStatus.Registered, learner.Status);
        Assert.Equal(Fixed.Now, learner.RegistrationFormFilledAt);
        Assert.Equal(6, submission.Answers.Count);
        Assert.Contains(session.DomainEvents, e => e is FormFilled { Kind: FormKind.Registration } f && f.Learner == learner);
        Assert.Contains(session.DomainEvents, e => e is LearnerStatusChanged { Trigger: LearnerTrigger.RegistrationCompleted });
    }

    [Fact]
    public void Bad_answers_are_refused_with_field_errors_and_nobody_is_registered()
    {
        var session = Build.Session().Ready().Build();
        var employee = Build.Employee("Rita Ready");

        var submission = session.SubmitRegistrationForm(employee, registrationForm, FormBuild.GoodAnswers().With("f5", "7").With("f1", null), Fixed.As(employee), Fixed.Now);

        Assert.False(submission.IsDone);
        Assert.Equal(["f1", "f5"], submission.Errors!.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.Empty(session.Learners);
        Assert.Empty(session.DomainEvents);
    }

    [Fact]
    public void The_registration_flow_still_decides_the_status_a_full_session_with_a_waiting_list_puts_them_in_line()
    {
        var session = Build.Session().WithCapacity(1).WithWaitingList().Ready().Build();
        session.SeatLearners(1);
        var employee = Build.Employee("Walt Waiting");

        var submission = session.SubmitRegistrationForm(employee, registrationForm, FormBuild.GoodAnswers(), Fixed.As(employee), Fixed.Now);

        Assert.Equal(LearnerStatus.WaitingList, submission.Learner!.Status);
        Assert.Equal("The session is full, so you joined the waiting list (position 1).", submission.Message);
        Assert.NotNull(submission.Learner.RegistrationFormFilledAt);
    }

    [Fact]
    public void A_full_session_without_a_waiting_list_refuses_and_keeps_no_answers()
    {
        var session = Build.Session().WithCapacity(1).Ready().Build();
        session.SeatLearners(1);
        var employee = Build.Employee("Fred Full");

        var submission = session.SubmitRegistrationForm(employee, registrationForm, FormBuild.GoodAnswers(), Fixed.As(employee), Fixed.Now);

        Assert.StartsWith("This session is full", submission.Refusal, StringComparison.Ordinal);
        Assert.Null(session.FindLearner(employee));
        Assert.Empty(session.DomainEvents);
    }

    [Fact]
    public void A_registered_learner_without_answers_only_adds_them_and_cannot_answer_twice()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Reg Istered", LearnerStatus.Registered);

        var first = session.SubmitRegistrationForm(learner.Employee, registrationForm, FormBuild.GoodAnswers(), Fixed.As(learner.Employee), Fixed.Now);
        Assert.True(first.IsDone);
        Assert.Equal("Your answers are saved.", first.Message);
        Assert.Equal(LearnerStatus.Registered, learner.Status);
        Assert.Single(learner.History, h => h.To == LearnerStatus.Registered);

        var second = session.SubmitRegistrationForm(learner.Employee, registrationForm, FormBuild.GoodAnswers(), Fixed.As(learner.Employee), Fixed.Now);
        Assert.Equal("You have already answered the registration form.", second.Refusal);
    }

    [Fact]
    public void The_registration_form_is_closed_when_the_session_is_not_open()
    {
        var session = Build.Session().Build();
        var employee = Build.Employee("Early Bird");

        Assert.Equal("This session is not open for registration (it is Draft).", session.WhyCannotFill(null, FormKind.Registration, Fixed.Now));
        Assert.Equal("This session is not open for registration (it is Draft).",
            session.SubmitRegistrationForm(employee, registrationForm, FormBuild.GoodAnswers(), Fixed.As(employee), Fixed.Now).Refusal);
    }

    [Fact]
    public void Without_a_form_the_registration_is_the_plain_flow_and_answers_are_refused()
    {
        var session = Build.Session().Ready().Build();
        var employee = Build.Employee("Plain Jane");

        var refused = session.SubmitRegistrationForm(employee, null, new Dictionary<string, string> { ["f1"] = "x" }, Fixed.As(employee), Fixed.Now);
        Assert.Equal("This session has no registration form, so it takes no answers.", refused.Errors!["answers"]);
        Assert.Empty(session.Learners);

        var plain = session.SubmitRegistrationForm(employee, null, null, Fixed.As(employee), Fixed.Now);
        Assert.Equal(LearnerStatus.Registered, plain.Learner!.Status);
        Assert.Null(plain.Learner.RegistrationFormFilledAt);
    }

    [Fact]
    public void Registering_without_answers_is_refused_while_the_form_has_required_questions()
    {
        var session = Build.Session().Ready().Build();
        var employee = Build.Employee("Quick Click");

        var refused = session.SubmitRegistrationForm(employee, registrationForm, null, Fixed.As(employee), Fixed.Now);

        Assert.Equal(["f1", "f3", "f5", "f6"], refused.Errors!.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.Empty(session.Learners);
    }

    [Fact]
    public void Registering_without_answers_to_a_form_of_optional_questions_registers_without_marking_the_form_answered()
    {
        var session = Build.Session().Ready().Build();
        var optional = FormBuild.Form(FormKind.Registration, new FormFieldSpec(null, FormFieldKind.LongText, "Anything we should know?", false));
        var employee = Build.Employee("Quick Click");

        var registered = session.SubmitRegistrationForm(employee, optional, null, Fixed.As(employee), Fixed.Now);

        Assert.Equal(LearnerStatus.Registered, registered.Learner!.Status);
        Assert.False(registered.AnswersRecorded);
        Assert.Null(registered.Learner.RegistrationFormFilledAt);

        var answered = session.SubmitRegistrationForm(employee, optional, new Dictionary<string, string>(), Fixed.As(employee), Fixed.Now);
        Assert.True(answered.AnswersRecorded);
        Assert.Empty(answered.Answers);
        Assert.Equal(Fixed.Now, registered.Learner.RegistrationFormFilledAt);
    }

    [Fact]
    public void Registering_without_answers_to_a_closed_session_says_it_is_closed_rather_than_asking_for_answers()
    {
        var session = Build.Session().Build();
        var employee = Build.Employee("Too Soon");

        var refused = session.SubmitRegistrationForm(employee, registrationForm, null, Fixed.As(employee), Fixed.Now);

        Assert.Equal("This session is not open for registration (it is Draft).", refused.Refusal);
    }

    [Theory]
    [InlineData(LearnerStatus.Attended)]
    [InlineData(LearnerStatus.GoShow)]
    public void Attended_and_Go_Show_learners_give_feedback_once(LearnerStatus status)
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Ann Attended", status);

        var sent = session.SubmitFeedback(learner, feedbackForm, FormBuild.GoodAnswers(), Fixed.Now);
        Assert.True(sent.IsDone);
        Assert.Equal(Fixed.Now, learner.FeedbackFormFilledAt);
        Assert.Contains(session.DomainEvents, e => e is FormFilled { Kind: FormKind.Feedback });

        var again = session.SubmitFeedback(learner, feedbackForm, FormBuild.GoodAnswers(), Fixed.Now);
        Assert.Equal("You have already sent your feedback. Thank you!", again.Refusal);
    }

    [Theory]
    [InlineData(LearnerStatus.Registered)]
    [InlineData(LearnerStatus.Absent)]
    [InlineData(LearnerStatus.Cancelled)]
    [InlineData(LearnerStatus.WaitingList)]
    public void Learners_who_did_not_attend_cannot_give_feedback(LearnerStatus status)
    {
        var session = Build.Session().WithWaitingList().WithCapacity(1).Ready().Build();
        if (status == LearnerStatus.WaitingList)
        {
            session.SeatLearners(1);
        }

        var learner = status == LearnerStatus.WaitingList ? session.Waiting("Nat Attended") : session.Put("Nat Attended", status);

        var refused = session.SubmitFeedback(learner, feedbackForm, FormBuild.GoodAnswers(), Fixed.Now);

        Assert.Equal($"The feedback form is for learners who attended; you are {status.Display()}.", refused.Refusal);
        Assert.Null(learner.FeedbackFormFilledAt);
    }

    [Fact]
    public void Feedback_with_bad_values_is_refused_with_field_errors_and_is_not_marked_filled()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Ann Attended", LearnerStatus.Attended);

        var refused = session.SubmitFeedback(learner, feedbackForm, FormBuild.GoodAnswers().With("f5", "0").With("f3", "Fish"), Fixed.Now);

        Assert.Equal(2, refused.Errors!.Count);
        Assert.Null(learner.FeedbackFormFilledAt);
        Assert.Empty(session.DomainEvents);
    }

    [Fact]
    public void A_form_of_the_other_kind_is_a_programming_error()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Ann Attended", LearnerStatus.Attended);

        Assert.Throws<DomainException>(() => session.SubmitFeedback(learner, registrationForm, FormBuild.GoodAnswers(), Fixed.Now));
    }

    [Fact]
    public void The_first_time_the_feedback_form_was_sent_is_kept()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Ann Attended", LearnerStatus.Attended);

        session.RecordFeedbackFormSent(learner, Fixed.Now);
        session.RecordFeedbackFormSent(learner, Fixed.Now.AddDays(2));

        Assert.Equal(Fixed.Now, learner.FeedbackFormSentAt);
    }
}

/// <summary>SPEC.md "Emails": the feedback form reminder goes only to Attended/Go Show learners who were sent the form and have not filled it.</summary>
public sealed class FeedbackReminderEligibilityTests
{
    public static TheoryData<LearnerStatus, bool, bool, bool> Cases()
    {
        var data = new TheoryData<LearnerStatus, bool, bool, bool>();
        foreach (var status in Enum.GetValues<LearnerStatus>())
        {
            foreach (var sent in new[] { false, true })
            {
                foreach (var filled in new[] { false, true })
                {
                    data.Add(status, sent, filled, status is LearnerStatus.Attended or LearnerStatus.GoShow && sent && !filled);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_reminder_goes_only_to_attendees_sent_the_form_who_have_not_filled_it(LearnerStatus status, bool sent, bool filled, bool eligible)
    {
        var session = Build.Session().WithWaitingList().Ready().Build();
        var learner = session.Put("Fay Feedback", LearnerStatus.Attended);
        var form = FormBuild.Form(FormKind.Feedback);
        if (sent)
        {
            session.RecordFeedbackFormSent(learner, Fixed.Now);
        }

        if (filled)
        {
            Assert.True(session.SubmitFeedback(learner, form, FormBuild.GoodAnswers(), Fixed.Now).IsDone);
        }

        if (status != LearnerStatus.Attended)
        {
            session.ChangeLearnerStatus(learner, status, "setup", overbook: true, Fixed.Admin, Fixed.Now).MustBeDone();
        }

        var context = new SessionForms(HasRegistrationForm: false, HasFeedbackForm: true).EmailContextFor(learner, sessionEnded: true);
        var whyNot = EmailEligibility.WhyNot(EmailType.FeedbackFormReminder, status, context);

        Assert.Equal(eligible, whyNot is null);
        if (!eligible)
        {
            Assert.Equal(
                status is not (LearnerStatus.Attended or LearnerStatus.GoShow) ? $"The feedback form goes to Attended or Go Show learners only; this learner is {status.Display()}."
                : !sent ? "The feedback form has not been sent to this learner yet."
                : "This learner has already filled the feedback form.",
                whyNot);
        }
    }

    [Fact]
    public void Without_a_feedback_form_neither_the_form_nor_the_reminder_can_be_sent()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Fay Feedback", LearnerStatus.Attended);
        var context = SessionForms.None.EmailContextFor(learner, sessionEnded: true);

        Assert.Equal("This session has no feedback form.", EmailEligibility.WhyNot(EmailType.FeedbackForm, learner.Status, context));
        Assert.Equal("This session has no feedback form.", EmailEligibility.WhyNot(EmailType.FeedbackFormReminder, learner.Status, context));
    }

    [Fact]
    public void The_registration_form_goes_only_to_learners_who_have_not_answered_it()
    {
        var session = Build.Session().Ready().Build();
        var learner = session.Put("Reg Istered", LearnerStatus.Registered);
        var forms = new SessionForms(HasRegistrationForm: true, HasFeedbackForm: false);
        Assert.Null(EmailEligibility.WhyNot(EmailType.RegistrationForm, learner.Status, forms.EmailContextFor(learner, false)));

        session.SubmitRegistrationForm(learner.Employee, FormBuild.Form(FormKind.Registration), FormBuild.GoodAnswers(), Fixed.As(learner.Employee), Fixed.Now);

        Assert.Equal("This learner has already answered the registration form.", EmailEligibility.WhyNot(EmailType.RegistrationForm, learner.Status, forms.EmailContextFor(learner, false)));
    }
}

/// <summary>The feedback summary: counts, averages and the answers of each field.</summary>
public sealed class FeedbackSummaryTests
{
    [Fact]
    public void Ratings_are_averaged_and_choices_counted_per_field()
    {
        var session = Build.Session().Ready().Build();
        var form = FormBuild.Form(FormKind.Feedback);
        var answers = new[]
        {
            FormBuild.GoodAnswers().With("f5", "5").With("f3", "Vegan").With("f4", "Laptop"),
            FormBuild.GoodAnswers().With("f5", "4").With("f3", "vegan").With("f6", "no").With("f2", null),
            FormBuild.GoodAnswers().With("f5", "2").With("f3", "No preference").With("f4", "Laptop\nHeadset"),
        };
        var responses = answers.Select((a, i) =>
        {
            var learner = session.Put($"Learner {i}", LearnerStatus.Attended);
            var sent = session.SubmitFeedback(learner, form, a, Fixed.Now);
            return new FormResponse(form, session.Id, learner, sent.Answers, Fixed.Admin, Fixed.Now);
        }).ToList();

        var summary = FeedbackSummary.Of(form, responses);

        Assert.Equal(3, summary.Responses);
        var rating = summary.Fields.Single(f => f.Kind == FormFieldKind.Rating);
        Assert.Equal((3, 3.67), (rating.Answered, rating.Average!.Value));
        Assert.Equal([0, 1, 0, 1, 1], rating.Counts.Select(c => c.Count).ToList());
        Assert.Equal([("Vegetarian", 0), ("Vegan", 2), ("No preference", 1)], summary.Fields.Single(f => f.Label == "Diet").Counts.Select(c => (c.Value, c.Count)).ToList());
        Assert.Equal([("Laptop", 3), ("Headset", 2), ("Safety shoes", 0)], summary.Fields.Single(f => f.Label == "Equipment").Counts.Select(c => (c.Value, c.Count)).ToList());
        Assert.Equal([("Yes", 2), ("No", 1)], summary.Fields.Single(f => f.Kind == FormFieldKind.YesNo).Counts.Select(c => (c.Value, c.Count)).ToList());
        Assert.Equal(["Loading safely", "Loading safely"], summary.Fields.Single(f => f.Kind == FormFieldKind.LongText).Texts);
    }

    [Fact]
    public void A_form_without_answers_summarises_to_zeros()
    {
        var summary = FeedbackSummary.Of(FormBuild.Form(FormKind.Feedback), []);

        Assert.Equal(0, summary.Responses);
        Assert.All(summary.Fields, f => Assert.Equal(0, f.Answered));
        Assert.Null(summary.Fields.Single(f => f.Kind == FormFieldKind.Rating).Average);
    }
}
