using LiveSessions.Domain;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Demo;

/// <summary>
/// What a newcomer's first start shows besides the bulk of the demo: each demo account has something to do, and
/// every feature has data to show (<c>LiveSessions:DemoShowcase</c>, on by default).
/// </summary>
public sealed partial class DemoSeeder
{
    public const string NewJoinerEmail = "newjoiner@demo.local";

    /// <summary>The demo's approver manages a team; one of them leads a team too (the hierarchic path, two levels up).</summary>
    private sealed record ApproverTeam(List<Employee> Reports, List<Employee> ReportsOfReports);

    private static ApproverTeam BuildApproverTeam(Employee approver, List<Employee> all)
    {
        string[] reports = ["Iris Kowalski", "Tom Becker", "Maya Fontaine", "Leo Marchetti"];
        string[] grand = ["Ada Lindqvist", "Kofi Mensah", "Yara Haddad"];
        var team = reports.Select(n => new Employee(n, $"{Key(n.Split(' ')[0])}.{Key(n.Split(' ')[1])}@acme.example", "Engineering", approver)).ToList();
        var lead = team[0];
        var teamOfLead = grand.Select(n => new Employee(n, $"{Key(n.Split(' ')[0])}.{Key(n.Split(' ')[1])}@acme.example", "Engineering", lead)).ToList();
        all.AddRange(team);
        all.AddRange(teamOfLead);
        return new ApproverTeam(team, teamOfLead);
    }

