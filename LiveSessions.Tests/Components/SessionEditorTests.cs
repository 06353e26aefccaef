using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Courses;
using LiveSessions.Web.Features.Sessions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LiveSessions.Tests.Components;

/// <summary>The session form's approver settings: the levels up the org chart for a Hierarchic Manager approval.</summary>
[Collection(AppCollection.Name)]
public sealed class SessionEditorTests : MudComponentTest
{
    private const string Levels = "Levels up the org chart";

    public SessionEditorTests(AppFixture app)
        : base(app)
    {
        AddAuthorization().SetAuthorized(AppFixture.Admin.Email).SetRoles(Web.Features.Shared.Roles.Admin);
        Services.AddScoped<UserAccessor>();
        Services.AddSingleton(app.Get<SaveSession>());
        Services.AddSingleton(app.Get<CourseCatalog>());
    }

    [Fact]
    public async Task The_levels_show_for_a_Hierarchic_Manager_approval_and_are_saved()
    {
        var session = await App.NewSessionAsync(capacity: 5, approval: true, status: SessionStatus.Draft, approvalFlow: ApprovalFlow.HierarchicManager, approvalLevels: 3);

        var cut = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<SessionEditor>(1);
            builder.AddComponentParameter(2, nameof(SessionEditor.Id), session.Id);
            builder.CloseComponent();
        });
        cut.WaitForAssertion(() => Assert.Equal("3", cut.TextField(Levels).GetAttribute("value")), MudSteps.Wait);
        Assert.Contains("2 = the manager's manager", string.Concat(cut.Nodes.Select(n => n.TextContent)), StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.TextField(Levels).Change("5"));
        await cut.ClickAsync("Save changes");

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith($"/sessions/{session.Id}", navigation.Uri, StringComparison.Ordinal), MudSteps.Wait);
        Assert.Equal(5, (await ViewAsync(session.Id)).ApprovalLevels);

        await cut.PickAsync("Approver", "Direct Manager");
        cut.WaitForAssertion(() => Assert.DoesNotContain(cut.FindAll("label"), l => l.TextContent.Trim() == Levels), MudSteps.Wait);
    }
}
