using Bunit;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Roster;

namespace LiveSessions.Tests.Components;

/// <summary>Dialogs say what is true now: errors on their fields and gone once fixed, results where they came from, identical reasons once.</summary>
[Collection(AppCollection.Name)]
public sealed class HonestDialogsTests(AppFixture app) : MudComponentTest(app)
{
    [Fact]
    public async Task A_missing_subject_is_shown_on_its_field_and_is_gone_once_the_email_is_sent()
    {
        var session = await App.NewSessionAsync(capacity: 10);
        var person = (await App.NewEmployeesAsync(1, "honest"))[0];
        await RegisterAsync(session.Id, [person.Email]);

        var cut = await RenderCardAsync(session.Id);
        await cut.TickAsync($"Select {person.Name}");
        await cut.ChooseActionAsync("Send Email");
        await cut.PickAsync("Email type", "Custom Notification");
        await cut.InvokeAsync(() => cut.TextField("Message").Change("The room changed to 4B."));
        await cut.ClickAsync("Send");

        cut.WaitForAssertion(() => Assert.Contains("A custom notification needs a subject.", cut.TextField("Subject").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal), MudSteps.Wait);
        Assert.Empty(cut.FindAll("[role=dialog] [role=alert]"));

        await cut.InvokeAsync(() => cut.TextField("Subject").Change("Room change"));
        await cut.ClickAsync("Send");
        cut.WaitForAssertion(() => Assert.Equal("1 queued, 0 skipped.", cut.TestId("send-result")), MudSteps.Wait);
        Assert.Empty(cut.FindAll("[role=dialog] [role=alert]"));
        Assert.DoesNotContain("not valid", cut.DialogText(), StringComparison.Ordinal);
        Assert.DoesNotContain("needs a subject", cut.DialogText(), StringComparison.Ordinal);

        // The dialog follows the email it queued out of the door (no SMTP server here: kept for the Mailbox, so out).
        cut.WaitForAssertion(() => Assert.Contains("Emails: 1 of 1 sent.", cut.DialogText(), StringComparison.Ordinal), Patience.Ceiling);
    }

    [Fact]
    public async Task Learners_skipped_for_the_same_reason_are_one_line_with_their_count()
    {
        var session = await App.NewSessionAsync(capacity: 10, status: LiveSessions.Domain.SessionStatus.Draft);
        var people = await App.NewEmployeesAsync(3, "alike");
        Assert.True((await App.Get<AddLearners>().HandleAsync(session.Id, new AddLearnersRequest([.. people.Select(p => p.Email)]), AppFixture.Admin, Ct)).IsOk);

        var cut = await RenderCardAsync(session.Id);
        foreach (var person in people)
        {
            await cut.TickAsync($"Select {person.Name}");
        }

        await cut.ChooseActionAsync("Send Email");
        await cut.PickAsync("Email type", "Attendance reminder");

        cut.WaitForAssertion(() =>
        {
            Assert.True(cut.FindAll("[data-testid=grouped-refusals]").Count == 1, cut.DialogText());
            var lines = cut.FindAll("[data-testid=grouped-refusals] li");
            var line = Assert.Single(lines);
            Assert.StartsWith("3 skipped: The attendance reminder goes to Registered learners only; this learner is Not Invited.", line.TextContent.Trim(), StringComparison.Ordinal);
            foreach (var person in people)
            {
                Assert.Contains(person.Name, line.TextContent, StringComparison.Ordinal);
            }
        }, MudSteps.Wait);
    }

    [Fact]
    public async Task What_the_Employees_tab_added_is_not_shown_on_the_Import_tab()
    {
        var session = await App.NewSessionAsync(capacity: 10);
        var person = (await App.NewEmployeesAsync(1, "tabs"))[0];

        var cut = await RenderCardAsync(session.Id);
        await cut.ClickAsync(c => c.Find("button[aria-label='Add learners']"));
        cut.WaitForElement("[role=dialog]", MudSteps.Wait);
        await cut.AutocompleteAsync("Search the directory", person.Name, person.Email);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"[aria-label='Picked {person.Name}']")));
        await cut.ClickAsync("Add");
        cut.WaitForAssertion(() => Assert.Equal("1 added, 0 skipped.", cut.TestId("add-result")), MudSteps.Wait);

        await cut.TabAsync("Import file");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=add-result]")));

        await cut.TabAsync("Employees");
        cut.WaitForAssertion(() => Assert.Equal("1 added, 0 skipped.", cut.TestId("add-result")));
    }
}
