using System.Collections.Concurrent;
using System.Text;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Tests.Roster;

/// <summary>Long operations say how far they have got, ending at "all of them", never going back.</summary>
[Collection(AppCollection.Name)]
public sealed class ProgressTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Setting_a_calendar_session_Ready_reports_the_invitations_it_prepares()
    {
        var session = await app.NewSessionAsync(capacity: 100, calendar: true, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(60, "progress");
        Assert.True((await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct)).IsOk);

        var reports = new Recorder();
        var ready = await app.Get<SetSessionStatus>().HandleAsync(session.Id, SessionStatus.Ready, AppFixture.Admin, Ct, reports);

        Assert.True(ready.IsOk, ready.Message);
        reports.AssertCountsUpTo("Preparing emails", 60);
    }

    [Fact]
    public async Task Sending_an_email_to_many_learners_reports_each_one_checked_and_an_import_each_row()
    {
        var session = await app.NewSessionAsync(capacity: 100, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(40, "progmail");
        var added = await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Take(30).Select(p => p.Email)]), AppFixture.Admin, Ct);

        var sending = new Recorder();
        var sent = await app.Get<SendEmails>().HandleAsync(session.Id, new SendEmailsRequest(EmailType.CustomNotification, [.. added.Value!.Added.Select(a => a.Id)], "Room change", "4B"),
            AppFixture.Admin, preview: false, Ct, sending);
        Assert.True(sent.IsOk, sent.Message);
        sending.AssertCountsUpTo("Preparing emails", 30);

        var importing = new Recorder();
        var csv = "email\n" + string.Join('\n', people.Skip(30).Select(p => p.Email)) + "\n" + string.Join('\n', Enumerable.Range(0, 140).Select(i => $"nobody{i}@nowhere.example"));
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var imported = await app.Get<ImportLearners>().HandleAsync(session.Id, file, "learners.csv", commit: true, AppFixture.Admin, Ct, importing);
        Assert.True(imported.IsOk, imported.Message);
        importing.AssertCountsUpTo("Adding rows", 150);
        Assert.Contains(importing.Reports, r => r.Done == 100);
    }

    [Fact]
    public async Task Exporting_learners_reports_each_row_written_and_the_file_holds_as_many()
    {
        var session = await app.NewSessionAsync(capacity: 100, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(70, "progexport");
        Assert.True((await app.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct)).IsOk);

        var writing = new Recorder();
        var exported = await app.Get<ExportLearners>().HandleAsync(session.Id, null, AppFixture.Admin, Ct, writing);

        Assert.True(exported.IsOk, exported.Message);
        writing.AssertCountsUpTo(ExportLearners.WritingStep, 70);
        Assert.Contains(writing.Reports, r => r.Done == 25);
        Assert.Equal(70, exported.Value!.Rows);
        await using (var sheet = exported.Value.OpenRead())
        {
            Assert.Equal(70, MiniExcelLibs.MiniExcel.Query(sheet, useHeaderRow: true).Count());
        }
    }

    private sealed class Recorder : IProgress<WorkProgress>
    {
        public ConcurrentQueue<WorkProgress> Reports { get; } = new();

        public void Report(WorkProgress value) => Reports.Enqueue(value);

        /// <summary>Every report of the step counts the same total, never goes back, and the last one says all are done.</summary>
        public void AssertCountsUpTo(string step, int total)
        {
            var ofStep = Reports.Where(r => r.Step == step).ToList();
            Assert.NotEmpty(ofStep);
            Assert.All(ofStep, r => Assert.Equal(total, r.Total));
            Assert.Equal(ofStep.Select(r => r.Done).Order(), ofStep.Select(r => r.Done));
            Assert.Equal(total, ofStep[^1].Done);
        }
    }
}
