namespace LiveSessions.Domain;

/// <summary>Every email LiveSessions sends: the seven of the product page, then the automatic ones.</summary>
public enum EmailType
{
    RegistrationForm,
    AttendanceReminder,
    FollowUp,
    FeedbackForm,
    FeedbackFormReminder,
    CustomNotification,
    WaitingLearnersInvitation,
    Invitation,
    ApprovalRequest,
    ApprovalPending,
    ApprovalResult,
    RegistrationConfirmation,
    WaitingListConfirmation,
    CancellationConfirmation,
    CalendarUpdate,
    CalendarCancellation,
}

public static class EmailTypeText
{
    /// <summary>The product's words for an email type ("Waiting Learners Invitation").</summary>
    public static string Display(this EmailType type) => type switch
    {
        EmailType.RegistrationForm => "Registration form",
        EmailType.AttendanceReminder => "Attendance reminder",
        EmailType.FollowUp => "Follow-Up",
        EmailType.FeedbackForm => "Feedback Form",
        EmailType.FeedbackFormReminder => "Feedback Form Reminder",
        EmailType.CustomNotification => "Custom Notification",
        EmailType.WaitingLearnersInvitation => "Waiting Learners Invitation",
        EmailType.Invitation => "Invitation",
        EmailType.ApprovalRequest => "Approval request",
        EmailType.ApprovalPending => "Approval pending",
        EmailType.ApprovalResult => "Approval result",
        EmailType.RegistrationConfirmation => "Registration confirmation",
        EmailType.WaitingListConfirmation => "Waiting List confirmation",
        EmailType.CancellationConfirmation => "Cancellation confirmation",
        EmailType.CalendarUpdate => "Calendar update",
        EmailType.CalendarCancellation => "Calendar cancellation",
        _ => type.ToString(),
    };
}

/// <summary>What the eligibility rules need to know about the session beyond its learners.</summary>
public sealed record EmailContext(bool HasRegistrationForm, bool HasFeedbackForm, bool SessionEnded, bool HasFilledRegistrationForm = false, bool FeedbackFormSent = false, bool FeedbackFormFilled = false);

/// <summary>SPEC.md "Emails": who may receive each type an admin sends by hand, with the reason for everyone else.</summary>
public static class EmailEligibility
{
    /// <summary>The types an admin can send from the learners card or the API.</summary>
    public static IReadOnlyList<EmailType> SendableByHand { get; } =
    [
        EmailType.RegistrationForm, EmailType.AttendanceReminder, EmailType.FollowUp, EmailType.FeedbackForm,
        EmailType.FeedbackFormReminder, EmailType.CustomNotification, EmailType.WaitingLearnersInvitation,
    ];

    /// <summary>Null when the learner may receive the email; otherwise why not, in words for the admin.</summary>
    public static string? WhyNot(EmailType type, LearnerStatus status, EmailContext context) => type switch
    {
        EmailType.RegistrationForm when !context.HasRegistrationForm => "This session has no registration form.",
        EmailType.RegistrationForm when status is not (LearnerStatus.NotInvited or LearnerStatus.Invited or LearnerStatus.Registered) =>
            $"The registration form goes to Not Invited, Invited or Registered learners; this learner is {status.Display()}.",
        EmailType.RegistrationForm when context.HasFilledRegistrationForm => "This learner has already answered the registration form.",
        EmailType.AttendanceReminder when status != LearnerStatus.Registered =>
            $"The attendance reminder goes to Registered learners only; this learner is {status.Display()}.",
        EmailType.FollowUp when status is not (LearnerStatus.Attended or LearnerStatus.GoShow) =>
            $"The follow-up goes to Attended or Go Show learners only; this learner is {status.Display()}.",
        EmailType.FollowUp when !context.SessionEnded => "The follow-up can be sent once the session has ended.",
        EmailType.FeedbackForm or EmailType.FeedbackFormReminder when !context.HasFeedbackForm => "This session has no feedback form.",
        EmailType.FeedbackForm or EmailType.FeedbackFormReminder when status is not (LearnerStatus.Attended or LearnerStatus.GoShow) =>
            $"The feedback form goes to Attended or Go Show learners only; this learner is {status.Display()}.",
        EmailType.FeedbackFormReminder when !context.FeedbackFormSent => "The feedback form has not been sent to this learner yet.",
        EmailType.FeedbackFormReminder when context.FeedbackFormFilled => "This learner has already filled the feedback form.",
        EmailType.WaitingLearnersInvitation when status != LearnerStatus.WaitingList =>
            $"The waiting learners invitation goes to Waiting List learners only; this learner is {status.Display()}.",
        EmailType.CustomNotification => null,
        _ when !SendableByHand.Contains(type) => $"{type} emails are sent automatically, not by hand.",
        _ => null,
    };
}
