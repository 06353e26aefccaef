using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using LiveSessions.Web.Features.Shared;

namespace LiveSessions.Web.Features.Roster;

/// <summary>
/// Exports the Learners card wrote off its circuit, waiting for their owner's browser to download them: each by an
/// unguessable token, once, within a few minutes. The card shows the export's progress while it is written and only
/// then hands the browser a link, so a roster of thousands never looks stuck behind a download that has not begun.
/// </summary>
public sealed class PreparedExports(TimeProvider clock) : IDisposable
{
    /// <summary>Long enough for a slow browser to start the download; short enough that a forgotten file goes soon.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Prepared> waiting = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="file"/>, of session <paramref name="sessionId"/>, for <paramref name="owner"/> and returns the token that downloads it.</summary>
    public string Keep(int sessionId, ExportFile file, CurrentUser owner)
    {
        DropExpired();
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        waiting[token] = new Prepared(sessionId, file, owner.Email, clock.GetUtcNow() + Lifetime);
        return token;
    }

    /// <summary>
    /// The export behind <paramref name="token"/>, handed over once and only to the admin it was written for; anyone
    /// else learns nothing about it, not even that it exists, and cannot use it up.
    /// </summary>
    public Outcome<ExportFile> Take(int sessionId, string token, CurrentUser user)
    {
        if (!user.IsAdmin
            || !waiting.TryGetValue(token, out var prepared)
            || prepared.SessionId != sessionId
            || !string.Equals(prepared.Owner, user.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Failure.NotFound("The export");
        }

        if (!waiting.TryRemove(new KeyValuePair<string, Prepared>(token, prepared)))
        {
            // Another request took it a moment ago: a download link works once.
            return Failure.NotFound("The export");
        }

        if (prepared.ExpiresAt <= clock.GetUtcNow())
        {
            Delete(prepared.File);
            return Failure.NotFound("The export");
        }

        return prepared.File;
    }

    public void Dispose()
    {
        foreach (var token in waiting.Keys)
        {
            if (waiting.TryRemove(token, out var prepared))
            {
                Delete(prepared.File);
            }
        }
    }

    private void DropExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var (token, prepared) in waiting)
        {
            if (prepared.ExpiresAt <= now && waiting.TryRemove(new KeyValuePair<string, Prepared>(token, prepared)))
            {
                Delete(prepared.File);
            }
        }
    }

    private static void Delete(ExportFile file)
    {
        try
        {
            File.Delete(file.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary folder is cleaned by the system as well; a file in use now is not worth failing a request.
        }
    }

    private sealed record Prepared(int SessionId, ExportFile File, string Owner, DateTimeOffset ExpiresAt);
}