    private async Task SeedShowcaseAsync(LiveSessionsDbContext db, List<Course> courses, DemoDirectory directory, List<Employee> pool, Random random, DateTimeOffset now, int large, CancellationToken cancellationToken)
    {
        var admin = Actor.Admin(AdminEmail);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var (leadership, security, excel, summit, onboarding) = (courses[0], courses[1], courses[2], courses[3], courses[4]);
        var fresh = pool.Skip(600).ToList();
        var next = 0;
        List<Employee> Take(int count)
        {
            var taken = fresh.Skip(next).Take(count).ToList();
            next += count;
            return taken;
        }

        // Forms with questions, on courses the demo's sessions use: Customer Summit asks at registration, Security
        // Awareness asks for feedback afterwards.
        var registrationForm = FormDefinition.ForCourse(summit.Id, FormKind.Registration);
        registrationForm.SetFields(
        [
            new FormFieldSpec(null, FormFieldKind.SingleChoice, "Which track will you follow?", true, ["Product roadmap", "Customer stories", "Hands-on labs"]),
            new FormFieldSpec(null, FormFieldKind.YesNo, "Do you need a hotel room?", true),
            new FormFieldSpec(null, FormFieldKind.LongText, "Dietary needs or anything else we should know", false),
        ]);
        var feedbackForm = FormDefinition.ForCourse(security.Id, FormKind.Feedback);
        feedbackForm.SetFields(
        [
            new FormFieldSpec(null, FormFieldKind.Rating, "How useful was the session?", true),
            new FormFieldSpec(null, FormFieldKind.YesNo, "Would you recommend it to a colleague?", true),
            new FormFieldSpec(null, FormFieldKind.LongText, "What should we change?", false),
        ]);
        db.Forms.AddRange(registrationForm, feedbackForm);
        await db.SaveChangesAsync(cancellationToken);

        // Registrations on a calendar session wait for the invitation's answer; the showcase's seats are taken at once
        // except on the Customer Summit, which shows that path.
        LiveSession NewSession(Course course, string title, DateTimeOffset start, int capacity, Employee trainer, bool calendar = false)
        {
            var details = SessionDetails.FromCourse(course, start, "Europe/Paris") with
            {
                Title = title,
                EnableCalendar = calendar,
                Location = (course.Type is SessionType.VirtualClass or SessionType.VirtualConference ? $"https://meet.demo.local/{Key(title)}" : "Room 204"),
                MaxCapacity = capacity,
            };
            return new LiveSession(course, details, [trainer]);
        }

        var sessions = new List<LiveSession>();

        // The trainer's day: one session on now (attendance to take), one tomorrow morning.
        var onNow = NewSession(excel, "Advanced Spreadsheets — today", RoundDown(now).AddMinutes(-30), 16, directory.Trainer);
        var tomorrow = NewSession(security, "Security Awareness — tomorrow", today.AddDays(1).AddHours(8), 14, directory.Trainer);
        foreach (var (session, people) in new[] { (onNow, Take(12)), (tomorrow, Take(10)) })
        {
            session.ChangeStatus(SessionStatus.Ready, admin, now.AddDays(-10));
            foreach (var p in people)
            {
                session.Register(p, Actor.Learner(p.Email), now.AddDays(-9));
            }

            sessions.Add(session);
        }

        // Requests for the demo approver: direct reports (Direct Manager) and their lead's team (Hierarchic Manager,
        // two levels up). The new joiner has no manager: their request goes to the admins, flagged.
        var direct = NewSession(leadership, "Leadership Essentials — approvals", today.AddDays(12).AddHours(9), 16, directory.Trainer);
        var hierarchic = NewSession(summit, "Customer Summit — approvals", today.AddDays(20).AddHours(9), 120, pool[0], calendar: true);
        direct.ChangeStatus(SessionStatus.Ready, admin, now.AddDays(-5));
        hierarchic.ChangeStatus(SessionStatus.Ready, admin, now.AddDays(-5));
        foreach (var p in directory.Team.Reports.Skip(1).Append(directory.NewJoiner))
        {
            direct.Register(p, Actor.Learner(p.Email), now.AddDays(-2));
        }

        var summitAnswers = new List<(SessionLearner Learner, IReadOnlyList<FormAnswer> Answers, DateTimeOffset At)>();
        foreach (var p in directory.Team.ReportsOfReports)
        {
            var submitted = hierarchic.SubmitRegistrationForm(p, registrationForm, Answers(registrationForm, random), Actor.Learner(p.Email), now.AddDays(-1));
            if (submitted is { AnswersRecorded: true, Learner: { } asked })
            {
                summitAnswers.Add((asked, submitted.Answers, now.AddDays(-1)));
            }
        }

        // Answers to the registration form from people already registered (the summary page has something to show).
        foreach (var p in Take(9))
        {
            var submitted = hierarchic.SubmitRegistrationForm(p, registrationForm, Answers(registrationForm, random), Actor.Learner(p.Email), now.AddDays(-3));
            if (submitted is { AnswersRecorded: true, Learner: { } asked })
            {
                summitAnswers.Add((asked, submitted.Answers, now.AddDays(-3)));
                if (asked.Status == LearnerStatus.NeedsApproval)
                {
                    hierarchic.Approve(asked, Actor.Approver(ApproverEmail), now.AddDays(-3).AddHours(4));
                }

                // Approved on a calendar session: the seat is held until they accept the invitation; most have.
                if (asked.Status == LearnerStatus.Invited && summitAnswers.Count % 4 != 0)
                {
                    hierarchic.AcceptInvitation(asked, Actor.Learner(p.Email), now.AddDays(-2));
                }
            }
        }

        sessions.AddRange([direct, hierarchic]);

        // A full session with a waiting list long enough to raise the demand alert, and a seat offer waiting for the
        // demo learner: a registered learner cancelled, so the head of the line (the learner) is offered the seat.
        var full = NewSession(security, "Security Awareness — full", today.AddDays(6).AddHours(14), 20, directory.Trainer);
        full.ChangeStatus(SessionStatus.Ready, admin, now.AddDays(-8));
        var crowd = Take(20);
        foreach (var p in crowd)
        {
            full.Register(p, Actor.Learner(p.Email), now.AddDays(-8));
        }

        full.Register(directory.Learner, Actor.Learner(directory.Learner.Email), now.AddDays(-7));
        foreach (var p in Take(8))
        {
            full.Register(p, Actor.Learner(p.Email), now.AddDays(-6));
        }

        full.Cancel(full.FindLearner(crowd[0])!, Actor.Learner(crowd[0].Email), now.AddHours(-3));
        sessions.Add(full);

        // A completed Security Awareness session with feedback answered by most of those who came.
        var past = NewSession(security, "Security Awareness — last week", today.AddDays(-6).AddHours(10), 20, directory.Trainer);
        past.ChangeStatus(SessionStatus.Ready, admin, today.AddDays(-20));
        foreach (var p in Take(16))
        {
            past.Register(p, Actor.Learner(p.Email), today.AddDays(-19));
        }

        var seated = past.Learners.Where(l => l.Status == LearnerStatus.Registered).ToList();
        for (var k = 0; k < seated.Count; k++)
        {
            past.MarkAttendance(seated[k], k % 6 != 5, Actor.Trainer(TrainerEmail), past.Start.AddMinutes(10));
        }

        past.ChangeStatus(SessionStatus.Completed, admin, past.End.AddHours(1));
        sessions.Add(past);

        // A big roster: thousands of learners on one session.
        if (large > 0)
        {
            var everyone = NewSession(onboarding, "Company-wide Onboarding Day", today.AddDays(25).AddHours(9), large + 500, directory.Trainer);
            var big = BigPool(pool, large, random);
            foreach (var p in big)
            {
                everyone.AddLearner(p, admin, now.AddDays(-4));
            }

            everyone.ChangeStatus(SessionStatus.Ready, admin, now.AddDays(-3));
            foreach (var p in big.Take(large * 3 / 5))
            {
                everyone.Register(p, Actor.Learner(p.Email), now.AddDays(-2));
            }

            sessions.Add(everyone);
        }

        foreach (var session in sessions)
        {
            session.ClearDomainEvents();
        }

        db.Sessions.AddRange(sessions);
        await db.SaveChangesAsync(cancellationToken);

        // Feedback answers, once the learners have ids.
        foreach (var learner in past.Learners.Where(l => l.Status == LearnerStatus.Attended).Take(11))
        {
            past.RecordFeedbackFormSent(learner, past.End.AddHours(2));
            var submitted = past.SubmitFeedback(learner, feedbackForm, Answers(feedbackForm, random), past.End.AddDays(1));
            if (submitted.AnswersRecorded)
            {
                db.FormResponses.Add(new FormResponse(feedbackForm, past.Id, learner, submitted.Answers, Actor.Learner(learner.Employee.Email), past.End.AddDays(1)));
            }
        }

        foreach (var (learner, answers, at) in summitAnswers)
        {
            db.FormResponses.Add(new FormResponse(registrationForm, hierarchic.Id, learner, answers, Actor.Learner(learner.Employee.Email), at));
        }

        past.ClearDomainEvents();
        hierarchic.ClearDomainEvents();
        await db.SaveChangesAsync(cancellationToken);

        await SeedMailboxAsync(db, hierarchic, full, past, onNow, now, directory, cancellationToken);
    }

