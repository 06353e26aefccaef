using LiveSessions.Domain;
using LiveSessions.Web.Features.Shared;
using MudBlazor;

namespace LiveSessions.Web.Features.Forms;

/// <summary>Opens the form builder the same way from the session page and the course list.</summary>
public static class FormDialogs
{
    /// <summary>True when the admin saved or removed the form.</summary>
    public static async Task<bool> EditAsync(this IDialogService dialogs, FormOwner owner, FormKind kind, string ownerTitle, CurrentUser user)
    {
        var parameters = new DialogParameters<FormBuilderDialog> { { d => d.Owner, owner }, { d => d.Kind, kind }, { d => d.User, user } };
        var dialog = await dialogs.ShowAsync<FormBuilderDialog>($"{kind.Display()} · {ownerTitle}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        return result is { Canceled: false };
    }
}
