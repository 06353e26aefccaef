using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using LiveSessions.Web.Features.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveSessions.Web.Features.Email;

/// <summary>
/// Signs in a mail provider that pushes inbound mail (POST /api/inbound-email) by the shared secret of
/// <c>InboundEmail:Secret</c>, sent in the <see cref="Header"/> header. No secret configured: nobody signs in this way.
/// The principal can do one thing, post inbound mail.
/// </summary>
public sealed class InboundEmailSecret(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "InboundEmailSecret";
    public const string Header = "X-LiveSessions-Inbound-Secret";
    public const string Claim = "livesessions:inbound-email";

    /// <summary>Shorter secrets are refused at startup's first use: a guessable one would let anyone answer for learners.</summary>
    public const int MinimumLength = 32;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var sent) || sent.Count != 1 || string.IsNullOrEmpty(sent[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var secret = configuration["InboundEmail:Secret"];
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return Task.FromResult(AuthenticateResult.Fail($"No inbound-email secret of at least {MinimumLength} characters is configured."));
        }

        // Compared as hashes in constant time: neither the length nor a prefix of the secret leaks through timing.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent[0]!)), SHA256.HashData(Encoding.UTF8.GetBytes(secret))))
        {
            return Task.FromResult(AuthenticateResult.Fail("The inbound-email secret is wrong."));
        }

        var identity = new ClaimsIdentity([new Claim(Claim, "true"), new Claim(ClaimTypes.Name, "inbound email")], Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme)));
    }
}

/// <summary>POST /api/inbound-email: a raw message (message/rfc822) pushed by a mail provider or posted by an admin.</summary>
public static class InboundEmailEndpoint
{
    public const string Policy = "api-inbound-email";
    public const string ContentType = "message/rfc822";

    /// <summary>Calendar replies are small; 10 MB leaves room for a reply that quotes an attachment.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    public static void AddInboundEmailPolicy(this Microsoft.AspNetCore.Authorization.AuthorizationOptions options) =>
        options.AddPolicy(Policy, p => p.AddAuthenticationSchemes(IdentityConstants.BearerScheme, InboundEmailSecret.Scheme)
            .RequireAssertion(c => c.User.IsInRole(Roles.Admin) || c.User.HasClaim(InboundEmailSecret.Claim, "true")));

    public static void MapInboundEmail(this IEndpointRouteBuilder api)
    {
        api.MapPost("/inbound-email", async Task<IResult> (HttpRequest request, CalendarReplies replies, CancellationToken ct) =>
        {
            if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), ContentType, StringComparison.OrdinalIgnoreCase))
            {
                return OutcomeHttp.Problem(StatusCodes.Status415UnsupportedMediaType, "Send the raw message",
                    $"The body must be one whole email, sent with Content-Type: {ContentType}.");
            }

            // Read whole but bounded: the parser never sees more than MaxBytes.
            using var body = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                if (body.Length + read > MaxBytes)
                {
                    return OutcomeHttp.Problem(StatusCodes.Status413PayloadTooLarge, "The message is too large", $"Inbound messages are limited to {MaxBytes / 1024 / 1024} MB.");
                }

                body.Write(buffer, 0, read);
            }

            MimeKit.MimeMessage message;
            try
            {
                body.Position = 0;
                message = await MimeKit.MimeMessage.LoadAsync(body, ct);
            }
            catch (FormatException ex)
            {
                return OutcomeHttp.Problem(StatusCodes.Status400BadRequest, "The message could not be read", ex.Message);
            }

            if (message.Headers.Count == 0)
            {
                return OutcomeHttp.Problem(StatusCodes.Status400BadRequest, "The message could not be read", "The body has no email headers.");
            }

            var receipt = await replies.ReceiveAsync(message, CalendarReplies.FromApi, ct);
            return TypedResults.Ok(receipt);
        }).RequireAuthorization(Policy).WithTags("Emails"); // The content type is checked inside, after authorization: not with Accepts, which answers 415 to anyone.
    }
}
