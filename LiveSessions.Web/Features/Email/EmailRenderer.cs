using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace LiveSessions.Web.Features.Email;

/// <summary>Renders <see cref="EmailMessage"/> to an HTML string with Blazor's HtmlRenderer.</summary>
public sealed class EmailRenderer(IServiceScopeFactory scopes, ILoggerFactory loggerFactory)
{
    public async Task<string> RenderAsync(EmailContent content)
    {
        // HtmlRenderer needs scoped services (ComponentsActivitySource), so it is built from a scope.
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(EmailMessage.Content)] = content });
            var output = await renderer.RenderComponentAsync<EmailMessage>(parameters);
            return output.ToHtmlString();
        });
    }
}
