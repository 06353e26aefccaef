using Bunit;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveSessions.Tests.Components;

[Collection(AppCollection.Name)]
public sealed class LearnersCardTests(AppFixture app) : MudComponentTest(app)
{
    private const string PageCheckBox = "Select the learners of this page";

    [Fact]
    public async Task Row_and_page_checkboxes_select_the_learners_of_the_page_and_select_all_takes_every_page()
    {
        var session = await App.NewSessionAsync(capacity: 100);
        var people = await App.NewEmployeesAsync(55, "sel");
        var added = await App.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest(EmployeeIds: people.Select(p => p.Id).ToList()), AppFixture.Admin, Ct);
        Assert.True(added.IsOk, added.Message);

        var cut = await RenderCardAsync(session.Id);
        Assert.Equal(50, cut.RowNames().Count);
        Assert.Equal("0 selected", cut.SelectionCount());
        Assert.True(cut.Button("Clear selection").IsDisabled());

        var first = people.Select(p => p.Name).Order(StringComparer.Ordinal).First();
        await cut.TickAsync($"Select {first}");
        cut.WaitForAssertion(() => Assert.Equal("1 selected", cut.SelectionCount()));
        Assert.True(cut.CheckBox($"Select {first}").IsChecked());
        Assert.False(cut.Button("Clear selection").IsDisabled());

        await cut.TickAsync($"Select {first}", on: false);
        cut.WaitForAssertion(() => Assert.Equal("0 selected", cut.SelectionCount()));
        Assert.False(cut.CheckBox($"Select {first}").IsChecked());

        // The header checkbox takes the 50 learners on screen, not the 5 on the next page.
        await cut.TickAsync(PageCheckBox);
        cut.WaitForAssertion(() => Assert.Equal("50 selected", cut.SelectionCount()));
        Assert.All(cut.RowNames(), name => Assert.True(cut.CheckBox($"Select {name}").IsChecked()));
        await cut.TickAsync(PageCheckBox, on: false);
        cut.WaitForAssertion(() => Assert.Equal("0 selected", cut.SelectionCount()));

        await cut.ClickAsync("Select all 55");
        cut.WaitForAssertion(() => Assert.Equal("55 selected", cut.SelectionCount()), MudSteps.Wait);

