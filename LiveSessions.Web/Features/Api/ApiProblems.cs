namespace LiveSessions.Web.Features.Api;

/// <summary>
/// Problems the framework writes itself (401 and 403 from sign-in and roles, 404 and 405 for unknown routes, a body
/// it could not read, a validation problem without a summary) get a detail in plain words too, as API.md promises.
/// </summary>
public static class ApiProblems
{
    public static void Describe(ProblemDetailsOptions options) =>
        options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (!string.IsNullOrWhiteSpace(problem.Detail))
            {
                return;
            }

            problem.Detail = problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation
                ? "Some fields are not valid: " + string.Join(" ", validation.Errors.SelectMany(e => e.Value))
                : problem.Status switch
                {
                    StatusCodes.Status400BadRequest => "The request could not be read: check the JSON body, the parameters and the names of enums (e.g. \"Registered\", \"Ready\").",
                    StatusCodes.Status401Unauthorized => "Sign in first: send \"Authorization: Bearer <accessToken>\" with a token from POST /api/auth/login (it may have expired; refresh or sign in again).",
                    StatusCodes.Status403Forbidden => "Your account's role may not make this call; API.md lists who may call each route.",
                    StatusCodes.Status404NotFound => "There is no such route or resource; check the URL and the ids.",
                    StatusCodes.Status405MethodNotAllowed => $"This route does not accept {context.HttpContext.Request.Method}; check the verb against API.md.",
                    _ => problem.Detail,
                };
        };
}
