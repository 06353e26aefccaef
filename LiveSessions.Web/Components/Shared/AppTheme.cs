using MudBlazor;

namespace LiveSessions.Web.Components.Shared;

/// <summary>
/// The one theme of every layout. Each colour used for text, outlines or chips on white (and for white text on it)
/// has a contrast of at least 4.5:1 (WCAG 2.1 AA): MudBlazor's defaults for success (2.2:1), warning (2.2:1),
/// error (3.7:1) and info (3.1:1) do not.
/// </summary>
public static class AppTheme
{
    public static MudTheme Value { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00796b",
            Tertiary = "#6a1b9a",
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#a15c00",
            Error = "#c62828",
            AppbarBackground = "#283593",
            TextSecondary = "#616161",
            ActionDisabled = "#757575",
        },
    };
}
