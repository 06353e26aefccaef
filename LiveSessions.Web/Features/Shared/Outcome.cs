namespace LiveSessions.Web.Features.Shared;

public enum OutcomeKind
{
    Ok,
    NotFound,
    Forbidden,
    Invalid,
    Conflict,
}

/// <summary>
/// What a feature handler answers, shared by the UI and the API: a value, or why not in words a person can read.
/// The API maps the kinds to 404/403/400/409 problem details; the UI shows the message.
/// </summary>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value, string? Message, IReadOnlyDictionary<string, string>? Errors = null)
{
    public bool IsOk => Kind == OutcomeKind.Ok;

    public static implicit operator Outcome<T>(T value) => new(OutcomeKind.Ok, value, null);

    public static implicit operator Outcome<T>(Failure failure) =>
        new(failure.Kind, default, failure.Message, failure.Errors);
}

/// <summary>A handler's refusal, convertible to any <see cref="Outcome{T}"/>.</summary>
public sealed record Failure(OutcomeKind Kind, string Message, IReadOnlyDictionary<string, string>? Errors = null)
{
    public static Failure NotFound(string what) => new(OutcomeKind.NotFound, $"{what} was not found.");

    public static Failure Forbidden(string message) => new(OutcomeKind.Forbidden, message);

    public static Failure Conflict(string message) => new(OutcomeKind.Conflict, message);

    public static Failure Invalid(IReadOnlyDictionary<string, string> errors) =>
        new(OutcomeKind.Invalid, "Some fields are not valid: " + string.Join(" ", errors.Values), errors);

    public static Failure Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string> { [field] = message });
}
