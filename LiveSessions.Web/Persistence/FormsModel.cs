using LiveSessions.Domain;
using LiveSessions.Web.Features.Email;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Persistence;

/// <summary>The tables of the forms: definitions with their fields, and each learner's answers.</summary>
internal static class FormsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<FormDefinition>(f =>
        {
            f.ToTable("Forms", t => t.HasCheckConstraint("CK_Forms_OneOwner", "(\"SessionId\" IS NULL) <> (\"CourseId\" IS NULL)"));
            f.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            f.Property(x => x.Version).IsConcurrencyToken();
            f.HasOne<LiveSession>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
            f.HasOne<Course>().WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);

            // One form of each kind per owner: NULLs are distinct, so the session and course indexes do not collide.
            f.HasIndex(x => new { x.SessionId, x.Kind }).IsUnique();
            f.HasIndex(x => new { x.CourseId, x.Kind }).IsUnique();
            f.HasMany(x => x.Fields).WithOne().HasForeignKey(x => x.FormId).OnDelete(DeleteBehavior.Cascade);
            f.Navigation(x => x.Fields).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        builder.Entity<FormField>(f =>
        {
            f.ToTable("FormFields");
            f.Property(x => x.Key).HasMaxLength(20).IsRequired();
            f.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            f.Property(x => x.Label).HasMaxLength(FormDefinition.MaxLabelLength).IsRequired();
            f.PrimitiveCollection(x => x.Choices);
            f.HasIndex(x => new { x.FormId, x.Key }).IsUnique();
        });

        builder.Entity<FormResponse>(r =>
        {
            r.ToTable("FormResponses");
            r.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            r.Property(x => x.SubmittedBy).HasMaxLength(320);
            r.HasOne<FormDefinition>().WithMany().HasForeignKey(x => x.FormId).OnDelete(DeleteBehavior.Restrict);
            r.HasOne<LiveSession>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne<SessionLearner>().WithMany().HasForeignKey(x => x.SessionLearnerId).OnDelete(DeleteBehavior.Cascade);
            r.HasIndex(x => new { x.SessionLearnerId, x.Kind }).IsUnique();
            r.HasIndex(x => new { x.SessionId, x.Kind });
            r.HasMany(x => x.Answers).WithOne().HasForeignKey(x => x.ResponseId).OnDelete(DeleteBehavior.Cascade);
            r.Navigation(x => x.Answers).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        builder.Entity<FormAnswer>(a =>
        {
            a.ToTable("FormAnswers");
            a.Property(x => x.FieldKey).HasMaxLength(20).IsRequired();
            a.Property(x => x.Label).HasMaxLength(FormDefinition.MaxLabelLength).IsRequired();
            a.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            a.Property(x => x.Value).IsRequired();
            a.Ignore(x => x.Display);
        });

        builder.Entity<EmailLink>(l => l.Property(x => x.Form).HasConversion<string>().HasMaxLength(20));
    }
}
