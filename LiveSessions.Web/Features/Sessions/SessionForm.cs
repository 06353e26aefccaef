using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Courses;
using LiveSessions.Web.Features.Employees;

namespace LiveSessions.Web.Features.Sessions;

/// <summary>The editable state of the session form; dates and times are in the session's time zone.</summary>
public sealed class SessionForm
{
    public int? CourseId { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public SessionType Type { get; set; }

    public string TimeZone { get; set; } = "UTC";

    public string Location { get; set; } = string.Empty;

    public DateTime? StartDate { get; set; } = DateTime.Today.AddDays(14);

    public TimeSpan? StartTime { get; set; } = TimeSpan.FromHours(9);

    public DateTime? EndDate { get; set; } = DateTime.Today.AddDays(14);

    public TimeSpan? EndTime { get; set; } = TimeSpan.FromHours(12);

    public int MaxCapacity { get; set; } = 20;

    public bool EnableWaitingList { get; set; } = true;

    public bool RequiresApproval { get; set; }

    public ApprovalFlow ApprovalFlow { get; set; }

    public int ApprovalLevels { get; set; } = SessionDetails.DefaultApprovalLevels;

    public bool EnableCalendar { get; set; } = true;

    public List<EmployeeRow> Trainers { get; } = [];

    public bool AutoInviteOnReady { get; set; } = true;

    public bool AutoPromote { get; set; } = true;

    public double HoldHours { get; set; } = 48;

    public bool MarkAbsentAfterEnd { get; set; }

    public bool ReminderEnabled { get; set; } = true;

    public double ReminderHours { get; set; } = 24;

    public bool SendFeedback { get; set; } = true;

    public bool FeedbackReminder { get; set; } = true;

    public double FeedbackReminderDays { get; set; } = 3;

    public void ApplyCourseDefaults(CourseRow course)
    {
        Title = course.Title;
        Description = course.Description;
        Type = course.Type;
        MaxCapacity = course.DefaultCapacity;
        EnableWaitingList = course.DefaultEnableWaitingList;
        RequiresApproval = course.DefaultRequiresApproval;
        ApprovalFlow = course.DefaultApprovalFlow;
        ApprovalLevels = course.DefaultApprovalLevels;
        EnableCalendar = course.DefaultEnableCalendar;
        if (StartDate is { } date && StartTime is { } time)
        {
            var end = date.Date + time + course.DefaultDuration;
            EndDate = end.Date;
            EndTime = end.TimeOfDay;
        }
    }

    public void Load(SessionView s)
    {
        CourseId = s.CourseId;
        Title = s.Title;
        Description = s.Description;
        Type = s.Type;
        TimeZone = s.TimeZone;
        Location = s.Location;
        var start = SessionTime.ToLocal(s.Start, s.TimeZone);
        var end = SessionTime.ToLocal(s.End, s.TimeZone);
        (StartDate, StartTime, EndDate, EndTime) = (start.Date, start.TimeOfDay, end.Date, end.TimeOfDay);
        MaxCapacity = s.MaxCapacity;
        EnableWaitingList = s.EnableWaitingList;
        RequiresApproval = s.RequiresApproval;
        ApprovalFlow = s.ApprovalFlow;
        ApprovalLevels = s.ApprovalLevels;
        EnableCalendar = s.EnableCalendar;
        Trainers.Clear();
        Trainers.AddRange(s.Trainers.Select(t => new EmployeeRow(t.EmployeeId, t.Name, t.Email, string.Empty, null, null)));
        var a = s.Automation;
        AutoInviteOnReady = a.AutoInviteOnReady;
        AutoPromote = a.AutoPromoteWaitingList;
        HoldHours = a.SeatOfferHoldTime.TotalHours;
        MarkAbsentAfterEnd = a.MarkAbsentAfterEnd;
        ReminderEnabled = a.AttendanceReminderEnabled;
        ReminderHours = a.AttendanceReminderBefore.TotalHours;
        SendFeedback = a.SendFeedbackAfterEnd;
        FeedbackReminder = a.FeedbackReminderEnabled;
        FeedbackReminderDays = a.FeedbackReminderAfter.TotalDays;
    }

    public SessionFields ToFields() => new()
    {
        CourseId = CourseId,
        Title = Title,
        Description = Description,
        Type = Type,
        TimeZone = TimeZone,
        Location = Location,
        Start = SessionTime.FromLocal((StartDate ?? DateTime.Today).Date + (StartTime ?? TimeSpan.Zero), TimeZone),
        End = SessionTime.FromLocal((EndDate ?? DateTime.Today).Date + (EndTime ?? TimeSpan.Zero), TimeZone),
        MaxCapacity = MaxCapacity,
        EnableWaitingList = EnableWaitingList,
        RequiresApproval = RequiresApproval,
        ApprovalFlow = ApprovalFlow,
        ApprovalLevels = ApprovalLevels,
        EnableCalendar = EnableCalendar,
        TrainerEmails = Trainers.Select(t => t.Email).ToList(),
        Automation = new AutomationSettings
        {
            AutoInviteOnReady = AutoInviteOnReady,
            AutoPromoteWaitingList = AutoPromote,
            SeatOfferHoldTime = TimeSpan.FromHours(HoldHours),
            MarkAbsentAfterEnd = MarkAbsentAfterEnd,
            AttendanceReminderEnabled = ReminderEnabled,
            AttendanceReminderBefore = TimeSpan.FromHours(ReminderHours),
            SendFeedbackAfterEnd = SendFeedback,
            FeedbackReminderEnabled = FeedbackReminder,
            FeedbackReminderAfter = TimeSpan.FromDays(FeedbackReminderDays),
        },
    };
}
