using System.Security.Claims;
using LiveSessions.Domain;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Attendance;
using LiveSessions.Web.Features.Courses;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace LiveSessions.Web.Features.Api;

public sealed record LoginRequest(string Email, string Password);

public sealed record RefreshRequest(string RefreshToken);

public sealed record StatusRequest(SessionStatus Status);

public sealed record AttendanceRequest(int LearnerId, bool Attended);

public sealed record RegistrationRequest(int SessionId, IDictionary<string, string>? Answers = null);

/// <summary>The HTTP API of API.md: thin routes over the same feature handlers the UI calls.</summary>
public static class ApiEndpoints
{
    public const string AdminPolicy = "api-admin";
    public const string AdminOrTrainerPolicy = "api-admin-or-trainer";
    public const string LearnerPolicy = "api-learner";

    public static void AddApiPolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Admin));
        options.AddPolicy(AdminOrTrainerPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Admin, Roles.Trainer));
        options.AddPolicy(LearnerPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme).RequireRole(Roles.Learner));
    }

    public static void MapLiveSessionsApi(this IEndpointRouteBuilder app)
    {
        // The Learners card writes an export off its circuit, showing progress, then sends the browser here for the
        // file: with the admin's cookie, once, by the token only that admin was given.
        app.MapGet("/sessions/{id:int}/learners/export/{token}", (int id, string token, PreparedExports exports, ClaimsPrincipal user) =>
            exports.Take(id, token, CurrentUser.From(user)).ToHttp(file => TypedResults.File(file.OpenRead(), ExportFile.ContentType, file.FileName)))
            .RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Admin }).ExcludeFromDescription();

        // The portal's "Add to calendar" link: the learner's browser downloads with their cookie.
        app.MapGet("/me/sessions/{id:int}/calendar.ics", async (int id, MyCalendar handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(id, CurrentUser.From(user), ct)).ToHttp(file =>
                TypedResults.File(System.Text.Encoding.UTF8.GetBytes(file.Content), CalendarFile.ContentType + "; charset=utf-8", file.FileName)))
            .RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Learner }).ExcludeFromDescription();

        var api = app.MapGroup("/api");

        api.MapPost("/auth/login", async Task<IResult> (LoginRequest request, PasswordSignIn signIn, HttpContext http) =>
        {
            if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrWhiteSpace(request.Password))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Give an email and a password."] });
            }

            // The bearer scheme writes { tokenType, accessToken, expiresIn, refreshToken } itself.
            var attempt = await signIn.SignInAsync(request.Email, request.Password, IdentityConstants.BearerScheme, persistent: false, http.Connection.RemoteIpAddress);
            if (attempt.RetryAfter is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return OutcomeHttp.Problem(StatusCodes.Status429TooManyRequests, "Too many sign-in attempts", SignInAttempt.TooMany(retryAfter));
            }

            return attempt.Succeeded ? TypedResults.Empty : OutcomeHttp.Problem(StatusCodes.Status401Unauthorized, "Sign-in failed", SignInAttempt.Refused);
        }).AllowAnonymous().WithTags("Auth");

        // A new access token for a refresh token, if the account still stands (not signed out, locked or deleted).
        api.MapPost("/auth/refresh", async Task<IResult> (RefreshRequest request, Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions> bearer,
            SignInManager<AppUser> signIn, AccountValidity validity, TimeProvider clock) =>
        {
            var ticket = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
            if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
                || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user || !await validity.StandsAsync(ticket.Principal))
            {
                return OutcomeHttp.Problem(StatusCodes.Status401Unauthorized, "Refresh refused", "The refresh token is not valid any more: sign in again.");
            }

            return TypedResults.SignIn(await signIn.CreateUserPrincipalAsync(user), authenticationScheme: IdentityConstants.BearerScheme);
        }).AllowAnonymous().WithTags("Auth");

        api.MapGet("/courses", async (CourseCatalog catalog, ClaimsPrincipal user, CancellationToken ct) =>
            (await catalog.ListAsync(null, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminPolicy).WithTags("Courses");

        api.MapGet("/employees", async (EmployeeDirectory directory, ClaimsPrincipal user, string? search, string? department, int? page, int? pageSize, CancellationToken ct) =>
            (await directory.SearchAsync(search, department, page ?? 1, pageSize ?? 50, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminOrTrainerPolicy).WithTags("Employees");

        var sessions = api.MapGroup("/sessions").WithTags("Sessions");
        sessions.MapGet("/", async (SessionQueries queries, ClaimsPrincipal user, SessionStatus? status, int? courseId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(new SessionFilter(status, courseId, from, to), CurrentUser.From(user), ct)))
            .RequireAuthorization(AdminOrTrainerPolicy);
        sessions.MapPost("/", async (SessionFields body, SaveSession save, ClaimsPrincipal user, CancellationToken ct) =>
            (await save.CreateAsync(body, CurrentUser.From(user), ct)).ToHttp(v => TypedResults.Created($"/api/sessions/{v.Id}", v)))
            .RequireAuthorization(AdminPolicy);
        sessions.MapGet("/{id:int}", async (int id, SessionQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            (await queries.GetAsync(id, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminOrTrainerPolicy);
        sessions.MapPatch("/{id:int}", async (int id, SessionFields body, SaveSession save, ClaimsPrincipal user, CancellationToken ct) =>
            (await save.UpdateAsync(id, body, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminPolicy);
        sessions.MapPost("/{id:int}/status", async (int id, StatusRequest body, SetSessionStatus handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(id, body.Status, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminPolicy);

        sessions.MapGet("/{id:int}/learners", async (int id, LearnerStatus? status, RosterQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            (await queries.ListAsync(id, status, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminOrTrainerPolicy);
        sessions.MapPost("/{id:int}/learners", async (int id, AddLearnersRequest body, AddLearners handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(id, body, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminPolicy);
        sessions.MapPost("/{id:int}/learners/status", async (int id, UpdateLearnerStatusRequest body, UpdateLearnerStatus handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(id, body, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminPolicy);
        sessions.MapPost("/{id:int}/learners/copy", async (int id, CopyLearnersRequest body, CopyLearners handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(id, body, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminPolicy);
        sessions.MapPost("/{id:int}/learners/import", async Task<IResult> (int id, IFormFile? file, ImportLearners handler, ClaimsPrincipal user, bool? preview, CancellationToken ct) =>
        {
            if (file is null || file.Length == 0)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send the file as multipart form data in a field named \"file\"."] });
            }

            if (file.Length > SpreadsheetRows.MaxFileBytes)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is larger than 10 MB."] });
            }

            await using var stream = file.OpenReadStream();
            var outcome = await handler.HandleAsync(id, stream, file.FileName, commit: preview != true, CurrentUser.From(user), ct);
            return outcome.ToHttp(r => TypedResults.Ok(new { r.Added, r.Skipped, r.Rows, r.Committed }));
        }).RequireAuthorization(AdminPolicy).DisableAntiforgery();
        sessions.MapGet("/{id:int}/learners/export", async (int id, string? ids, ExportLearners handler, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var wanted = new List<int>();
            foreach (var part in (ids ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var learnerId))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = [$"'{part}' is not a learner id; use ids=1,2,3."] });
                }

                wanted.Add(learnerId);
            }

            var outcome = await handler.HandleAsync(id, wanted, CurrentUser.From(user), ct);
            return outcome.ToHttp(file => TypedResults.File(file.OpenRead(), ExportFile.ContentType, file.FileName));
        }).RequireAuthorization(AdminPolicy);
        sessions.MapGet("/{id:int}/learners/{learnerId:int}/history", async (int id, int learnerId, RosterQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            (await queries.HistoryAsync(id, learnerId, CurrentUser.From(user), ct)).ToHttp(h => TypedResults.Ok(h.Select(e => new
            {
                e.From,
                e.To,
                Trigger = e.Trigger.ToString(),
                e.Actor,
                e.ActorKind,
                e.At,
                e.Note,
                e.Cause,
            }))))
            .RequireAuthorization(AdminOrTrainerPolicy);

        sessions.MapPost("/{id:int}/emails", async (int id, SendEmailsRequest body, SendEmails handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(id, body, CurrentUser.From(user), cancellationToken: ct)).ToHttp())
            .RequireAuthorization(AdminPolicy).WithTags("Emails");
        api.MapGet("/outbox", async (int? sessionId, string? to, EmailType? type, int? take, OutboxQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            (await queries.ListAsync(sessionId, to, type, take ?? 200, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminPolicy).WithTags("Emails");

        api.MapInboundEmail();
        api.MapGet("/calendar-replies", async (bool? needsAttention, int? take, CalendarReplyQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            (await queries.ListAsync(needsAttention == true, take ?? 200, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminPolicy).WithTags("Emails");

        sessions.MapPost("/{id:int}/attendance", async (int id, AttendanceRequest body, MarkAttendance handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(id, body.LearnerId, body.Attended, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminOrTrainerPolicy).WithTags("Attendance");
        sessions.MapPost("/{id:int}/go-show", async (int id, GoShowRequest body, AddGoShow handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(id, body, CurrentUser.From(user), ct)).ToHttp())
            .RequireAuthorization(AdminOrTrainerPolicy).WithTags("Attendance");

        var me = api.MapGroup("/me").WithTags("Learner").RequireAuthorization(LearnerPolicy);
        me.MapGet("/sessions", async (MySessions handler, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(CurrentUser.From(user), ct)));
        me.MapGet("/sessions/{id:int}/forms/{kind}", async Task<IResult> (int id, string kind, FillForm handler, ClaimsPrincipal user, CancellationToken ct) =>
            FormKinds.TryParse(kind, out var formKind)
                ? (await handler.ReadAsync(id, formKind, CurrentUser.From(user), ct)).ToHttp()
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["Use registration or feedback."] }));
        me.MapPost("/registrations", async (RegistrationRequest body, RegisterLearner handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(body.SessionId, CurrentUser.From(user), body.Answers is null ? null : new Dictionary<string, string>(body.Answers), ct)).ToHttp(r => TypedResults.Ok(new { r.Learner.Id, r.Learner.Status, r.Learner.WaitingListPosition, r.Learner.SeatOfferExpiresAt, r.Message, Learner = r.Learner })));
        me.MapDelete("/registrations/{sessionId:int}", async (int sessionId, CancelRegistration handler, ClaimsPrincipal user, CancellationToken ct) =>
            (await handler.HandleAsync(sessionId, CurrentUser.From(user), ct)).ToHttp(r => TypedResults.Ok(new { r.Learner.Id, r.Learner.Status, r.Message, Learner = r.Learner })));
    }
}

/// <summary>Bad JSON or parameters become a 400 problem whose detail says what was wrong.</summary>
/// <summary>
/// Every failure of an <c>/api</c> call answers <c>application/problem+json</c> (RFC 7807) with a title that says what
/// happened and no stack trace: a body it could not read is 400, a full disk 507, anything else 500 with the trace id
/// to find it in the log. Pages keep the error page.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails) : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    /// <summary>ENOSPC on Linux, ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.</summary>
    private static readonly int[] DiskFull = [28, unchecked((int)0x80070070), unchecked((int)0x80070027)];

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has already switched Request.Path to the error page's path; the feature keeps the original.
        var path = httpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path.Value;
        if (!new PathString(path).StartsWithSegments("/api"))
        {
            return false;
        }

        var traceId = System.Diagnostics.Activity.Current?.Id ?? httpContext.TraceIdentifier;
        var (status, title, detail) = exception switch
        {
            // A domain rule the handler did not turn into a field error still says what is wrong, as a refusal.
            DomainException rule => (StatusCodes.Status400BadRequest, "The request is not valid", rule.Message),
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read",
                (bad.InnerException?.Message ?? bad.Message) + " Check the JSON body and the names of enums (e.g. \"Registered\", \"Ready\")."),
            IOException io when DiskFull.Contains(io.HResult) || io.InnerException is IOException { HResult: 28 } => (StatusCodes.Status507InsufficientStorage,
                "The server's disk is full", "Nothing was saved. Try again once an operator has freed space; the request id is " + traceId + "."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on the server",
                "The request was not completed; if it changed anything, it was rolled back. Report the request id " + traceId + " to an operator."),
        };
        // The exception handler middleware has logged the exception with the same trace id.
        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = null,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["traceId"] = traceId } },
        });
    }
}
