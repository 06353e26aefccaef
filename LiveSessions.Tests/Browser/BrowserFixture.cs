using LiveSessions.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LiveSessions.Tests.Browser;

/// <summary>One headless Debian Chromium per run, driving the real app on Kestrel.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public AppFixture App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // Playwright's assertions wait for their condition and end as soon as it holds; 5 s by default is too short a
        // ceiling for a loaded 2-core machine, so they get the suite's one ceiling.
        Assertions.SetDefaultExpectTimeout(Patience.CeilingMs);
        await App.InitializeAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(playwright);
    }

    /// <summary>Debian's Chromium, headless.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    /// <summary>A new page signed in through the login form, waiting until the circuit is interactive.</summary>
    public Task<IPage> SignInAsync(string email, string password = Web.Features.Demo.DemoSeeder.Password, ViewportSize? viewport = null) =>
        SignInAsync(Browser, App.BaseAddress, email, password, viewport);

    /// <summary>A new page of <paramref name="browser"/> signed in to the app at <paramref name="baseAddress"/>.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, Uri baseAddress, string email, string password = Web.Features.Demo.DemoSeeder.Password, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        return page;
    }

    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
