using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Bunit;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Persistence;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LiveSessions.Tests.Components;

/// <summary>The Employees page shows who each person reports to, all the way up the org chart.</summary>
[Collection(AppCollection.Name)]
public sealed class EmployeesPageTests : MudComponentTest
{
    public EmployeesPageTests(AppFixture app)
        : base(app)
    {
        AddAuthorization().SetAuthorized(AppFixture.Admin.Email).SetRoles(Web.Features.Shared.Roles.Admin);
        Services.AddScoped<UserAccessor>();
    }

    [Fact]
    public async Task Each_person_shows_their_management_chain_nearest_manager_first()
    {
        var chain = await App.NewChainAsync("Carl CEO", "Dana Head", "Eve Worker");
        var (eve, dana, carl) = (chain[0], chain[1], chain[2]);

        var cut = await RenderSearchingAsync(Tag(eve), rows: 3);

        Assert.Equal([dana.Name, carl.Name], ChainOf(cut, eve.Name));
        Assert.Equal($"{dana.Name} → {carl.Name}", Text(ReportsTo(cut, eve.Name), skip: ".sr-only"));
        Assert.Equal($"{dana.Name}, who reports to {carl.Name}", Text(ReportsTo(cut, eve.Name), skip: "[aria-hidden=true]"));
        Assert.Equal([carl.Name], ChainOf(cut, dana.Name));
        Assert.Empty(ChainOf(cut, carl.Name));
        Assert.Equal("Nobody (top of the org chart)", ReportsTo(cut, carl.Name).TextContent.Trim());
        Assert.Contains(cut.FindAll("th"), th => th.TextContent.Trim() == "Reports to");
    }

    [Fact]
    public async Task A_loop_in_the_org_chart_lists_each_manager_once()
    {
        // Ann → Ben → Cat, then Cat → Ann written straight to the database (the directory's own forms refuse a loop).
        var chain = await App.NewChainAsync("Ann Loop", "Ben Loop", "Cat Loop");
        var (cat, ben, ann) = (chain[0], chain[1], chain[2]);
        await using (var db = await App.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct))
        {
            var top = await db.Employees.SingleAsync(e => e.Id == ann.Id, Ct);
            top.SetManagerId(cat.Id);
            await db.SaveChangesAsync(Ct);
        }

        var cut = await RenderSearchingAsync(Tag(ann), rows: 3);

        Assert.Equal([ben.Name, ann.Name], ChainOf(cut, cat.Name));
        Assert.Equal([cat.Name, ben.Name], ChainOf(cut, ann.Name));
        Assert.Equal([ann.Name, cat.Name], ChainOf(cut, ben.Name));
    }

    /// <summary>The page with <paramref name="search"/> typed in its search box, once it lists <paramref name="rows"/> people.</summary>
    private async Task<IRenderedComponent<IComponent>> RenderSearchingAsync(string search, int rows)
    {
        var cut = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<EmployeesPage>(2);
            builder.CloseComponent();
        });
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=reports-to]")), MudSteps.Wait);
        await cut.TypeAsync("Search name, email or department", search);
        cut.WaitForAssertion(() => Assert.Equal(rows, cut.FindAll("[data-testid=reports-to]").Count), MudSteps.Wait);
        return cut;
    }

    /// <summary>The unique tag <see cref="TestData.NewChainAsync"/> gives the names of one chain.</summary>
    private static string Tag(EmployeeRow person) => person.Name.Split(' ')[^1];

    /// <summary>The text of <paramref name="cell"/> without the parts <paramref name="skip"/> selects: what the eye sees (no .sr-only) or a screen reader reads (no aria-hidden).</summary>
    private static string Text(IElement cell, string skip)
    {
        var copy = (IElement)cell.Clone();
        foreach (var hidden in copy.QuerySelectorAll(skip).ToList())
        {
            hidden.Remove();
        }

        return Regex.Replace(copy.TextContent, @"\s+", " ").Trim().Replace(" ,", ",", StringComparison.Ordinal);
    }

    private static IElement ReportsTo(IRenderedComponent<IComponent> cut, string name) =>
        cut.FindAll("tr").Single(tr => tr.QuerySelector("td")?.TextContent.Trim() == name).QuerySelector("[data-testid=reports-to]")!;

    private static IReadOnlyList<string> ChainOf(IRenderedComponent<IComponent> cut, string name) =>
        ReportsTo(cut, name).QuerySelectorAll("[data-testid=manager-in-chain]").Select(e => e.TextContent.Trim()).ToList();
}
