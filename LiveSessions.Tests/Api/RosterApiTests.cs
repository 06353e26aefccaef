using System.Net;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using MiniExcelLibs;

namespace LiveSessions.Tests.Api;

/// <summary>/api/sessions/{id}/learners: list, add, bulk status, copy, export and history.</summary>
[Collection(AppCollection.Name)]
public sealed class RosterApiTests(AppFixture app)
{
    private const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Adding_by_email_and_employee_id_answers_the_added_and_the_skipped_with_reasons()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(3, "add");
        using var admin = await app.AdminAsync();

        var result = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/learners", new
        {
            emails = new[] { people[0].Email.ToUpperInvariant(), "nobody@nowhere.example", "" },
            employeeIds = new[] { people[1].Id, ApiTestKit.UnknownId },
        })).OkAsync<AddedDto>();

        Assert.Equal([people[0].Email, people[1].Email], result.Added.Select(l => l.Email).ToList());
        Assert.All(result.Added, l => Assert.Equal("NotInvited", l.Status));
        Assert.Equal(people[1].Id, result.Added[1].EmployeeId);
        Assert.Equal((people[0].Name, "Testing"), (result.Added[0].Name, result.Added[0].Department));
        Assert.All(result.Added, l => Assert.True(l.Id > 0));
        Assert.Equal(3, result.Skipped.Count);
        Assert.Equal("No employee has this email.", result.Skipped.Single(s => s.Email == "nobody@nowhere.example").Reason);
        Assert.Equal("The email is empty.", result.Skipped.Single(s => s.Email == string.Empty).Reason);
        Assert.Contains(ApiTestKit.UnknownId.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Skipped.Single(s => s.Email.StartsWith('#')).Reason, StringComparison.Ordinal);

        var again = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/learners", new { emails = new[] { people[0].Email, people[2].Email } })).OkAsync<AddedDto>();
        Assert.Equal(people[2].Email, Assert.Single(again.Added).Email);
        var skipped = Assert.Single(again.Skipped);
        Assert.Equal(people[0].Email, skipped.Email);
        Assert.Contains("already in this session", skipped.Reason, StringComparison.Ordinal);

        Assert.Equal(3, (await admin.LearnersAsync(session.Id)).Count);
    }

    [Fact]
    public async Task Adding_a_department_adds_everyone_in_it()
    {
        var department = "Squad " + Guid.NewGuid().ToString("N")[..6];
        var a = await app.NewEmployeeAsync("Anna Squad", department);
        var b = await app.NewEmployeeAsync("Boris Squad", department);
        var session = await app.NewSessionAsync(capacity: 10, calendar: true);
        using var admin = await app.AdminAsync();

        var result = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/learners", new { department })).OkAsync<AddedDto>();

        Assert.Equal([a.Id, b.Id], result.Added.Select(l => l.EmployeeId).Order().ToList());
        Assert.All(result.Added, l => Assert.Equal("Invited", l.Status)); // Ready with Enable Calendar: invitation sent
        Assert.Empty(result.Skipped);

        var empty = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/learners", new { department = department + " ghost" })).OkAsync<AddedDto>();
        Assert.Empty(empty.Added);
        Assert.Equal("No employee is in this department.", Assert.Single(empty.Skipped).Reason);
    }

    [Fact]
    public async Task Adding_nobody_is_a_400_and_adding_to_an_unknown_session_is_a_404()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        using var admin = await app.AdminAsync();

        var problem = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/learners", new { emails = Array.Empty<string>() })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["emails"], problem.ErrorFields());

        await (await admin.PostJsonAsync($"/api/sessions/{ApiTestKit.UnknownId}/learners", new { emails = new[] { DemoSeeder.LearnerEmail } })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Listing_learners_filters_by_status_and_gives_the_waiting_list_in_line_order()
    {
        var session = await app.NewSessionAsync(capacity: 1);
        var people = await app.NewEmployeesAsync(4, "line");
        using var admin = await app.AdminAsync();
        await admin.SeatAsync(session.Id, people.Take(1));
        var rows = (await admin.AddLearnersAsync(session.Id, people.Skip(1).Select(p => p.Email))).Added.ToDictionary(l => l.EmployeeId);

        // Joined in the order 3, 1, 2: the line is not the alphabetical order.
        foreach (var person in new[] { people[3], people[1], people[2] })
        {
            Assert.Equal("WaitingList", (await admin.SetLearnerStatusAsync(session.Id, [rows[person.Id].Id], "WaitingList")).Updated.Single().Status);
        }

        var waiting = await admin.LearnersAsync(session.Id, "WaitingList");
        Assert.Equal([people[3].Id, people[1].Id, people[2].Id], waiting.Select(l => l.EmployeeId).ToList());
        Assert.Equal([1, 2, 3], waiting.Select(l => l.WaitingListPosition ?? 0).ToList());

        var all = await admin.LearnersAsync(session.Id);
        Assert.Equal([people[3].Id, people[1].Id, people[2].Id, people[0].Id], all.Select(l => l.EmployeeId).ToList());
        Assert.Null(all[3].WaitingListPosition);

        var registered = await admin.LearnersAsync(session.Id, "Registered");
        Assert.Equal(people[0].Email, Assert.Single(registered).Email);
    }

    [Fact]
    public async Task A_trainer_reads_the_learners_of_their_session_and_gets_403_for_another()
    {
        var mine = await app.NewSessionAsync(capacity: 5, trainers: [DemoSeeder.TrainerEmail]);
        var other = await app.NewSessionAsync(capacity: 5);
        var people = await app.NewEmployeesAsync(1, "tr");
        using (var admin = await app.AdminAsync())
        {
            await admin.AddLearnersAsync(mine.Id, people[0].Email);
            await admin.AddLearnersAsync(other.Id, people[0].Email);
        }

        using var trainer = await app.TrainerAsync();
        Assert.Equal(people[0].Email, Assert.Single(await trainer.LearnersAsync(mine.Id)).Email);

        var problem = await (await trainer.GetAsync($"/api/sessions/{other.Id}/learners", Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("You do not train this session.", problem.Detail());
        Assert.DoesNotContain(people[0].Email, problem.GetRawText(), StringComparison.Ordinal);

        await (await trainer.GetAsync($"/api/sessions/{ApiTestKit.UnknownId}/learners", Ct)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bulk_status_updates_what_it_can_and_refuses_the_rest_one_by_one()
    {
        var session = await app.NewSessionAsync(capacity: 1);
        var people = await app.NewEmployeesAsync(2, "bulk");
        using var admin = await app.AdminAsync();
        var added = (await admin.AddLearnersAsync(session.Id, people.Select(p => p.Email))).Added;
        var (first, second) = (added[0].Id, added[1].Id);

        var result = await admin.SetLearnerStatusAsync(session.Id, [first, second, ApiTestKit.UnknownId], "Registered", note: "Booked by HR");

        var updated = Assert.Single(result.Updated);
        Assert.Equal((first, "Registered"), (updated.Id, updated.Status));
        Assert.Equal(2, result.Refused.Count);
        var full = result.Refused.Single(r => r.LearnerId == second);
        Assert.Contains("full", full.Reason, StringComparison.Ordinal);
        Assert.Contains("overbook", full.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("This learner is not in this session.", result.Refused.Single(r => r.LearnerId == ApiTestKit.UnknownId).Reason);

        var statuses = (await admin.LearnersAsync(session.Id)).ToDictionary(l => l.Id, l => l.Status);
        Assert.Equal(("Registered", "NotInvited"), (statuses[first], statuses[second]));

        var same = await admin.SetLearnerStatusAsync(session.Id, [first], "Registered");
        Assert.Empty(same.Updated);
        Assert.Contains("already Registered", Assert.Single(same.Refused).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overbooking_needs_an_explicit_confirmation()
    {
        var session = await app.NewSessionAsync(capacity: 1);
        var people = await app.NewEmployeesAsync(2, "over");
        using var admin = await app.AdminAsync();
        await admin.SeatAsync(session.Id, people.Take(1));
        var extra = (await admin.AddLearnersAsync(session.Id, people[1].Email)).Added.Single();

        var refused = await admin.SetLearnerStatusAsync(session.Id, [extra.Id], "Registered");
        Assert.Empty(refused.Updated);
        Assert.Contains("confirm overbooking", Assert.Single(refused.Refused).Reason, StringComparison.Ordinal);

        var confirmed = await admin.SetLearnerStatusAsync(session.Id, [extra.Id], "Registered", overbook: true);
        Assert.Empty(confirmed.Refused);
        Assert.Equal("Registered", Assert.Single(confirmed.Updated).Status);

        var view = await admin.SessionAsync(session.Id);
        Assert.Equal((2, 0, 2.0), (view.SeatsTaken, view.SeatsFree, view.FillRate));
    }

    [Fact]
    public async Task Bulk_status_with_no_learners_or_an_unknown_status_is_a_400()
    {
        var session = await app.NewSessionAsync(capacity: 1);
        using var admin = await app.AdminAsync();

        var empty = await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/learners/status", new { learnerIds = Array.Empty<int>(), status = "Registered" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["learnerIds"], empty.ErrorFields());

        var unknown = await (await admin.PostRawJsonAsync($"/api/sessions/{session.Id}/learners/status", """{ "learnerIds": [1], "status": "Enrolled" }"""))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("$.status", unknown.Detail(), StringComparison.Ordinal);

        await (await admin.PostJsonAsync($"/api/sessions/{ApiTestKit.UnknownId}/learners/status", new { learnerIds = new[] { 1 }, status = "Registered" }))
            .ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Copying_to_a_full_session_of_the_course_puts_seat_statuses_on_its_waiting_list_and_skips_who_is_there()
    {
        var source = await app.NewSessionAsync(capacity: 10);
        var target = await app.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await app.NewEmployeesAsync(4, "copy");
        using var admin = await app.AdminAsync();
        var inSource = await admin.SeatAsync(source.Id, people.Take(3));
        await admin.SeatAsync(target.Id, [people[3]]);
        await admin.AddLearnersAsync(target.Id, people[2].Email);
        var ids = inSource.ToDictionary(l => l.EmployeeId, l => l.Id);

        var result = await (await admin.PostJsonAsync($"/api/sessions/{source.Id}/learners/copy", new
        {
            learnerIds = new[] { ids[people[0].Id], ids[people[1].Id], ids[people[2].Id], ApiTestKit.UnknownId },
            targetSessionId = target.Id,
            status = "Registered",
        })).OkAsync<CopiedDto>();

        Assert.Equal([people[0].Id, people[1].Id], result.Copied.Select(l => l.EmployeeId).ToList());
        Assert.All(result.Copied, l => Assert.Equal("WaitingList", l.Status));
        Assert.Equal([1, 2], result.Copied.Select(l => l.WaitingListPosition ?? 0).ToList());
        Assert.Contains("already in the target session", result.Skipped.Single(s => s.LearnerId == ids[people[2].Id]).Reason, StringComparison.Ordinal);
        Assert.Equal("This learner is not in the source session.", result.Skipped.Single(s => s.LearnerId == ApiTestKit.UnknownId).Reason);

        var targetView = await admin.SessionAsync(target.Id);
        Assert.Equal((1, 2), (targetView.SeatsTaken, targetView.Counts["WaitingList"]));
        Assert.All(await admin.LearnersAsync(source.Id), l => Assert.Equal("Registered", l.Status));
    }

    [Fact]
    public async Task Copying_to_a_session_with_free_seats_keeps_the_requested_status()
    {
        var source = await app.NewSessionAsync(capacity: 10);
        var target = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(1, "copyok");
        using var admin = await app.AdminAsync();
        var learner = (await admin.SeatAsync(source.Id, people)).Single();

        var result = await (await admin.PostJsonAsync($"/api/sessions/{source.Id}/learners/copy", new { learnerIds = new[] { learner.Id }, targetSessionId = target.Id, status = "NotInvited" }))
            .OkAsync<CopiedDto>();

        var copied = Assert.Single(result.Copied);
        Assert.Equal(("NotInvited", people[0].Email), (copied.Status, copied.Email));
        Assert.NotEqual(learner.Id, copied.Id);
        Assert.Empty(result.Skipped);
        Assert.Equal(people[0].Email, Assert.Single(await admin.LearnersAsync(target.Id)).Email);
    }

    [Fact]
    public async Task Copying_to_another_course_is_refused_with_409()
    {
        var courseId = await app.CourseIdAsync();
        int otherCourse;
        using (var admin0 = await app.AdminAsync())
        {
            otherCourse = (await (await admin0.GetAsync("/api/courses", Ct)).OkAsync<List<CourseDto>>()).First(c => c.Id != courseId).Id;
        }

        var source = await app.NewSessionAsync(capacity: 10, courseId: courseId);
        var target = await app.NewSessionAsync(capacity: 10, courseId: otherCourse);
        var people = await app.NewEmployeesAsync(1, "xcourse");
        using var admin = await app.AdminAsync();
        var learner = (await admin.AddLearnersAsync(source.Id, people[0].Email)).Added.Single();

        var problem = await (await admin.PostJsonAsync($"/api/sessions/{source.Id}/learners/copy", new { learnerIds = new[] { learner.Id }, targetSessionId = target.Id, status = "Registered" }))
            .ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("same course", problem.Detail(), StringComparison.Ordinal);
        Assert.Empty(await admin.LearnersAsync(target.Id));

        var self = await (await admin.PostJsonAsync($"/api/sessions/{source.Id}/learners/copy", new { learnerIds = new[] { learner.Id }, targetSessionId = source.Id, status = "Registered" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["targetSessionId"], self.ErrorFields());
    }

    [Fact]
    public async Task Export_answers_an_xlsx_of_the_learners_with_formula_text_as_text_cells()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var formula = await app.NewEmployeeAsync($"=HYPERLINK(\"http://evil.example\",\"{tag}\")", "-Ops");
        var plain = await app.NewEmployeeAsync($"Zed Plain {tag}", "Testing");
        using var admin = await app.AdminAsync();
        var added = (await admin.AddLearnersAsync(session.Id, formula.Email, plain.Email)).Added;
        await admin.SetLearnerStatusAsync(session.Id, [added.Single(l => l.EmployeeId == plain.Id).Id], "Registered");

        var response = await admin.GetAsync($"/api/sessions/{session.Id}/learners/export", Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(XlsxContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var rows = await ReadSheetAsync(response);

        Assert.Equal(2, rows.Count);
        Assert.Equal(FixedExportColumns, rows[0].Keys.Take(FixedExportColumns.Length));
        var byEmail = rows.ToDictionary(r => (string)r["Email"]!);
        var evil = byEmail[formula.Email];
        // Text cells, never formula cells: the text is kept as typed, with no apostrophe in front.
        Assert.Equal(formula.Name, evil["Name"]);
        Assert.Equal("-Ops", evil["Department"]);
        Assert.Equal("Not Invited", evil["Status"]);
        var fine = byEmail[plain.Email];
        Assert.Equal(plain.Name, fine["Name"]);
        Assert.Equal("Testing", fine["Department"]);
        Assert.Equal("Registered", fine["Status"]);
        Assert.DoesNotContain("<f>", await SheetXmlAsync(response), StringComparison.Ordinal);
    }

    /// <summary>The first sheet's XML as written: a formula cell would carry an &lt;f&gt; element.</summary>
    private static async Task<string> SheetXmlAsync(HttpResponseMessage response)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct)));
        var sheet = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
        using var reader = new StreamReader(sheet.Open());
        return await reader.ReadToEndAsync(Ct);
    }

    /// <summary>The export's fixed columns, in order, whether or not forms add theirs after them.</summary>
    internal static readonly string[] FixedExportColumns =
        ["Name", "Email", "Department", "Manager", "Status", "Status changed at (UTC)", "Waiting-list position", "Registered at (UTC)", "Attended"];

    [Fact]
    public async Task Export_of_chosen_ids_answers_only_those_learners()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft);
        var people = await app.NewEmployeesAsync(3, "exp");
        using var admin = await app.AdminAsync();
        var added = (await admin.AddLearnersAsync(session.Id, people.Select(p => p.Email))).Added;

        var response = await admin.GetAsync($"/api/sessions/{session.Id}/learners/export?ids={added[0].Id},{added[2].Id}", Ct);
        Assert.Equal(XlsxContentType, response.Content.Headers.ContentType?.MediaType);
        var rows = await ReadSheetAsync(response);

        Assert.Equal([people[0].Email, people[2].Email], rows.Select(r => (string)r["Email"]!).ToList());

        var bad = await (await admin.GetAsync($"/api/sessions/{session.Id}/learners/export?ids=1,x", Ct)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["ids"], bad.ErrorFields());
        await (await admin.GetAsync($"/api/sessions/{ApiTestKit.UnknownId}/learners/export", Ct)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task History_lists_every_move_oldest_first_with_trigger_and_actor()
    {
        var session = await app.NewSessionAsync(capacity: 5, status: SessionStatus.Draft, trainers: [DemoSeeder.TrainerEmail]);
        var people = await app.NewEmployeesAsync(1, "hist");
        using var admin = await app.AdminAsync();
        var learner = (await admin.AddLearnersAsync(session.Id, people[0].Email)).Added.Single();
        await (await admin.PostJsonAsync($"/api/sessions/{session.Id}/status", new { status = "Ready" })).OkAsync<SessionDto>();
        await admin.SetLearnerStatusAsync(session.Id, [learner.Id], "Registered", note: "Confirmed by phone");

        var history = await (await admin.GetAsync($"/api/sessions/{session.Id}/learners/{learner.Id}/history", Ct)).OkAsync<List<HistoryDto>>();

        (string? From, string To, string Trigger, string Actor)[] expected =
        [
            (null, "NotInvited", "AddedToDraftSession", DemoSeeder.AdminEmail),
            ("NotInvited", "Invited", "SessionSetReady", "system"),
            ("Invited", "Registered", "Manual", DemoSeeder.AdminEmail),
        ];
        Assert.Equal(expected, history.Select(h => (h.From, h.To, h.Trigger, h.Actor)).ToArray());
        Assert.Equal("Confirmed by phone", history[2].Note);
        Assert.Equal(history.OrderBy(h => h.At).Select(h => h.Trigger), history.Select(h => h.Trigger));

        using var trainer = await app.TrainerAsync();
        var seenByTrainer = await (await trainer.GetAsync($"/api/sessions/{session.Id}/learners/{learner.Id}/history", Ct)).OkAsync<List<HistoryDto>>();
        Assert.Equal(3, seenByTrainer.Count);
    }

    [Fact]
    public async Task History_of_a_learner_of_another_session_is_a_404_and_a_stranger_trainer_gets_403()
    {
        var session = await app.NewSessionAsync(capacity: 5);
        var other = await app.NewSessionAsync(capacity: 5);
        var people = await app.NewEmployeesAsync(1, "hist404");
        using var admin = await app.AdminAsync();
        var learner = (await admin.AddLearnersAsync(other.Id, people[0].Email)).Added.Single();

        var problem = await (await admin.GetAsync($"/api/sessions/{session.Id}/learners/{learner.Id}/history", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("learner", problem.Detail(), StringComparison.OrdinalIgnoreCase);

        using var trainer = await app.TrainerAsync();
        var forbidden = await (await trainer.GetAsync($"/api/sessions/{other.Id}/learners/{learner.Id}/history", Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("You do not train this session.", forbidden.Detail());
    }

    private static async Task<List<IDictionary<string, object?>>> ReadSheetAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(bytes.Length > 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K', "The export is not a zip (xlsx) file.");
        using var stream = new MemoryStream(bytes);
        return MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
    }
}
