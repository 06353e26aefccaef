using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LiveSessions.Web.Features.Demo;

/// <summary>Tells a newcomer where the app is and how to sign in.</summary>
public static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var data = app.Services.GetRequiredService<DataDirectory>();
        var demo = app.Configuration.GetValue<bool?>("LiveSessions:SeedDemoData") ?? app.Environment.IsDevelopment();
        var lines = new List<string>
        {
            string.Empty,
            $"LiveSessions is running at {string.Join(", ", addresses)}",
            $"Data folder: {data.Path}",
        };
        if (demo)
        {
            lines.Add($"Demo sign-ins (password {DemoSeeder.Password}): {DemoSeeder.AdminEmail}, {DemoSeeder.TrainerEmail}, {DemoSeeder.ApproverEmail}, {DemoSeeder.LearnerEmail}, {DemoSeeder.NewJoinerEmail} (no manager)");
        }

        lines.Add(app.Environment.IsDevelopment()
            ? $"API reference: {addresses.FirstOrDefault()}/scalar"
            : "API reference: served at /scalar in Development only");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
