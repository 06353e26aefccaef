namespace LiveSessions.Domain;

/// <summary>A learner sent the answers of a form of the session.</summary>
public sealed record FormFilled(int SessionId, SessionLearner Learner, FormKind Kind) : DomainEvent(SessionId);

/// <summary>
/// What submitting a form did: the learner and their normalised answers (<see cref="AnswersRecorded"/> when the form
/// was answered, even with no answer to its optional questions), or a refusal, or field errors.
/// </summary>
public sealed record FormSubmission(SessionLearner? Learner, IReadOnlyList<FormAnswer> Answers, bool AnswersRecorded, string? Refusal, IReadOnlyDictionary<string, string>? Errors, string? Message)
{
    public bool IsDone => Refusal is null && Errors is null;

    public static FormSubmission Done(SessionLearner learner, IReadOnlyList<FormAnswer> answers, string? message) => new(learner, answers, true, null, null, message);

    /// <summary>Registered without answering a form (there is none, or nothing in it is required and none was given).</summary>
    public static FormSubmission RegisteredOnly(SessionLearner learner, string? message) => new(learner, [], false, null, null, message);

    public static FormSubmission Refuse(string reason) => new(null, [], false, reason, null, null);

    public static FormSubmission Invalid(IReadOnlyDictionary<string, string> errors) => new(null, [], false, null, errors, null);
}

/// <summary>Which forms a session has (its own or its course's); with a learner's form dates, the email eligibility context.</summary>
public sealed record SessionForms(bool HasRegistrationForm, bool HasFeedbackForm)
{
    public static SessionForms None { get; } = new(false, false);

    public EmailContext EmailContextFor(SessionLearner learner, bool sessionEnded) => new(
        HasRegistrationForm,
        HasFeedbackForm,
        sessionEnded,
        HasFilledRegistrationForm: learner.RegistrationFormFilledAt is not null,
        FeedbackFormSent: learner.FeedbackFormSentAt is not null,
        FeedbackFormFilled: learner.FeedbackFormFilledAt is not null);
}

public sealed partial class LiveSession
{
    /// <summary>Why <paramref name="learner"/> (null: not in the session yet) cannot fill the form now, or null when they can.</summary>
    public string? WhyCannotFill(SessionLearner? learner, FormKind kind, DateTimeOffset now)
    {
        if (kind == FormKind.Feedback)
        {
            return learner switch
            {
                null => "Only learners of this session can give feedback on it.",
                { Status: not (LearnerStatus.Attended or LearnerStatus.GoShow) } =>
                    $"The feedback form is for learners who attended; you are {learner.Status.Display()}.",
                { FeedbackFormFilledAt: not null } => "You have already sent your feedback. Thank you!",
                _ => null,
            };
        }

        if (learner is null || LearnerStatusMachine.Can(LearnerTrigger.RegistrationCompleted, learner.Status))
        {
            return IsOpenForRegistration(now) ? null
                : Status != SessionStatus.Ready ? $"This session is not open for registration (it is {Status})."
                : "This session has already started; registration is closed.";
        }

        // Already in the flow (seated, waiting or awaiting approval): the form only adds the answers.
        return learner.Status is LearnerStatus.Registered or LearnerStatus.WaitingList or LearnerStatus.NeedsApproval
            ? learner.RegistrationFormFilledAt is null ? null : "You have already answered the registration form."
            : $"You are {learner.Status.Display()} in this session; the registration form is closed.";
    }

    /// <summary>
    /// The registration form sent: the answers are checked first, then the registration flow runs (<see cref="Register"/>)
    /// unless the learner is already in it (Registered, Waiting List, Needs Approval), in which case only the answers
    /// are added. A refusal changes nothing. Without answers (null: the learner registered without seeing a form) this
    /// is <see cref="Register"/>, refused while the form has required questions; without a form any answer is refused.
    /// </summary>
    public FormSubmission SubmitRegistrationForm(Employee employee, FormDefinition? form, IReadOnlyDictionary<string, string>? answers, Actor actor, DateTimeOffset now)
    {
        var learner = FindLearner(employee);
        if (form is null || answers is null)
        {
            if (form is null && answers is { Count: > 0 })
            {
                return FormSubmission.Invalid(new Dictionary<string, string> { ["answers"] = "This session has no registration form, so it takes no answers." });
            }

            // Register's own refusals (closed, already registered) come first: they say more than "answer the form".
            var wouldRegister = (learner is null || LearnerStatusMachine.Can(LearnerTrigger.RegistrationCompleted, learner.Status)) && IsOpenForRegistration(now);
            if (form is not null && wouldRegister && form.Check(null) is { IsValid: false } unanswered)
            {
                return FormSubmission.Invalid(unanswered.Errors);
            }

            var plain = Register(employee, actor, now);
            return plain.IsDone ? FormSubmission.RegisteredOnly(plain.Learner!, plain.Message) : FormSubmission.Refuse(plain.Refusal!);
        }

        RequireKind(form, FormKind.Registration);
        if (WhyCannotFill(learner, FormKind.Registration, now) is { } why)
        {
            return FormSubmission.Refuse(why);
        }

        var check = form.Check(answers);
        if (!check.IsValid)
        {
            return FormSubmission.Invalid(check.Errors);
        }

        string? message = "Your answers are saved.";
        if (learner is null || LearnerStatusMachine.Can(LearnerTrigger.RegistrationCompleted, learner.Status))
        {
            var registered = Register(employee, actor, now);
            if (!registered.IsDone)
            {
                return FormSubmission.Refuse(registered.Refusal!);
            }

            learner = registered.Learner!;
            message = registered.Message;
        }

        learner.FormFilled(FormKind.Registration, now);
        events.Add(new FormFilled(Id, learner, FormKind.Registration));
        return FormSubmission.Done(learner, check.Answers, message);
    }

    /// <summary>The feedback form sent by an Attended or Go Show learner, once; the answers are checked first.</summary>
    public FormSubmission SubmitFeedback(SessionLearner learner, FormDefinition form, IReadOnlyDictionary<string, string>? answers, DateTimeOffset now)
    {
        RequireKind(form, FormKind.Feedback);
        if (WhyCannotFill(learner, FormKind.Feedback, now) is { } why)
        {
            return FormSubmission.Refuse(why);
        }

        var check = form.Check(answers);
        if (!check.IsValid)
        {
            return FormSubmission.Invalid(check.Errors);
        }

        learner.FormFilled(FormKind.Feedback, now);
        events.Add(new FormFilled(Id, learner, FormKind.Feedback));
        return FormSubmission.Done(learner, check.Answers, "Thank you for your feedback.");
    }

    /// <summary>The feedback form was emailed to the learner: from now on the feedback reminder may go to them.</summary>
    public void RecordFeedbackFormSent(SessionLearner learner, DateTimeOffset now)
    {
        if (!learners.Contains(learner))
        {
            throw new DomainException("This learner is not in this session.");
        }

        learner.FeedbackFormSent(now);
    }

    private static void RequireKind(FormDefinition form, FormKind kind)
    {
        if (form.Kind != kind)
        {
            throw new DomainException($"A {form.Kind.Display().ToLowerInvariant()} was given where the {kind.Display().ToLowerInvariant()} is needed.");
        }
    }
}
