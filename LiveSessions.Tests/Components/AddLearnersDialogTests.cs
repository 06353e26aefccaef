using Bunit;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Roster;

namespace LiveSessions.Tests.Components;

[Collection(AppCollection.Name)]
public sealed class AddLearnersDialogTests(AppFixture app) : MudComponentTest(app)
{
    [Fact]
    public async Task Employees_tab_adds_the_picked_employees_and_skips_one_already_in_the_session()
    {
        var session = await App.NewSessionAsync(capacity: 10);
        var people = await App.NewEmployeesAsync(3, "pick");
        var (newcomer, alreadyIn, present) = (people[0], people[1], people[2]);
        await RegisterAsync(session.Id, [present.Email]);
        Assert.True((await App.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([alreadyIn.Email]), AppFixture.Admin, Ct)).IsOk);

        var cut = await RenderCardAsync(session.Id);
        await cut.ClickAsync(c => c.Find("button[aria-label='Add learners']"));
        cut.WaitForElement("[role=dialog]", MudSteps.Wait);
        Assert.True(cut.Button("Add").IsDisabled());

        await cut.AutocompleteAsync("Search the directory", newcomer.Name, newcomer.Email);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"[aria-label='Picked {newcomer.Name}']")));
        await cut.AutocompleteAsync("Search the directory", alreadyIn.Email, alreadyIn.Email);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"[aria-label='Picked {alreadyIn.Name}']")));
        Assert.False(cut.Button("Add").IsDisabled());
        await cut.ClickAsync("Add");

        cut.WaitForAssertion(() => Assert.Equal("1 added, 1 skipped.", cut.TestId("add-result")), MudSteps.Wait);
        Assert.Contains($"{alreadyIn.Email}: {alreadyIn.Name} is already in this session (Not Invited).", cut.DialogText(), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[aria-label^='Picked ']"));

        // The card behind the dialog already shows the newcomer.
        cut.WaitForAssertion(() => Assert.Contains(newcomer.Name, cut.RowNames()), MudSteps.Wait);
        await cut.ClickAsync("Close");
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[role=dialog]"));
            Assert.Equal("Not Invited · 2", cut.TestId("count-NotInvited"));
            Assert.Equal("3 learners", cut.TestId("learner-total"));
        }, MudSteps.Wait);
    }

    [Fact]
    public async Task Department_tab_adds_everyone_in_the_department_and_skips_who_is_already_there()
    {
        var session = await App.NewSessionAsync(capacity: 10);
        var department = "Dept " + Guid.NewGuid().ToString("N")[..8];
        var members = new List<EmployeeRow>();
        for (var i = 0; i < 3; i++)
        {
            var created = await App.Get<EmployeeDirectory>().CreateAsync(
                new EmployeeFields($"member {i} {department}", $"member{i}.{department.Replace(' ', '-')}@test.example", department, null), AppFixture.Admin, Ct);
            Assert.True(created.IsOk, created.Message);
            members.Add(created.Value!);
        }

        await RegisterAsync(session.Id, [members[0].Email]);

        var cut = await RenderCardAsync(session.Id);
        await cut.ClickAsync(c => c.Find("button[aria-label='Add learners']"));
        cut.WaitForElement("[role=dialog]", MudSteps.Wait);
        await cut.TabAsync("Department");
        cut.WaitForAssertion(() => Assert.True(cut.Button("Add").IsDisabled()));

        await cut.PickAsync("Department", department);
        cut.WaitForAssertion(() => Assert.False(cut.Button("Add").IsDisabled()));
        await cut.ClickAsync("Add");

        cut.WaitForAssertion(() => Assert.Equal("2 added, 1 skipped.", cut.TestId("add-result")), MudSteps.Wait);
        Assert.Contains($"{members[0].Email}: {members[0].Name} is already in this session (Registered).", cut.DialogText(), StringComparison.Ordinal);

        await cut.ClickAsync("Close");
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[role=dialog]"));
            Assert.Equal(members.Select(m => m.Name).Order(StringComparer.Ordinal), cut.RowNames());
            Assert.Equal("Not Invited · 2", cut.TestId("count-NotInvited"));
        }, MudSteps.Wait);
    }
}
