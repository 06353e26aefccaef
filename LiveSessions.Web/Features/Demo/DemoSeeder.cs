using LiveSessions.Domain;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Demo;

/// <summary>
/// The embedded default's demo: courses, ~40 sessions in every session status, ~2,000 employees with managers,
/// rosters that reach every learner status through the real domain methods, and the four demo accounts.
/// Deterministic (fixed seed) and skipped when data exists.
/// </summary>
public sealed partial class DemoSeeder(
    IDbContextFactory<LiveSessionsDbContext> contextFactory,
    UserManager<AppUser> users,
    TimeProvider clock,
    IConfiguration configuration,
    Email.EmailComposer composer,
    Email.OutboxDispatcher dispatcher,
    ILogger<DemoSeeder> logger)
{
    public const string Password = "Demo!2026";
    public const string AdminEmail = "admin@demo.local";
    public const string TrainerEmail = "trainer@demo.local";
    public const string ApproverEmail = "approver@demo.local";
    public const string LearnerEmail = "learner@demo.local";

    private static readonly string[] Departments =
        ["Sales", "Marketing", "Engineering", "Finance", "Human Resources", "Operations", "Customer Success", "Legal", "Product", "Procurement", "Logistics", "Quality"];

    private static readonly string[] FirstNames =
        ["Ana", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kenji", "Lea", "Mateo", "Nora", "Omar", "Paula", "Quentin", "Rosa", "Samir", "Tara", "Ugo", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Marta", "Lukas", "Sofia", "Noah"];

    private static readonly string[] LastNames =
        ["Martin", "Schmidt", "Rossi", "García", "Dubois", "Novak", "Kowalski", "Nielsen", "Silva", "Popescu", "Ivanova", "Jensen", "Moreau", "Fischer", "Ricci", "López", "Horvat", "Costa", "Weber", "Bianchi", "Andersen", "Lambert", "Petit", "Santos", "Meyer"];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Courses.AnyAsync(cancellationToken) || await db.Employees.AnyAsync(cancellationToken))
        {
            return;
        }

        var random = new Random(2026);
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var admin = Actor.Admin(AdminEmail);
        var showcase = configuration.GetValue<bool?>("LiveSessions:DemoShowcase") ?? true;
        var large = showcase ? configuration.GetValue<int?>("LiveSessions:DemoLargeSessionLearners") ?? 5000 : 0;

        var directory = BuildDirectory(random, Math.Max(2000, large + 800));
        db.Employees.AddRange(directory.All);
        var courses = BuildCourses();
        db.Courses.AddRange(courses);
        await db.SaveChangesAsync(cancellationToken);

        var pool = directory.All.Where(e => !e.Email.EndsWith("@demo.local", StringComparison.Ordinal)).ToList();
        var sessions = new List<LiveSession>();
        for (var i = 0; i < 40; i++)
        {
            var course = courses[i % courses.Count];
            var plan = Plans[i % Plans.Length];
            // Each round of plans spreads three days further out: later for what is to come, earlier for what is over
            // (a Completed session never lands in the coming days).
            var spread = i / Plans.Length * 3;
            var start = today.AddDays(plan.DayOffset < 0 ? plan.DayOffset - spread : plan.DayOffset + spread).AddHours(9 + (i % 3) * 2);
            var details = SessionDetails.FromCourse(course, start, TimeZones[i % TimeZones.Length]) with
            {
                Title = $"{course.Title} — {start:MMM d}",
                Location = course.Type is SessionType.VirtualClass or SessionType.VirtualConference ? $"https://meet.demo.local/{course.Id}-{i}" : $"Room {101 + i % 12}",
                MaxCapacity = plan.Capacity,
                EnableWaitingList = plan.WaitingList,
                RequiresApproval = plan.Approval,
                EnableCalendar = plan.Calendar,
            };
            var trainers = new List<Employee> { i % 3 == 0 ? directory.Trainer : pool[random.Next(pool.Count)] };
            var session = new LiveSession(course, details, trainers);
            BuildRoster(session, plan, pool, directory, random, admin, today);
            session.ClearDomainEvents();
            sessions.Add(session);
        }

        db.Sessions.AddRange(sessions);
        await db.SaveChangesAsync(cancellationToken);
        if (showcase)
        {
            await SeedShowcaseAsync(db, courses, directory, pool, random, now, large, cancellationToken);
        }

        await AccountSetup.EnsureUserAsync(users, AdminEmail, "Alex Admin", Password, Roles.Admin);
        await AccountSetup.EnsureUserAsync(users, TrainerEmail, "Tina Trainer", Password, Roles.Trainer);
        await AccountSetup.EnsureUserAsync(users, ApproverEmail, "Arnold Approver", Password, Roles.Approver);
        await AccountSetup.EnsureUserAsync(users, LearnerEmail, "Lena Learner", Password, Roles.Learner);
        await AccountSetup.EnsureUserAsync(users, NewJoinerEmail, "Nico Newjoiner", Password, Roles.Learner);
        LogSeeded(logger, directory.All.Count, sessions.Count);
    }

    private sealed record Plan(SessionStatus Status, int DayOffset, int Capacity, bool WaitingList, bool Approval, bool Calendar, int Roster);

    private static readonly string[] TimeZones = ["Europe/Paris", "Europe/London", "America/New_York", "UTC", "Asia/Singapore"];

    /// <summary>A mix that yields every session status and every learner status.</summary>
    private static readonly Plan[] Plans =
    [
        new(SessionStatus.Draft, 30, 20, true, false, true, 12),
        new(SessionStatus.Processing, 21, 15, true, false, false, 10),
        new(SessionStatus.Ready, 7, 12, true, false, false, 24),
        new(SessionStatus.Ready, 10, 10, true, true, false, 18),
        new(SessionStatus.Ready, 14, 16, true, false, true, 22),
        new(SessionStatus.Ready, 5, 20, false, false, false, 14),
        new(SessionStatus.Completed, -7, 15, true, false, false, 20),
        new(SessionStatus.Completed, -14, 25, true, false, false, 28),
        new(SessionStatus.Cancelled, 3, 12, true, false, false, 15),
        new(SessionStatus.Ready, 2, 30, true, false, false, 40),
    ];

    private static void BuildRoster(LiveSession session, Plan plan, List<Employee> pool, DemoDirectory directory, Random random, Actor admin, DateTimeOffset today)
    {
        var people = pool.OrderBy(_ => random.Next()).Take(plan.Roster).ToList();
        if (plan.Status is SessionStatus.Ready && random.Next(2) == 0 && session.FindLearner(directory.Learner) is null)
        {
            people.Insert(0, directory.Learner);
        }

        // Registrations happen well before the session; attendance just after its start.
        var before = session.Start.AddDays(-10) < today.AddDays(-30) ? session.Start.AddDays(-10) : Min(today, session.Start.AddDays(-10));
        var third = people.Count / 3;
        foreach (var p in people.Take(third))
        {
            session.AddLearner(p, admin, before);
        }

        if (plan.Status is SessionStatus.Draft or SessionStatus.Processing)
        {
            foreach (var p in people.Skip(third))
            {
                session.AddLearner(p, admin, before);
            }

            if (plan.Status == SessionStatus.Processing)
            {
                session.ChangeStatus(SessionStatus.Processing, admin, before);
            }

            return;
        }

        session.ChangeStatus(SessionStatus.Ready, admin, before);
        var invited = session.Learners.Where(l => l.Status == LearnerStatus.Invited).ToList();
        for (var k = 0; k < invited.Count; k++)
        {
            var learner = invited[k];
            var actor = Actor.Learner(learner.Employee.Email);
            _ = (k % 4) switch
            {
                0 or 1 => session.AcceptInvitation(learner, actor, before.AddHours(k)),
                2 => session.DeclineInvitation(learner, actor, before.AddHours(k)),
                _ => null,
            };
        }

        foreach (var (p, k) in people.Skip(third).Select((p, k) => (p, k)))
        {
            var at = before.AddHours(30 + k);
            var result = session.Register(p, Actor.Learner(p.Email), at);
            if (result.IsDone && result.Learner!.Status == LearnerStatus.NeedsApproval)
            {
                _ = (k % 3) switch
                {
                    0 => session.Approve(result.Learner, Actor.Approver(ApproverEmail), at.AddHours(2)),
                    1 => session.DeclineApproval(result.Learner, "Please take the next session after the quarter closes.", Actor.Approver(ApproverEmail), at.AddHours(2)),
                    _ => null,
                };
            }
        }

        var registered = session.Learners.Where(l => l.Status == LearnerStatus.Registered).ToList();
        if (registered.Count > 2)
        {
            // A cancellation frees a seat and promotes the waiting list (or leaves a seat free).
            session.Cancel(registered[^1], Actor.Learner(registered[^1].Employee.Email), before.AddDays(3));
        }

        switch (plan.Status)
        {
            case SessionStatus.Completed:
                var during = session.Start.AddMinutes(20);
                var seated = session.Learners.Where(l => l.Status == LearnerStatus.Registered).ToList();
                for (var k = 0; k < seated.Count; k++)
                {
                    session.MarkAttendance(seated[k], k % 5 != 4, Actor.Trainer(session.LeadTrainer?.Email ?? TrainerEmail), during);
                }

                var walkIn = pool.FirstOrDefault(p => session.FindLearner(p) is null);
                if (walkIn is not null)
                {
                    session.AddGoShow(walkIn, Actor.Trainer(session.LeadTrainer?.Email ?? TrainerEmail), during);
                }

                session.ChangeStatus(SessionStatus.Completed, admin, session.End.AddHours(1));
                break;
            case SessionStatus.Cancelled:
                session.ChangeStatus(SessionStatus.Cancelled, admin, before.AddDays(4));
                break;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record DemoDirectory(List<Employee> All, Employee Trainer, Employee Learner, ApproverTeam Team, Employee NewJoiner);

    private static DemoDirectory BuildDirectory(Random random, int size)
    {
        var all = new List<Employee>();
        var ceo = new Employee("Morgan Chief", "ceo@acme.example", "Executive");
        all.Add(ceo);
        var heads = new Dictionary<string, Employee>();
        foreach (var department in Departments)
        {
            var head = new Employee($"{Pick(random, FirstNames)} {Pick(random, LastNames)}", $"head.{Key(department)}@acme.example", department, ceo);
            heads[department] = head;
            all.Add(head);
        }

        var approver = new Employee("Arnold Approver", ApproverEmail, "Engineering", heads["Engineering"]);
        var learner = new Employee("Lena Learner", LearnerEmail, "Engineering", approver);
        var trainer = new Employee("Tina Trainer", TrainerEmail, "Human Resources", heads["Human Resources"]);
        var adminEmployee = new Employee("Alex Admin", AdminEmail, "Human Resources", heads["Human Resources"]);
        all.AddRange([approver, learner, trainer, adminEmployee]);

        // Nobody manages the new joiner yet: their requests go to the admins.
        var newJoiner = new Employee("Nico Newjoiner", NewJoinerEmail, "Product");
        all.Add(newJoiner);
        var approverTeam = BuildApproverTeam(approver, all);

        var managers = Departments.ToDictionary(d => d, _ => new List<Employee>());
        managers["Engineering"].Add(approver);
        for (var n = 0; all.Count < size; n++)
        {
            var department = Departments[n % Departments.Length];
            var first = Pick(random, FirstNames);
            var last = Pick(random, LastNames);
            var team = managers[department];
            var isManager = team.Count < 8 && n % 10 == 0;
            var manager = isManager || team.Count == 0 ? heads[department] : team[random.Next(team.Count)];
            var employee = new Employee($"{first} {last}", $"{Key(first)}.{Key(last)}.{n}@acme.example", department, manager);
            if (isManager)
            {
                team.Add(employee);
            }

            all.Add(employee);
        }

        return new DemoDirectory(all, trainer, learner, approverTeam, newJoiner);
    }

    private static List<Course> BuildCourses()
    {
        var leadership = new Course("Leadership Essentials", "Practical leadership for new managers.", SessionType.InClass, TimeSpan.FromHours(6), 16);
        leadership.SetDefaults(true, ApprovalFlow.DirectManager, true, false);
        var security = new Course("Security Awareness", "Phishing, passwords and safe data handling.", SessionType.VirtualClass, TimeSpan.FromHours(2), 30);
        security.SetDefaults(false, ApprovalFlow.DirectManager, true, true);
        var excel = new Course("Advanced Spreadsheets", "Pivot tables, lookups and charts.", SessionType.InClass, TimeSpan.FromHours(4), 12);
        excel.SetDefaults(false, ApprovalFlow.DirectManager, true, false);
        var summit = new Course("Customer Summit", "The yearly conference with our customers.", SessionType.Conference, TimeSpan.FromHours(8), 120);
        summit.SetDefaults(true, ApprovalFlow.HierarchicManager, true, true);
        var onboarding = new Course("New Joiner Onboarding", "Everything a new colleague needs in week one.", SessionType.VirtualConference, TimeSpan.FromHours(3), 40);
        onboarding.SetDefaults(false, ApprovalFlow.DirectManager, false, false);
        return [leadership, security, excel, summit, onboarding];
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Key(string value) =>
        new string(value.ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetterOrDigit).ToArray());

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded: {Employees} employees, {Sessions} sessions")]
    private static partial void LogSeeded(ILogger logger, int employees, int sessions);
}
