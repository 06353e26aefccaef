using LiveSessions.Domain;
using LiveSessions.Web.Features.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LiveSessions.Web.Persistence;

/// <summary>A person who can sign in; linked to the employee directory by email.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;
}

/// <summary>
/// The one database of the app: the directory, sessions, rosters, history and accounts. This type serves SQLite and
/// owns the SQLite migrations; <see cref="PostgreSqlDbContext"/> is the same model on PostgreSQL with its own.
/// </summary>
public class LiveSessionsDbContext(DbContextOptions<LiveSessionsDbContext> options)
    : IdentityDbContext<AppUser>(options), Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    /// <summary>The keys that sign cookies, bearer tokens and email links, shared by every node on PostgreSQL.</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    public DbSet<Course> Courses => Set<Course>();

    public DbSet<Employee> Employees => Set<Employee>();

    public DbSet<LiveSession> Sessions => Set<LiveSession>();

    public DbSet<SessionLearner> Learners => Set<SessionLearner>();

    public DbSet<SessionTrainer> Trainers => Set<SessionTrainer>();

    public DbSet<StatusChange> StatusChanges => Set<StatusChange>();

    public DbSet<OutboxEmail> Outbox => Set<OutboxEmail>();

    public DbSet<EmailLink> EmailLinks => Set<EmailLink>();

    public DbSet<CalendarReply> CalendarReplies => Set<CalendarReply>();

    public DbSet<FormDefinition> Forms => Set<FormDefinition>();

    public DbSet<FormResponse> FormResponses => Set<FormResponse>();

    public DbSet<Features.Automation.AutomationPlan> AutomationPlans => Set<Features.Automation.AutomationPlan>();

    public DbSet<Features.Live.ChangeFeedEntry> ChangeFeed => Set<Features.Live.ChangeFeedEntry>();

    public DbSet<Features.Live.FeedCursor> FeedCursors => Set<Features.Live.FeedCursor>();

    public DbSet<Features.Operations.AuditEntry> AuditEntries => Set<Features.Operations.AuditEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            // SQLite has no date type: store UTC ticks so filters and ordering run in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<TimeSpan>().HaveConversion<TimeSpanToTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Employee>(e =>
        {
            e.ToTable("Employees");
            e.Property(x => x.Name).HasMaxLength(200).IsRequired();
            e.Property(x => x.Email).HasMaxLength(320).IsRequired();
            e.Property(x => x.Department).HasMaxLength(200);
            e.HasIndex(x => x.Email).IsUnique();
            e.HasIndex(x => x.Department);
            e.HasOne(x => x.Manager).WithMany().HasForeignKey(x => x.ManagerId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Course>(c =>
        {
            c.ToTable("Courses");
            c.Property(x => x.Title).HasMaxLength(200).IsRequired();
            c.Property(x => x.Type).HasConversion<string>().HasMaxLength(40);
            c.Property(x => x.DefaultApprovalFlow).HasConversion<string>().HasMaxLength(40);
            c.ComplexProperty(x => x.DefaultAutomation);
        });

        builder.Entity<LiveSession>(s =>
        {
            s.ToTable("Sessions");
            s.Property(x => x.Title).HasMaxLength(200).IsRequired();
            s.Property(x => x.TimeZone).HasMaxLength(100);
            s.Property(x => x.Location).HasMaxLength(500);
            s.Property(x => x.Type).HasConversion<string>().HasMaxLength(40);
            s.Property(x => x.Status).HasConversion<string>().HasMaxLength(40);
            s.Property(x => x.ApprovalFlow).HasConversion<string>().HasMaxLength(40);
            s.Property(x => x.Version).IsConcurrencyToken();
            s.ComplexProperty(x => x.Automation);
            s.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Restrict);
            s.HasMany(x => x.Learners).WithOne(x => x.Session).HasForeignKey(x => x.SessionId);
            s.HasMany(x => x.Trainers).WithOne(x => x.Session).HasForeignKey(x => x.SessionId);
            s.Navigation(x => x.Learners).UsePropertyAccessMode(PropertyAccessMode.Field);
            s.Navigation(x => x.Trainers).UsePropertyAccessMode(PropertyAccessMode.Field);
            s.Ignore(x => x.DomainEvents);
            s.Ignore(x => x.LeadTrainer);
            s.Ignore(x => x.WaitingList);
            s.HasIndex(x => x.Start);
            s.HasIndex(x => x.Status);
        });

        builder.Entity<SessionTrainer>(t =>
        {
            t.ToTable("SessionTrainers");
            t.HasKey(x => new { x.SessionId, x.EmployeeId });
            t.HasOne(x => x.Employee).WithMany().HasForeignKey(x => x.EmployeeId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SessionLearner>(l =>
        {
            l.ToTable("SessionLearners");
            l.Property(x => x.Status).HasConversion<string>().HasMaxLength(40);
            l.HasIndex(x => new { x.SessionId, x.EmployeeId }).IsUnique();
            l.HasIndex(x => new { x.SessionId, x.Status });
            l.HasOne(x => x.Employee).WithMany().HasForeignKey(x => x.EmployeeId).OnDelete(DeleteBehavior.Restrict);
            l.HasMany(x => x.History).WithOne().HasForeignKey(x => x.SessionLearnerId);
            l.Navigation(x => x.History).UsePropertyAccessMode(PropertyAccessMode.Field);
            l.Ignore(x => x.TakesSeat);
            l.Property(x => x.CalendarUid).HasMaxLength(100);
            l.HasIndex(x => x.CalendarUid).IsUnique();
        });

        builder.Entity<Features.Live.ChangeFeedEntry>(f =>
        {
            f.ToTable("ChangeFeed");
            f.HasKey(x => x.Id);
            f.Property(x => x.Actor).HasMaxLength(320).IsRequired();
            f.Property(x => x.LearnerIds).IsRequired();
            f.Property(x => x.OutboxIds).IsRequired();
            f.HasIndex(x => x.At);
        });

        builder.Entity<Features.Operations.AuditEntry>(a =>
        {
            a.ToTable("AuditLog");
            a.HasKey(x => x.Id);
            a.Property(x => x.Actor).HasMaxLength(320).IsRequired();
            a.Property(x => x.Action).HasConversion<string>().HasMaxLength(40);
            a.Property(x => x.Subject).HasMaxLength(320).IsRequired();
            a.Property(x => x.Details).HasMaxLength(2000).IsRequired();
            a.Property(x => x.ClientAddress).HasMaxLength(64);
            a.HasIndex(x => x.At);
            a.HasIndex(x => x.Action);
        });

        builder.Entity<Features.Live.FeedCursor>(c =>
        {
            c.ToTable("FeedCursors");
            c.HasKey(x => x.Name);
            c.Property(x => x.Name).HasMaxLength(100);
        });

        builder.Entity<Features.Automation.AutomationPlan>(p =>
        {
            p.ToTable("AutomationPlans");
            p.HasKey(x => x.SessionId);
            p.Property(x => x.SessionId).ValueGeneratedNever();
            p.Property(x => x.Key).HasMaxLength(200).IsRequired();
        });

        builder.Entity<OutboxEmail>(o =>
        {
            o.ToTable("Outbox");
            o.Property(x => x.IdempotencyKey).HasMaxLength(300);
            o.HasIndex(x => x.IdempotencyKey).IsUnique();
            o.HasIndex(x => new { x.SessionId, x.LearnerId });
            o.HasIndex(x => x.State);
            o.Property(x => x.Type).HasConversion<string>().HasMaxLength(40);
            o.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            o.Property(x => x.To).HasMaxLength(320);
            o.Property(x => x.Subject).HasMaxLength(400);
            o.Ignore(x => x.MessageId);
        });

        builder.Entity<CalendarReply>(r =>
        {
            r.ToTable("CalendarReplies");
            r.Property(x => x.MessageKey).HasMaxLength(300);
            r.HasIndex(x => x.MessageKey).IsUnique();
            r.HasIndex(x => x.ReceivedAt);
            r.Property(x => x.Source).HasMaxLength(10);
            r.Property(x => x.From).HasMaxLength(CalendarReply.MaxTextLength);
            r.Property(x => x.Subject).HasMaxLength(CalendarReply.MaxTextLength);
            r.Property(x => x.Uid).HasMaxLength(CalendarReply.MaxTextLength);
            r.Property(x => x.Attendee).HasMaxLength(CalendarReply.MaxTextLength);
            r.Property(x => x.Answer).HasMaxLength(40);
            r.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(20);
            r.Property(x => x.Detail).HasMaxLength(CalendarReply.MaxDetailLength);
            r.Ignore(x => x.NeedsAttention);
        });

        builder.Entity<EmailLink>(l =>
        {
            l.ToTable("EmailLinks");
            l.Property(x => x.Purpose).HasConversion<string>().HasMaxLength(40);
            l.HasIndex(x => x.GroupId);
        });

        builder.Entity<StatusChange>(h =>
        {
            h.ToTable("StatusChanges");
            h.Property(x => x.From).HasConversion<string>().HasMaxLength(40);
            h.Property(x => x.To).HasConversion<string>().HasMaxLength(40);
            h.Property(x => x.Trigger).HasConversion<string>().HasMaxLength(60);
            h.Property(x => x.ActorKind).HasConversion<string>().HasMaxLength(20);
            h.Property(x => x.ActorName).HasMaxLength(320);
            h.Property(x => x.Note).HasMaxLength(2000);
            h.Ignore(x => x.Actor);
            h.HasIndex(x => new { x.SessionLearnerId, x.At });
        });

        FormsModel.Configure(builder);
    }
}
