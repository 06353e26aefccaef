using System.Text;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Roster;

/// <summary>Previews (imports and Send Email) are dry runs: they never wait for the write turn and never save.</summary>
[Collection(AppCollection.Name)]
public sealed class ImportPreviewTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Previews_complete_while_another_writer_holds_the_write_turn_and_the_commit_waits_for_it()
    {
        var session = await app.NewSessionAsync(capacity: 10);
        var people = await app.NewEmployeesAsync(2, "turn");
        var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), Ct);
        Assert.True(registered.IsOk, registered.Message);
        var learners = $"email\n{people[1].Email}\n";
        var tag = Guid.NewGuid().ToString("N")[..8];
        var directory = $"email,name,department\nnew.{tag}@test.example,New {tag},Testing\n";
        var queue = app.Get<SqliteWriteQueue>();
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);

        Task<Outcome<ImportLearnersResult>> commit;
        using (await queue.EnterAsync(db, Ct))
        {
            var learnerPreview = await ImportLearnersAsync(session.Id, learners, commit: false).WaitAsync(Patience.Ceiling, Ct);
            Assert.True(learnerPreview.IsOk, learnerPreview.Message);
            Assert.Equal(ImportRowOutcome.WillBeAdded, Assert.Single(learnerPreview.Value!.Rows).Outcome);

            var directoryPreview = await ImportDirectoryAsync(directory, commit: false).WaitAsync(Patience.Ceiling, Ct);
            Assert.True(directoryPreview.IsOk, directoryPreview.Message);
            Assert.Equal(EmployeeImportOutcome.Added, Assert.Single(directoryPreview.Value!.Rows).Outcome);

            var emailPreview = await app.Get<SendEmails>().HandleAsync(session.Id, new SendEmailsRequest(EmailType.CustomNotification, [registered.Value!.Learner.Id], "Room change", "We moved to room 5."), AppFixture.Admin, preview: true, Ct)
                .WaitAsync(Patience.Ceiling, Ct);
            Assert.True(emailPreview.IsOk, emailPreview.Message);
            Assert.Equal([registered.Value.Learner.Id], emailPreview.Value!.Queued);
            Assert.Contains("We moved to room 5.", emailPreview.Value.PreviewHtml, StringComparison.Ordinal);

            // The commit needs the turn this test holds, so it cannot have finished yet.
            commit = ImportLearnersAsync(session.Id, learners, commit: true);
            Assert.False(commit.IsCompleted);
        }

        var committed = await commit.WaitAsync(Patience.Ceiling, Ct);
        Assert.True(committed.IsOk, committed.Message);
        Assert.True(committed.Value!.Committed);
        Assert.Equal(ImportRowOutcome.Added, Assert.Single(committed.Value.Rows).Outcome);
        await using var check = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(2, await check.Learners.CountAsync(l => l.SessionId == session.Id, Ct));
        Assert.False(await check.Employees.AnyAsync(e => e.Email == $"new.{tag}@test.example", Ct));
        Assert.False(await check.Outbox.AnyAsync(o => o.SessionId == session.Id && o.Type == EmailType.CustomNotification, Ct));
    }

    [Fact]
    public async Task A_preview_may_differ_from_the_commit_when_someone_decides_in_between_and_the_commit_decides_again()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var person = (await app.NewEmployeesAsync(1, "between"))[0];
        var csv = $"email\n{person.Email}\n";

        var preview = await ImportLearnersAsync(session.Id, csv, commit: false);
        Assert.Equal(ImportRowOutcome.WillBeAdded, Assert.Single(preview.Value!.Rows).Outcome);

        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([person.Email]), AppFixture.Admin, Ct);
        Assert.True(added.IsOk, added.Message);

        var committed = await ImportLearnersAsync(session.Id, csv, commit: true);
        Assert.True(committed.IsOk, committed.Message);
        Assert.Equal(ImportRowOutcome.AlreadyInSession, Assert.Single(committed.Value!.Rows).Outcome);
    }

    [Fact]
    public async Task A_conflict_found_by_the_decision_is_a_failure_in_the_commit_and_the_preview_and_nothing_is_saved()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var person = (await app.NewEmployeesAsync(1, "conflict"))[0];

        // The decision changes the roster, then refuses; the message is the very text previews used to be recognised by.
        async Task<Outcome<int>> Decide(SessionScope scope)
        {
            var employee = await scope.Db.Employees.SingleAsync(e => e.Id == person.Id, Ct);
            Assert.True(scope.Session.AddLearner(employee, AppFixture.Admin.AsAdmin, scope.Now).IsDone);
            return Failure.Conflict("Preview only: nothing was saved.");
        }

        var dryRun = app.Get<DryRun>();
        foreach (var commit in new[] { true, false })
        {
            var outcome = await dryRun.PreviewOrCommitAsync<int>(commit, session.Id, Decide, Ct);
            Assert.Equal(OutcomeKind.Conflict, outcome.Kind);
            Assert.Equal("Preview only: nothing was saved.", outcome.Message);
        }

        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.Equal(0, await db.Learners.CountAsync(l => l.SessionId == session.Id, Ct));
    }

    [Fact]
    public async Task An_import_into_a_session_that_does_not_exist_is_not_found_in_the_preview_and_the_commit()
    {
        var person = (await app.NewEmployeesAsync(1, "missing"))[0];
        foreach (var commit in new[] { false, true })
        {
            var outcome = await ImportLearnersAsync(987_654_321, $"email\n{person.Email}\n", commit);
            Assert.Equal(OutcomeKind.NotFound, outcome.Kind);
            Assert.Null(outcome.Value);
        }
    }

    private Task<Outcome<ImportLearnersResult>> ImportLearnersAsync(int sessionId, string csv, bool commit) =>
        app.Get<ImportLearners>().HandleAsync(sessionId, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "learners.csv", commit, AppFixture.Admin, Ct);

    private Task<Outcome<EmployeeImportResult>> ImportDirectoryAsync(string csv, bool commit) =>
        app.Get<ImportEmployees>().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "directory.csv", commit, AppFixture.Admin, Ct);
}
