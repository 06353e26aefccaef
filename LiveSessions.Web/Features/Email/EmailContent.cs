using System.Text;

namespace LiveSessions.Web.Features.Email;

public sealed record EmailAction(string Label, string Url, bool Primary = true);

/// <summary>The session facts every email shows, already formatted in the session's time zone.</summary>
public sealed record SessionFacts(string Name, string When, string Location, string Trainer);

/// <summary>What one email says; rendered to HTML by <see cref="EmailMessage"/> and to plain text by <see cref="ToText"/>.</summary>
public sealed record EmailContent(
    string Subject,
    string Heading,
    string Greeting,
    IReadOnlyList<string> Paragraphs,
    SessionFacts Session,
    IReadOnlyList<EmailAction> Actions,
    string? Footer = null)
{
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(Greeting).AppendLine();
        foreach (var p in Paragraphs)
        {
            text.AppendLine(p).AppendLine();
        }

        text.AppendLine($"Session: {Session.Name}");
        text.AppendLine($"When: {Session.When}");
        if (Session.Location.Length > 0)
        {
            text.AppendLine($"Where: {Session.Location}");
        }

        if (Session.Trainer.Length > 0)
        {
            text.AppendLine($"Trainer: {Session.Trainer}");
        }

        foreach (var action in Actions)
        {
            text.AppendLine().AppendLine($"{action.Label}: {action.Url}");
        }

        if (Footer is not null)
        {
            text.AppendLine().AppendLine(Footer);
        }

        return text.ToString();
    }
}
