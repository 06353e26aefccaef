namespace LiveSessions.Web.Features.Shared;

/// <summary>Maps a handler's outcome to HTTP: RFC 7807 problem details whose detail says what to do.</summary>
public static class OutcomeHttp
{
    public static IResult ToHttp<T>(this Outcome<T> outcome, Func<T, IResult>? ok = null)
    {
        if (outcome.IsOk)
        {
            return ok is null ? TypedResults.Ok(outcome.Value) : ok(outcome.Value!);
        }

        return outcome.Kind switch
        {
            OutcomeKind.Invalid => TypedResults.ValidationProblem(
                // Fields are named as in the JSON body (camelCase), e.g. "maxCapacity".
                (outcome.Errors ?? new Dictionary<string, string>()).ToDictionary(e => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => new[] { e.Value }),
                detail: outcome.Message,
                title: "The request is not valid"),
            OutcomeKind.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", outcome.Message),
            OutcomeKind.Forbidden => Problem(StatusCodes.Status403Forbidden, "Not allowed", outcome.Message),
            _ => Problem(StatusCodes.Status409Conflict, "Refused by a rule", outcome.Message),
        };
    }

    public static IResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