        await cut.ClickAsync("Clear selection");
        cut.WaitForAssertion(() => Assert.Equal("0 selected", cut.SelectionCount()));
        Assert.All(cut.RowNames(), name => Assert.False(cut.CheckBox($"Select {name}").IsChecked()));
        Assert.True(cut.Button("Clear selection").IsDisabled());
    }

    [Fact]
    public async Task Search_filters_the_rows_on_the_server_and_select_all_takes_only_the_matches()
    {
        var session = await App.NewSessionAsync(capacity: 10);
        var people = await App.NewEmployeesAsync(3, "find");
        await RegisterAsync(session.Id, people.Select(p => p.Email));

        var cut = await RenderCardAsync(session.Id);
        Assert.Equal(people.Select(p => p.Name).Order(StringComparer.Ordinal), cut.RowNames());
        Assert.NotNull(cut.Button("Select all 3"));

        await cut.TypeAsync("Search name, email or department", people[1].Email);
        cut.WaitForAssertion(() => Assert.Equal(new[] { people[1].Name }, cut.RowNames()), MudSteps.Wait);
        await cut.ClickAsync("Select all 1");
        cut.WaitForAssertion(() => Assert.Equal("1 selected", cut.SelectionCount()), MudSteps.Wait);

        await cut.TypeAsync("Search name, email or department", "nobody-matches-this");
        cut.WaitForAssertion(() => Assert.Contains("No learner matches.", cut.Markup, StringComparison.Ordinal), MudSteps.Wait);
        Assert.Empty(cut.RowNames());
        Assert.True(cut.Button("Select all 0").IsDisabled());
        Assert.Equal("1 selected (1 hidden by the filter)", cut.SelectionCount());
    }

    [Fact]
    public async Task Status_chip_shows_only_the_learners_in_that_status_and_a_second_click_shows_everyone()
    {
        var session = await App.NewSessionAsync(capacity: 2, waitingList: true);
        var people = await App.NewEmployeesAsync(3, "chip");
        await RegisterAsync(session.Id, people.Select(p => p.Email));

        var cut = await RenderCardAsync(session.Id);
        Assert.Equal("Registered · 2", cut.TestId("count-Registered"));
        Assert.Equal("Waiting List · 1", cut.TestId("count-WaitingList"));

        await cut.ClickAsync(c => c.Find("[data-testid=count-WaitingList]"));
        cut.WaitForAssertion(() => Assert.Equal(new[] { people[2].Name }, cut.RowNames()), MudSteps.Wait);
        Assert.NotNull(cut.Button("Select all 1"));
        Assert.Contains("Status: Waiting List", cut.Find("a[aria-label^='Open ']").Closest("tr")!.InnerHtml, StringComparison.Ordinal);

        await cut.ClickAsync(c => c.Find("[data-testid=count-Registered]"));
        cut.WaitForAssertion(() => Assert.Equal(new[] { people[0].Name, people[1].Name }, cut.RowNames()), MudSteps.Wait);

        await cut.ClickAsync(c => c.Find("[data-testid=count-Registered]"));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.RowNames().Count), MudSteps.Wait);
        Assert.NotNull(cut.Button("Select all 3"));
    }

    [Fact]
    public async Task A_change_committed_elsewhere_shows_on_the_card_and_warns_about_a_selected_learner()
    {
        var session = await App.NewSessionAsync(capacity: 10);
        var people = await App.NewEmployeesAsync(3, "live");
        await RegisterAsync(session.Id, people.Take(2).Select(p => p.Email));

        var cut = await RenderCardAsync(session.Id);
        Assert.Equal("2 taken · 0 held · 8 free of 10", cut.TestId("card-seats"));
        await cut.TickAsync($"Select {people[0].Name}");
        cut.WaitForAssertion(() => Assert.Equal("1 selected", cut.SelectionCount()));

        await RegisterAsync(session.Id, [people[2].Email]);
        cut.WaitForAssertion(() => Assert.Contains(people[2].Name, cut.RowNames()), MudSteps.Wait);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("3 learners", cut.TestId("learner-total"));
            Assert.Equal("3 taken · 0 held · 7 free of 10", cut.TestId("card-seats"));
            Assert.Equal("Registered · 3", cut.TestId("count-Registered"));
            Assert.Equal("30 %", cut.TestId("card-fill-rate"));
        }, MudSteps.Wait);

        var cancelled = await App.Get<CancelRegistration>().HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), Ct);
        Assert.True(cancelled.IsOk, cancelled.Message);
        cut.WaitForAssertion(() =>
        {
            var notice = cut.TestId("changed-notice");
            Assert.Contains($"{people[0].Name} was just changed by", notice, StringComparison.Ordinal);
            Assert.Contains("(now Cancelled)", notice, StringComparison.Ordinal);
            Assert.Equal("Cancelled · 1", cut.TestId("count-Cancelled"));
            Assert.Equal("2 taken · 0 held · 8 free of 10", cut.TestId("card-seats"));
        }, MudSteps.Wait);
        Assert.Equal("1 selected", cut.SelectionCount());
    }

    [Fact]
    public async Task Until_the_first_page_arrives_the_card_shows_placeholder_rows_not_an_empty_roster()
    {
        var session = await App.NewSessionAsync(capacity: 10);
        var people = await App.NewEmployeesAsync(3, "wait");
        await RegisterAsync(session.Id, people.Select(p => p.Email));

        // The card's reads wait at the door until the test lets them through: the first page is held, deterministically.
        var door = new HeldDoor(App.Get<IDbContextFactory<LiveSessionsDbContext>>());
        Services.AddSingleton(new RosterPage(door));
        var cut = RenderCard(await ViewAsync(session.Id));

        cut.WaitForElement("[data-testid=roster-loading]", MudSteps.Wait);
        Assert.Equal("3 learners", cut.TestId("learner-total"));
        Assert.DoesNotContain("No learner matches", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("0-0 of 0", cut.Markup, StringComparison.Ordinal);
        Assert.True(cut.Button("Select all").IsDisabled());
        Assert.Empty(cut.RowNames());

        door.Open();
        cut.WaitForAssertion(() => Assert.Equal(people.Select(p => p.Name).Order(StringComparer.Ordinal), cut.RowNames()), MudSteps.Wait);
        Assert.Empty(cut.FindAll("[data-testid=roster-loading]"));
        Assert.NotNull(cut.Button("Select all 3"));
        Assert.Contains("1-3 of 3", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_selected_learner_the_filter_hides_is_counted_as_hidden_and_the_bulk_action_says_so()
    {
        var session = await App.NewSessionAsync(capacity: 1, waitingList: true);
        var people = await App.NewEmployeesAsync(2, "hide");
        await RegisterAsync(session.Id, people.Select(p => p.Email));
        var (registered, waiting) = (people[0], people[1]);

        var cut = await RenderCardAsync(session.Id);
        await cut.TickAsync($"Select {registered.Name}");
        cut.WaitForAssertion(() => Assert.Equal("1 selected", cut.SelectionCount()));

        // Filtering on the waiting list hides the selected Registered learner.
        await cut.ClickAsync(c => c.Find("[data-testid=count-WaitingList]"));
        cut.WaitForAssertion(() => Assert.Equal(new[] { waiting.Name }, cut.RowNames()), MudSteps.Wait);
        cut.WaitForAssertion(() => Assert.Equal("1 selected (1 hidden by the filter)", cut.SelectionCount()), MudSteps.Wait);

        // Selecting a visible learner too: two selected, one of them hidden, and Update Status says so before it runs.
        await cut.TickAsync($"Select {waiting.Name}");
        cut.WaitForAssertion(() => Assert.Equal("2 selected (1 hidden by the filter)", cut.SelectionCount()));
        await cut.ChooseActionAsync("Update Status");
        Assert.Equal("The change applies to 2 selected learners.", cut.TestId("applies-to"));
        Assert.Equal("1 of the selected learners is hidden by the filter on the roster and will be included.", Normalize(cut.TestId("hidden-selection")));
        await cut.ClickAsync("Cancel");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[role=dialog]")), MudSteps.Wait);

        // "Unselect hidden" keeps only what the admin sees.
        await cut.ClickAsync("Unselect hidden");
        cut.WaitForAssertion(() => Assert.Equal("1 selected", cut.SelectionCount()));
        Assert.True(cut.CheckBox($"Select {waiting.Name}").IsChecked());

        // With the filter off nobody is hidden.
        await cut.ClickAsync(c => c.Find("[data-testid=count-WaitingList]"));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.RowNames().Count), MudSteps.Wait);
        Assert.Equal("1 selected", cut.SelectionCount());
        Assert.False(cut.CheckBox($"Select {registered.Name}").IsChecked());
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>A context factory whose contexts are handed out only once the door is opened.</summary>
    private sealed class HeldDoor(IDbContextFactory<LiveSessionsDbContext> inner) : IDbContextFactory<LiveSessionsDbContext>
    {
        private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => open.TrySetResult();

        public LiveSessionsDbContext CreateDbContext() => throw new InvalidOperationException("The card reads asynchronously.");

        public async Task<LiveSessionsDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            await open.Task.WaitAsync(cancellationToken);
            return await inner.CreateDbContextAsync(cancellationToken);
        }
    }
}
