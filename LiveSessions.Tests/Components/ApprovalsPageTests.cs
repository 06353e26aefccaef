using AngleSharp.Dom;
using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Registration;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LiveSessions.Tests.Components;

/// <summary>The approvals page as an admin sees it: who each request is routed to, and a flag where nobody is found.</summary>
[Collection(AppCollection.Name)]
public sealed class ApprovalsPageTests : MudComponentTest
{
    public ApprovalsPageTests(AppFixture app)
        : base(app)
    {
        AddAuthorization().SetAuthorized(AppFixture.Admin.Email).SetRoles(Web.Features.Shared.Roles.Admin);
        Services.AddScoped<UserAccessor>();
        Services.AddSingleton(app.Get<PendingApprovals>());
        Services.AddSingleton(app.Get<DecideApproval>());
    }

    [Fact]
    public async Task A_request_nobody_up_the_org_chart_can_approve_is_flagged_for_the_admins()
    {
        var routed = await App.NewChainAsync("Grand Boss", "Boss", "Asker");
        var alone = (await App.NewChainAsync("Loner"))[0];
        var session = await App.NewSessionAsync(capacity: 5, approval: true, approvalFlow: ApprovalFlow.HierarchicManager);
        await RegisterAsync(session.Id, [routed[0].Email, alone.Email]);

        var cut = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<ApprovalsPage>(1);
            builder.CloseComponent();
        });
        cut.WaitForAssertion(() => Assert.NotNull(Card(cut, alone.Name)), MudSteps.Wait);

        Assert.Equal("Nobody up the org chart can approve this request: it is for the admins to decide.", Card(cut, alone.Name)!.QuerySelector("[data-testid=no-approver]")?.TextContent.Trim());
        var asker = Card(cut, routed[0].Name)!;
        Assert.Null(asker.QuerySelector("[data-testid=no-approver]"));
        Assert.Equal($"Approver: {routed[2].Name}", asker.QuerySelector("[data-testid=approver]")?.TextContent.Trim());
    }

    private static IElement? Card(IRenderedComponent<IComponent> cut, string learnerName) =>
        cut.FindAll("[data-testid=approval-request]").SingleOrDefault(c => c.QuerySelector("h2")?.TextContent.Trim() == learnerName);
}
