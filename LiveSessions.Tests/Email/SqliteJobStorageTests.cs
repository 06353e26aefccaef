using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Email;

/// <summary>The embedded default as shipped: Hangfire on SQLite beside EF Core's SQLite, no SMTP server.</summary>
public sealed class SqliteJobsFixture : AppFixture
{
    protected override IEnumerable<(string Key, string Value)> ExtraSettings() => [("LiveSessions:JobStorage", "SQLite")];
}

public sealed class SqliteJobStorageTests : IClassFixture<SqliteJobsFixture>
{
    private readonly SqliteJobsFixture app;

    public SqliteJobStorageTests(SqliteJobsFixture app) => this.app = app;

    [Fact]
    public async Task Without_SMTP_a_registration_email_is_kept_for_the_Mailbox_by_a_job_on_SQLite_storage()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "jobs.db")));
        var session = await app.NewSessionAsync(capacity: 2);
        var person = (await app.NewEmployeesAsync(1, "kept"))[0];
        await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(person.Email), ct);

        // The job updates the outbox row; the row is the outcome this test is about.
        var email = await Patience.UntilJobsMakeAsync(
            async token =>
            {
                await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(token);
                return await db.Outbox.AsNoTracking().SingleOrDefaultAsync(o => o.SessionId == session.Id && o.Type == EmailType.RegistrationConfirmation, token);
            },
            e => e?.State == OutboxState.Kept,
            "the registration email to be kept",
            ct);

        Assert.NotNull(email);
        Assert.Equal(OutboxState.Kept, email.State);
        Assert.Equal(1, email.Attempts);
        Assert.NotNull(email.SentAt);
    }
}