    /// <summary>One email of every type, as the app would have sent them, for the Mailbox (kept there without SMTP).</summary>
    private async Task SeedMailboxAsync(LiveSessionsDbContext db, LiveSession summit, LiveSession full, LiveSession past, LiveSession onNow, DateTimeOffset now, DemoDirectory directory, CancellationToken cancellationToken)
    {
        SessionLearner In(LiveSession session, Func<SessionLearner, bool> match) => session.Learners.FirstOrDefault(match)
            ?? throw new InvalidOperationException($"The demo's {session.Title} lacks a learner it needs: {string.Join(", ", session.Learners.GroupBy(l => l.Status).Select(g => $"{g.Key} {g.Count()}"))}.");
        var approver = directory.All.First(e => e.Email == ApproverEmail);
        var pending = In(summit, l => l.Status == LearnerStatus.NeedsApproval);
        var seatedAtSummit = In(summit, l => l.Status == LearnerStatus.Registered);
        var offered = In(full, l => l.Employee.Email == LearnerEmail);
        var waiting = In(full, l => l.Status == LearnerStatus.WaitingList);
        var cancelled = In(full, l => l.Status == LearnerStatus.Cancelled);
        var attended = In(past, l => l.Status == LearnerStatus.Attended);
        var seatedNow = In(onNow, l => l.Status == LearnerStatus.Registered);
        (LiveSession Session, SessionLearner Learner, EmailType Type, EmailExtras? Extras)[] mails =
        [
            (summit, seatedAtSummit, EmailType.Invitation, null),
            (full, offered, EmailType.WaitingLearnersInvitation, null),
            (summit, pending, EmailType.ApprovalRequest, new EmailExtras(Recipient: approver)),
            (summit, pending, EmailType.ApprovalPending, null),
            (summit, seatedAtSummit, EmailType.ApprovalResult, null),
            (summit, seatedAtSummit, EmailType.RegistrationConfirmation, null),
            (full, waiting, EmailType.WaitingListConfirmation, null),
            (full, cancelled, EmailType.CancellationConfirmation, null),
            (summit, seatedAtSummit, EmailType.CalendarUpdate, null),
            (summit, seatedAtSummit, EmailType.CalendarCancellation, null),
            (summit, seatedAtSummit, EmailType.RegistrationForm, null),
            (onNow, seatedNow, EmailType.AttendanceReminder, null),
            (past, attended, EmailType.FollowUp, null),
            (past, attended, EmailType.FeedbackForm, null),
            (past, attended, EmailType.FeedbackFormReminder, null),
            (onNow, seatedNow, EmailType.CustomNotification, new EmailExtras(Subject: "Room change: we moved to Room 204", Body: "Same time, one floor up.\n\nCoffee is on us.")),
        ];

        var rows = mails.Select((m, i) => composer.Compose(db, m.Session, m.Learner, m.Type, $"demo:{m.Type}:{m.Session.Id}:{m.Learner.Id}", now.AddMinutes(i - mails.Length), m.Extras)).ToList();
        db.Outbox.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        dispatcher.Enqueue(rows.Select(r => r.Id));
    }

    private static DateTimeOffset RoundDown(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, at.Offset);

    /// <summary>Everyone in the directory but the demo's own people, as many as asked.</summary>
    private static List<Employee> BigPool(List<Employee> pool, int count, Random random) =>
        pool.Where(e => !e.Email.EndsWith("@demo.local", StringComparison.Ordinal)).OrderBy(_ => random.Next()).Take(count).ToList();

    private static Dictionary<string, string> Answers(FormDefinition form, Random random) =>
        form.Fields.Select(f => (f.Key, Value: f.Kind switch
        {
            FormFieldKind.SingleChoice => f.Choices[random.Next(f.Choices.Count)],
            FormFieldKind.YesNo => random.Next(3) == 0 ? "No" : "Yes",
            FormFieldKind.Rating => (3 + random.Next(3)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => random.Next(2) == 0 ? string.Empty : Pick(random, Comments),
        })).Where(a => a.Value.Length > 0).ToDictionary(a => a.Key, a => a.Value);

    private static readonly string[] Comments =
    [
        "Vegetarian, please.",
        "More time for the exercises.",
        "The examples from our own tools helped most.",
        "Could we get the slides afterwards?",
        "Arriving the evening before.",
    ];
}
