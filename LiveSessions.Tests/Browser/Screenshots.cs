using Microsoft.Playwright;

namespace LiveSessions.Tests.Browser;

/// <summary>Writes screenshots for the docs when UPDATE_DOCS=1, so a normal run leaves the tree untouched.</summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string fileName)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") != "1")
        {
            return;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveSessions.slnx")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir!.FullName, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, fileName), FullPage = true });
    }
}
