using Bunit;
using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Courses;
using LiveSessions.Web.Features.Roster;

namespace LiveSessions.Tests.Components;

[Collection(AppCollection.Name)]
public sealed class CopyLearnersDialogTests(AppFixture app) : MudComponentTest(app)
{
    [Fact]
    public async Task Targets_are_the_other_open_sessions_of_the_course_and_the_result_lists_copied_and_skipped()
    {
        var course = await NewCourseAsync();
        var source = await App.NewSessionAsync(capacity: 10, courseId: course);
        var target = await App.NewSessionAsync(capacity: 10, courseId: course);
        var cancelled = await App.NewSessionAsync(capacity: 10, courseId: course, status: SessionStatus.Cancelled);
        var otherCourse = await App.NewSessionAsync(capacity: 10);
        var people = await App.NewEmployeesAsync(2, "copy");
        var (newcomer, alreadyThere) = (people[0], people[1]);
        await RegisterAsync(source.Id, people.Select(p => p.Email));
        await RegisterAsync(target.Id, [alreadyThere.Email]);

        var cut = await RenderCardAsync(source.Id);
        await cut.ClickAsync("Select all 2");
        cut.WaitForAssertion(() => Assert.Equal("2 selected", cut.SelectionCount()), MudSteps.Wait);
        await cut.ChooseActionAsync("Copy");
        cut.WaitForAssertion(() => Assert.Contains("Copy 2 selected learners to another session of the same course.", cut.DialogText(), StringComparison.Ordinal));
        Assert.True(cut.Button("Copy 2").IsDisabled());

        var option = Assert.Single(await cut.OpenSelectAsync("Target session"));
        Assert.StartsWith($"{target.Title} · ", option, StringComparison.Ordinal);
        Assert.EndsWith(" · Ready", option, StringComparison.Ordinal);
        await cut.ChooseOptionAsync(target.Title, contains: true);
        Assert.DoesNotContain(cancelled.Title, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(otherCourse.Title, cut.Markup, StringComparison.Ordinal);

        cut.WaitForAssertion(() => Assert.False(cut.Button("Copy 2").IsDisabled()));
        await cut.ClickAsync("Copy 2");

        cut.WaitForAssertion(() => Assert.Equal("1 copied, 1 skipped.", cut.TestId("copy-result")), MudSteps.Wait);
        var results = cut.Find("[aria-label='Copy results']").TextContent;
        Assert.Contains($"{newcomer.Name}: Registered at the target", results, StringComparison.Ordinal);
        Assert.Contains($"{alreadyThere.Name} is already in the target session (Registered).", results, StringComparison.Ordinal);

        await cut.ClickAsync("Close");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[role=dialog]")), MudSteps.Wait);
        var roster = (await App.Get<RosterQueries>().ListAsync(target.Id, null, AppFixture.Admin, Ct)).Value!;
        Assert.Equal([LearnerStatus.Registered, LearnerStatus.Registered], people.Select(p => roster.Single(l => l.Email == p.Email).Status));
    }

    private async Task<int> NewCourseAsync()
    {
        var outcome = await App.Get<CourseCatalog>().CreateAsync(
            new CourseFields("Copy course " + Guid.NewGuid().ToString("N")[..6], "Sessions to copy learners between.", SessionType.InClass,
                TimeSpan.FromHours(2), 10, DefaultRequiresApproval: false, ApprovalFlow.DirectManager, DefaultEnableWaitingList: true, DefaultEnableCalendar: false),
            AppFixture.Admin, Ct);
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!.Id;
    }
}
