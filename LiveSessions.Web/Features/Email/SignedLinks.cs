using LiveSessions.Domain;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Email;

public enum LinkCheck
{
    Valid,
    Tampered,
    Expired,
    Used,
    Unknown,
}

/// <summary>
/// Email action links: the token is the link id protected for one purpose by ASP.NET Data Protection, with its
/// expiry inside; the EmailLink row makes it single-use. Nothing in the token can be changed without detection.
/// </summary>
public sealed class SignedLinks(IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector protector =
        protection.CreateProtector("LiveSessions.EmailLink.v1").ToTimeLimitedDataProtector();

    /// <summary>Adds the links of one email (used up together) and returns their tokens by purpose.</summary>
    public Dictionary<LinkPurpose, string> Create(LiveSessionsDbContext db, int sessionId, int learnerId, string recipient, DateTimeOffset expiresAt, params LinkPurpose[] purposes) =>
        Create(db, sessionId, learnerId, recipient, expiresAt, null, purposes);

    /// <summary>Adds the link that opens <paramref name="form"/> for the learner and returns its token.</summary>
    public string CreateFormLink(LiveSessionsDbContext db, int sessionId, int learnerId, string recipient, DateTimeOffset expiresAt, FormKind form) =>
        Create(db, sessionId, learnerId, recipient, expiresAt, form, [LinkPurpose.OpenForm])[LinkPurpose.OpenForm];

    private Dictionary<LinkPurpose, string> Create(LiveSessionsDbContext db, int sessionId, int learnerId, string recipient, DateTimeOffset expiresAt, FormKind? form, LinkPurpose[] purposes)
    {
        var group = Guid.NewGuid();
        var tokens = new Dictionary<LinkPurpose, string>();
        foreach (var purpose in purposes)
        {
            var link = new EmailLink { Id = Guid.NewGuid(), GroupId = group, Purpose = purpose, SessionId = sessionId, LearnerId = learnerId, Recipient = recipient, ExpiresAt = expiresAt, Form = form };
            db.EmailLinks.Add(link);
            tokens[purpose] = protector.Protect($"{link.Id:N}|{purpose}", expiresAt);
        }

        return tokens;
    }

    /// <summary>Reads a token without using it: the page shows what the link will do.</summary>
    public async Task<(LinkCheck Check, EmailLink? Link)> ReadAsync(LiveSessionsDbContext db, string token, CancellationToken cancellationToken)
    {
        string payload;
        try
        {
            payload = protector.Unprotect(token, out var expiration);
            if (expiration < clock.GetUtcNow())
            {
                return (LinkCheck.Expired, null);
            }
        }
        catch (System.Security.Cryptography.CryptographicException ex) when (ex.Message.Contains("expired", StringComparison.OrdinalIgnoreCase))
        {
            return (LinkCheck.Expired, null);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return (LinkCheck.Tampered, null);
        }
        catch (FormatException)
        {
            return (LinkCheck.Tampered, null);
        }

        var parts = payload.Split('|');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var id) || !Enum.TryParse<LinkPurpose>(parts[1], out var purpose))
        {
            return (LinkCheck.Tampered, null);
        }

        var link = await db.EmailLinks.FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (link is null || link.Purpose != purpose)
        {
            return (LinkCheck.Unknown, null);
        }

        if (link.UsedAt is not null)
        {
            return (LinkCheck.Used, link);
        }

        return link.ExpiresAt <= clock.GetUtcNow() ? (LinkCheck.Expired, link) : (LinkCheck.Valid, link);
    }

    /// <summary>Marks the link and its siblings used, in the caller's unit of work.</summary>
    public static async Task UseAsync(LiveSessionsDbContext db, EmailLink link, DateTimeOffset now, string outcome, CancellationToken cancellationToken)
    {
        var group = await db.EmailLinks.Where(l => l.GroupId == link.GroupId && l.UsedAt == null).ToListAsync(cancellationToken);
        foreach (var sibling in group)
        {
            sibling.UsedAt = now;
            sibling.Outcome = sibling.Id == link.Id ? outcome : $"Another link of the same email was used: {outcome}";
        }
    }
}
