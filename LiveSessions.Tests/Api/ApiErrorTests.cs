using System.Net;
using System.Text;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Api;

/// <summary>
/// Every failure of an /api call answers application/problem+json: damaged files are 400 with where reading stopped
/// and nothing imported; a fault on the server is 507 or 500 with a request id and no stack trace, never the UI's
/// error page.
/// </summary>
public sealed class ApiErrorTests : IClassFixture<ApiErrorTests.FaultyApp>
{
    private readonly FaultyApp app;

    public ApiErrorTests(FaultyApp app) => this.app = app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> DamagedFiles() => new()
    {
        { "a row with more columns than the header", "learners.csv", "email,name\nknown@x.example,A\nb@x.example,B,extra,more\n" },
        { "a row with fewer columns than the header", "learners.csv", "email,name,department\nknown@x.example,A,D\nb@x.example\n" },
        { "random bytes named .csv", "learners.csv", "\u0000\u00ff\u0001binary\u0000\u0000\u00fe" },
        { "random bytes named .xlsx", "learners.xlsx", "PK\u0003\u0004 not really a zip \u0000\u00ff" },
        { "a truncated .xlsx", "learners.xlsx", "truncated" },
    };

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public async Task A_damaged_import_file_answers_400_problem_json_saying_what_is_wrong_and_imports_nobody(string what, string fileName, string content)
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        var person = (await app.NewEmployeesAsync(1, "damaged"))[0];
        var bytes = content == "truncated"
            ? TruncatedXlsx(person.Email)
            : Encoding.Latin1.GetBytes(content.Replace("known@x.example", person.Email, StringComparison.Ordinal));

        using var admin = await app.AdminAsync();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        using var response = await admin.PostAsync($"/api/sessions/{session.Id}/learners/import", form, Ct);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);

        var detail = problem.Detail();
        TestContext.Current.TestOutputHelper?.WriteLine(detail);
        Assert.Contains("file", problem.ErrorFields());
        Assert.True(detail.Contains("Nothing was imported", StringComparison.Ordinal), detail);
        Assert.False(detail.Contains("Exception", StringComparison.Ordinal) || detail.Contains(".cs:line", StringComparison.Ordinal) || detail.Contains("dictionary", StringComparison.Ordinal), detail);
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        Assert.True(await db.Learners.CountAsync(l => l.SessionId == session.Id, Ct) == 0, $"{what}: learners were added");
    }

    [Fact]
    public async Task A_row_with_more_columns_than_the_header_is_named_by_its_row()
    {
        var session = await app.NewSessionAsync(capacity: 10, status: SessionStatus.Draft);
        using var admin = await app.AdminAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes("email,name\na@x.example,A\nb@x.example,B\nc@x.example,C,extra\n")), "file", "learners.csv" },
        };
        var problem = await (await admin.PostAsync($"/api/sessions/{session.Id}/learners/import", form, Ct)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("row 4", problem.Detail(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("disk-full", HttpStatusCode.InsufficientStorage, "disk is full")]
    [InlineData("bug", HttpStatusCode.InternalServerError, "went wrong on the server")]
    public async Task A_fault_on_the_server_answers_problem_json_with_a_request_id_and_no_stack_trace(string fault, HttpStatusCode status, string title)
    {
        using var admin = await app.AdminAsync();
        using var response = await admin.GetAsync($"/api/test-fault/{fault}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var problem = await response.ProblemAsync(status);

        Assert.Contains(title, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("FaultyApp", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A real .xlsx cut off half-way, as an interrupted upload leaves it.</summary>
    private static byte[] TruncatedXlsx(string email)
    {
        using var whole = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(whole, new[] { new { email } }, excelType: MiniExcelLibs.ExcelType.XLSX);
        var bytes = whole.ToArray();
        return bytes[..(bytes.Length / 2)];
    }

    /// <summary>
    /// The app with two routes that fail as a server can (a full disk, a bug), added at the end of its own pipeline
    /// so its exception handling sees them as it would any endpoint's.
    /// </summary>
    public sealed class FaultyApp : AppFixture
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.AddSingleton<IStartupFilter>(new Faults());

        private sealed class Faults : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
            {
                next(builder);
                builder.Use((HttpContext context, RequestDelegate _) => context.Request.Path.Value switch
                {
                    "/api/test-fault/disk-full" => throw new IOException("No space left on device : '/data/livesessions.db'", 28),
                    "/api/test-fault/bug" => throw new InvalidOperationException("FaultyApp: a bug"),
                    _ => Task.CompletedTask,
                });
            };
        }
    }
}
