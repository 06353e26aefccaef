using LiveSessions.Domain;

namespace LiveSessions.Tests.Domain;

// SPEC.md "Live session": Direct Manager = the learner's manager; Hierarchic Manager = the manager a chosen number of
// levels up the org chart, 2 by default, or the highest one found when the chain is shorter; nobody found → the admins.
public sealed class ApproverTests
{
    // Lena → Arnold → Dana → Carl → Olga (top of the chart).
    private static (Employee Lena, Employee Arnold, Employee Dana, Employee Carl, Employee Olga) Chart()
    {
        var olga = Build.Employee("Olga Owner");
        var carl = Build.Employee("Carl Chief", olga);
        var dana = Build.Employee("Dana Head", carl);
        var arnold = Build.Employee("Arnold Approver", dana);
        return (Build.Employee("Lena Learner", arnold), arnold, dana, carl, olga);
    }

    [Theory]
    [InlineData(1, "Arnold Approver")]
    [InlineData(2, "Dana Head")]
    [InlineData(3, "Carl Chief")]
    [InlineData(4, "Olga Owner")]
    public void ApproverFor_Hierarchic_goes_the_given_number_of_levels_up(int levels, string expected)
    {
        var (lena, _, _, _, _) = Chart();

        Assert.Equal(expected, lena.ApproverFor(ApprovalFlow.HierarchicManager, levels)?.Name);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    public void ApproverFor_Hierarchic_takes_the_highest_manager_found_when_the_chain_is_shorter(int levels)
    {
        var (lena, _, _, _, olga) = Chart();

        Assert.Same(olga, lena.ApproverFor(ApprovalFlow.HierarchicManager, levels));
    }

    [Fact]
    public void ApproverFor_Hierarchic_with_one_manager_above_is_that_manager()
    {
        var boss = Build.Employee("Only Boss");
        var learner = Build.Employee("New Joiner", boss);

        Assert.Same(boss, learner.ApproverFor(ApprovalFlow.HierarchicManager, 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void ApproverFor_Direct_Manager_is_the_manager_whatever_the_levels(int levels)
    {
        var (lena, arnold, _, _, _) = Chart();

        Assert.Same(arnold, lena.ApproverFor(ApprovalFlow.DirectManager, levels));
    }

    [Theory]
    [InlineData(ApprovalFlow.DirectManager)]
    [InlineData(ApprovalFlow.HierarchicManager)]
    public void ApproverFor_is_nobody_when_the_employee_has_no_manager(ApprovalFlow flow)
    {
        var top = Build.Employee("Top Person");

        Assert.Null(top.ApproverFor(flow, 2));
    }

    [Fact]
    public void ApproverFor_stops_at_a_loop_in_the_chart_and_takes_the_highest_before_it()
    {
        // Ann → Ben → Cat → Ann: a data error the walk must survive without naming Ann as her own approver.
        var ben = Build.Employee("Ben Loop");
        var cat = Build.Employee("Cat Loop", ben);
        var ann = Build.Employee("Ann Loop", cat);
        ben.SetManager(ann);

        Assert.Same(cat, ann.ApproverFor(ApprovalFlow.HierarchicManager, 1));
        Assert.Same(ben, ann.ApproverFor(ApprovalFlow.HierarchicManager, 2));
        Assert.Same(ben, ann.ApproverFor(ApprovalFlow.HierarchicManager, 3));
        Assert.Same(ben, ann.ApproverFor(ApprovalFlow.HierarchicManager, 10));
        Assert.Equal(["Cat Loop", "Ben Loop"], ann.ManagersAbove(10).Select(m => m.Name));
    }

    [Fact]
    public void ManagersAbove_a_loop_further_up_lists_each_manager_once()
    {
        var ben = Build.Employee("Ben Ring");
        var cat = Build.Employee("Cat Ring", ben);
        ben.SetManager(cat);
        var dan = Build.Employee("Dan Below", ben);

        Assert.Equal(["Ben Ring", "Cat Ring"], dan.ManagersAbove(10).Select(m => m.Name));
        Assert.Same(cat, dan.ApproverFor(ApprovalFlow.HierarchicManager, 5));
    }

    [Fact]
    public void ManagersAbove_lists_the_chain_nearest_first_up_to_the_levels_asked()
    {
        var (lena, _, _, _, _) = Chart();

        Assert.Equal(["Arnold Approver", "Dana Head"], lena.ManagersAbove(2).Select(m => m.Name));
        Assert.Equal(["Arnold Approver", "Dana Head", "Carl Chief", "Olga Owner"], lena.ManagersAbove(10).Select(m => m.Name));
        Assert.Empty(lena.ManagersAbove(0));
    }

    [Fact]
    public void ApproverFor_refuses_fewer_than_one_level()
    {
        var (lena, _, _, _, _) = Chart();

        var refused = Assert.Throws<DomainException>(() => lena.ApproverFor(ApprovalFlow.HierarchicManager, 0));
        Assert.Contains("at least one level", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_routes_to_the_approver_of_its_own_flow_and_levels()
    {
        var (lena, arnold, _, carl, _) = Chart();
        var course = Build.Course();
        var start = Fixed.Now.AddDays(7);
        var details = SessionDetails.FromCourse(course, start) with { RequiresApproval = true, ApprovalFlow = ApprovalFlow.HierarchicManager, ApprovalLevels = 3 };

        var hierarchic = new LiveSession(course, details);
        var direct = new LiveSession(course, details with { ApprovalFlow = ApprovalFlow.DirectManager });

        Assert.Same(carl, hierarchic.ApproverOf(lena));
        Assert.Equal(3, hierarchic.ApprovalChainDepth);
        Assert.Same(arnold, direct.ApproverOf(lena));
        Assert.Equal(1, direct.ApprovalChainDepth);
    }

    // ---- The levels as a session field and a course default ----------------------------------------------------

    [Fact]
    public void A_new_session_goes_two_levels_up_unless_its_course_says_otherwise()
    {
        var course = Build.Course();
        Assert.Equal(2, SessionDetails.FromCourse(course, Fixed.Now).ApprovalLevels);

        course.SetDefaults(true, ApprovalFlow.HierarchicManager, true, false, approvalLevels: 4);
        Assert.Equal(4, SessionDetails.FromCourse(course, Fixed.Now).ApprovalLevels);

        course.SetDefaults(false, ApprovalFlow.DirectManager, true, false);
        Assert.Equal(4, course.DefaultApprovalLevels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(11)]
    public void Session_levels_outside_1_to_10_are_a_field_error(int levels)
    {
        var details = SessionDetails.FromCourse(Build.Course(), Fixed.Now.AddDays(7)) with { ApprovalLevels = levels };

        var errors = details.Validate();

        Assert.Equal([nameof(SessionDetails.ApprovalLevels)], errors.Keys);
        Assert.Equal("The levels up the org chart must be a whole number from 1 to 10.", errors[nameof(SessionDetails.ApprovalLevels)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void Session_levels_from_1_to_10_are_valid(int levels)
    {
        var details = SessionDetails.FromCourse(Build.Course(), Fixed.Now.AddDays(7)) with { ApprovalLevels = levels };

        Assert.Empty(details.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void A_course_default_outside_1_to_10_is_refused_and_the_old_default_kept(int levels)
    {
        var course = Build.Course();

        var refused = Assert.Throws<DomainException>(() => course.SetDefaults(true, ApprovalFlow.HierarchicManager, true, false, approvalLevels: levels));

        Assert.Equal("The levels up the org chart must be a whole number from 1 to 10.", refused.Message);
        Assert.Equal(2, course.DefaultApprovalLevels);
    }

    [Fact]
    public void Editing_a_session_changes_its_levels()
    {
        var session = Build.Session().RequiringApproval().Build();
        var details = SessionDetails.FromCourse(Build.Course(), session.Start) with { ApprovalFlow = ApprovalFlow.HierarchicManager, ApprovalLevels = 5 };

        Assert.True(session.UpdateDetails(details, [], Fixed.Admin, Fixed.Now).IsDone);

        Assert.Equal(5, session.ApprovalLevels);
    }
}
