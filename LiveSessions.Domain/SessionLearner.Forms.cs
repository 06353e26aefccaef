namespace LiveSessions.Domain;

public sealed partial class SessionLearner
{
    /// <summary>When the learner answered the registration form (null: not yet).</summary>
    public DateTimeOffset? RegistrationFormFilledAt { get; private set; }

    /// <summary>When the feedback form was first emailed to the learner: the reminder goes only to those it was sent to.</summary>
    public DateTimeOffset? FeedbackFormSentAt { get; private set; }

    /// <summary>When the learner sent their feedback (null: not yet).</summary>
    public DateTimeOffset? FeedbackFormFilledAt { get; private set; }

    internal void FormFilled(FormKind kind, DateTimeOffset now)
    {
        if (kind == FormKind.Registration)
        {
            RegistrationFormFilledAt = now;
        }
        else
        {
            FeedbackFormFilledAt = now;
        }

        Version++;
    }

    internal void FeedbackFormSent(DateTimeOffset now)
    {
        FeedbackFormSentAt ??= now;
        Version++;
    }
}
