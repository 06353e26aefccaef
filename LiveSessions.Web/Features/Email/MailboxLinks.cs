using System.Text.RegularExpressions;

namespace LiveSessions.Web.Features.Email;

/// <summary>
/// An email's links act for the person it was sent to and nobody else (SPEC). Once emails really go out (an SMTP
/// server is configured), the Mailbox shows their links as disabled text: an admin reading it must not be able to
/// answer an invitation or approve a registration as someone else. Without SMTP (the demo), the Mailbox is the only
/// way to follow them, so they stay live.
/// </summary>
public static partial class MailboxLinks
{
    public const string Removed = "[link only in the recipient's email]";

    public static string DisableInHtml(string html) =>
        TokenUrl().Replace(TokenAnchor().Replace(html, m => $"<span aria-disabled=\"true\" title=\"{Removed}\" style=\"color:#6b7280;text-decoration:line-through\">{m.Groups["text"].Value}</span>"), Removed);

    public static string DisableInText(string text) => TokenUrl().Replace(text, Removed);

    // An anchor whose address is a token page, and any such address left in the text.
    [GeneratedRegex("""<a\b[^>]*\bhref\s*=\s*["'][^"']*/(?:l|attendance)/[^"']+["'][^>]*>(?<text>.*?)</a>""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TokenAnchor();

    [GeneratedRegex("""(?:https?://[^\s"'<>]*)?/(?:l|attendance)/[A-Za-z0-9_\-\.~%]+(?:/form)?""", RegexOptions.IgnoreCase)]
    private static partial Regex TokenUrl();
}
