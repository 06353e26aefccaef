using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Employees;

namespace LiveSessions.Tests.Api;

// What the API answers, read as a client of API.md would: enums are plain strings (their names), and every
// constructor parameter must be present in the JSON (a renamed field fails the read).
public sealed record TokenDto(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

public sealed record CourseDto(int Id, string Title, string Type, int DefaultCapacity);

public sealed record EmployeeDto(int Id, string Name, string Email, string Department);

public sealed record EmployeePageDto(IReadOnlyList<EmployeeDto> Items, int Total, int Page, int PageSize);

public sealed record SessionSummaryDto(int Id, int CourseId, string Title, string Status, DateTimeOffset Start, DateTimeOffset End, int MaxCapacity, double FillRate);

public sealed record TrainerDto(int EmployeeId, string Name, string Email);

public sealed record SessionDto(
    int Id,
    int CourseId,
    string Title,
    string Status,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    string Location,
    int MaxCapacity,
    bool EnableWaitingList,
    bool RequiresApproval,
    string ApprovalFlow,
    int ApprovalLevels,
    bool EnableCalendar,
    IReadOnlyList<TrainerDto> Trainers,
    double FillRate,
    int SeatsTaken,
    int SeatsHeld,
    int SeatsFree,
    IReadOnlyDictionary<string, int> Counts);

public sealed record LearnerDto(
    int Id,
    int EmployeeId,
    string Email,
    string Name,
    string Department,
    string Status,
    DateTimeOffset StatusChangedAt,
    int? WaitingListPosition,
    DateTimeOffset? SeatOfferExpiresAt);

public sealed record SkippedDto(string Email, string Reason);

public sealed record AddedDto(IReadOnlyList<LearnerDto> Added, IReadOnlyList<SkippedDto> Skipped);

public sealed record RefusedDto(int LearnerId, string Reason);

public sealed record UpdatedDto(IReadOnlyList<LearnerDto> Updated, IReadOnlyList<RefusedDto> Refused);

public sealed record CopiedDto(IReadOnlyList<LearnerDto> Copied, IReadOnlyList<RefusedDto> Skipped);

public sealed record HistoryDto(string? From, string To, string Trigger, string Actor, DateTimeOffset At, string? Note);

public sealed record RegistrationDto(int Id, string Status, int? WaitingListPosition, DateTimeOffset? SeatOfferExpiresAt, string? Message, LearnerDto Learner);

public sealed record CancellationDto(int Id, string Status, LearnerDto Learner);

public sealed record OpenSessionDto(int Id, string Title, DateTimeOffset Start, int SeatsFree, bool EnableWaitingList, bool RequiresApproval);

public sealed record MyLearnerDto(int SessionId, int LearnerId, string Title, string Status, int? WaitingListPosition);

public sealed record MySessionsDto(IReadOnlyList<OpenSessionDto> Open, IReadOnlyList<MyLearnerDto> Mine);

/// <summary>Small helpers for calling the API the way an HR system or a script would.</summary>
public static class ApiTestKit
{
    public const string ProblemJson = "application/problem+json";

    public const int UnknownId = 987_654_321;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Ct);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, Ct);

    /// <summary>Posts JSON text as is, for bodies a typed client could not produce (unknown enum names).</summary>
    public static Task<HttpResponseMessage> PostRawJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return client.SendAsync(request, Ct);
    }

    /// <summary>Asserts a 2xx answer (showing the body when not) and reads it.</summary>
    public static async Task<T> OkAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>Asserts an RFC 7807 answer with the status and a detail in plain words; returns its JSON.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == ProblemJson, $"Expected {ProblemJson} but got '{response.Content.Headers.ContentType}': {body}");
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement.Clone();
        Assert.Equal((int)expected, root.GetProperty("status").GetInt32());
        Assert.True(root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(detail.GetString()),
            $"The problem has no detail: {body}");
        return root;
    }

    public static string Detail(this JsonElement problem) => problem.GetProperty("detail").GetString()!;

    /// <summary>The fields a validation problem lists, as sent (camelCase).</summary>
    public static IReadOnlyList<string> ErrorFields(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();

    public static async Task<AddedDto> AddLearnersAsync(this HttpClient admin, int sessionId, params IEnumerable<string> emails) =>
        await (await admin.PostJsonAsync($"/api/sessions/{sessionId}/learners", new { emails = emails.ToArray() })).OkAsync<AddedDto>();

    public static async Task<UpdatedDto> SetLearnerStatusAsync(this HttpClient admin, int sessionId, IEnumerable<int> learnerIds, string status, bool overbook = false, string? note = null) =>
        await (await admin.PostJsonAsync($"/api/sessions/{sessionId}/learners/status", new { learnerIds = learnerIds.ToArray(), status, note, overbook })).OkAsync<UpdatedDto>();

    public static async Task<IReadOnlyList<LearnerDto>> LearnersAsync(this HttpClient client, int sessionId, string? status = null) =>
        await (await client.GetAsync($"/api/sessions/{sessionId}/learners" + (status is null ? string.Empty : $"?status={status}"), Ct)).OkAsync<List<LearnerDto>>();

    public static async Task<SessionDto> SessionAsync(this HttpClient client, int sessionId) =>
        await (await client.GetAsync($"/api/sessions/{sessionId}", Ct)).OkAsync<SessionDto>();

    /// <summary>Adds the people to the session and seats them (Registered) as the admin, returning their learner rows.</summary>
    public static async Task<List<LearnerDto>> SeatAsync(this HttpClient admin, int sessionId, IEnumerable<EmployeeRow> people, bool overbook = false)
    {
        var added = await admin.AddLearnersAsync(sessionId, people.Select(p => p.Email));
        Assert.Empty(added.Skipped);
        var updated = await admin.SetLearnerStatusAsync(sessionId, added.Added.Select(l => l.Id), "Registered", overbook);
        Assert.Empty(updated.Refused);
        Assert.All(updated.Updated, l => Assert.Equal("Registered", l.Status));
        return updated.Updated.ToList();
    }

    /// <summary>An employee made through the real directory handler, e.g. with a name a spreadsheet would run.</summary>
    public static async Task<EmployeeRow> NewEmployeeAsync(this AppFixture app, string name, string department)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var outcome = await app.Get<EmployeeDirectory>().CreateAsync(new EmployeeFields(name, $"e.{tag}@test.example", department, null), AppFixture.Admin, Ct);
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!;
    }
}
