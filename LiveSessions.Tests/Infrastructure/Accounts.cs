using System.Text.RegularExpressions;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>Accounts and server-rendered forms for the security tests.</summary>
public static partial class Accounts
{
    /// <summary>The password of every account these helpers make.</summary>
    public const string Password = "Trainer!2026x";

    /// <summary>A fresh employee with an account in <paramref name="role"/>: its email and account id.</summary>
    public static async Task<(string Email, string Id)> NewAccountAsync(this AppFixture app, string role, string prefix = "account")
    {
        var employee = (await app.NewEmployeesAsync(1, prefix))[0];
        using var scope = app.Services.CreateScope();
        var user = await AccountSetup.EnsureUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), employee.Email, employee.Name, Password, role);
        return (employee.Email, user.Id);
    }

    /// <summary>The antiforgery token of a server-rendered form, as a browser would send it back.</summary>
    public static string AntiforgeryToken(string html) => System.Net.WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
