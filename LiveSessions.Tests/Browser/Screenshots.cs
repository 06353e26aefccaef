using Microsoft.Playwright;

namespace LiveSessions.Tests.Browser;

/// <summary>Writes screenshots for the docs when UPDATE_DOCS=1, so a normal run leaves the tree untouched.</summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string fileName)
    {
        if (Folder() is { } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, fileName), FullPage = true });
        }
    }

    /// <summary>One part of a page (a card).</summary>
    public static async Task SaveAsync(ILocator part, string fileName)
    {
        if (Folder() is { } folder)
        {
            await part.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, fileName) });
        }
    }

    private static string? Folder()
    {
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") != "1")
        {
            return null;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveSessions.slnx")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir!.FullName, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
