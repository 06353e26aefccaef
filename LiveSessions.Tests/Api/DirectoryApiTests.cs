using System.Net;
using LiveSessions.Tests.Infrastructure;

namespace LiveSessions.Tests.Api;

/// <summary>GET /api/courses and GET /api/employees (search, department, paging).</summary>
[Collection(AppCollection.Name)]
public sealed class DirectoryApiTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Courses_list_the_demo_catalogue_with_enum_names()
    {
        using var admin = await app.AdminAsync();
        var response = await admin.GetAsync("/api/courses", Ct);
        var courses = await response.OkAsync<List<CourseDto>>();

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var titles = courses.Select(c => c.Title).ToList();
        Assert.Contains("Security Awareness", titles);
        Assert.Contains("Leadership Essentials", titles);
        var security = courses.Single(c => c.Title == "Security Awareness");
        Assert.Equal("VirtualClass", security.Type);
        Assert.Equal(30, security.DefaultCapacity);
        Assert.Equal(titles.Order(StringComparer.Ordinal).ToList(), titles);
    }

    [Fact]
    public async Task Employees_search_finds_people_by_name_part()
    {
        var people = await app.NewEmployeesAsync(3, "dir");
        var tag = people[0].Email.Split('.')[1].Split('@')[0];
        using var admin = await app.AdminAsync();

        var page = await (await admin.GetAsync($"/api/employees?search={tag}", Ct)).OkAsync<EmployeePageDto>();

        Assert.Equal(3, page.Total);
        Assert.Equal(people.Select(p => p.Email).Order(StringComparer.Ordinal), page.Items.Select(i => i.Email).Order(StringComparer.Ordinal));
        Assert.All(page.Items, i => Assert.Equal("Testing", i.Department));
    }

    [Fact]
    public async Task Employees_filter_by_exact_department()
    {
        var department = "Dept " + Guid.NewGuid().ToString("N")[..6];
        var a = await app.NewEmployeeAsync("Alma Dept", department);
        var b = await app.NewEmployeeAsync("Bruno Dept", department);
        await app.NewEmployeeAsync("Carla Other", department + " other");
        using var admin = await app.AdminAsync();

        var page = await (await admin.GetAsync($"/api/employees?department={Uri.EscapeDataString(department)}", Ct)).OkAsync<EmployeePageDto>();

        Assert.Equal(2, page.Total);
        Assert.Equal([a.Id, b.Id], page.Items.Select(i => i.Id).ToList());
    }

    [Fact]
    public async Task Employees_page_through_the_results_in_name_order()
    {
        var people = await app.NewEmployeesAsync(5, "pg");
        var tag = people[0].Email.Split('.')[1].Split('@')[0];
        using var trainer = await app.TrainerAsync();

        var first = await (await trainer.GetAsync($"/api/employees?search={tag}&page=1&pageSize=2", Ct)).OkAsync<EmployeePageDto>();
        var second = await (await trainer.GetAsync($"/api/employees?search={tag}&page=2&pageSize=2", Ct)).OkAsync<EmployeePageDto>();
        var third = await (await trainer.GetAsync($"/api/employees?search={tag}&page=3&pageSize=2", Ct)).OkAsync<EmployeePageDto>();

        Assert.Equal((5, 1, 2), (first.Total, first.Page, first.PageSize));
        Assert.Equal((5, 2, 2), (second.Total, second.Page, second.PageSize));
        Assert.Equal([people[0].Id, people[1].Id], first.Items.Select(i => i.Id).ToList());
        Assert.Equal([people[2].Id, people[3].Id], second.Items.Select(i => i.Id).ToList());
        Assert.Equal([people[4].Id], third.Items.Select(i => i.Id).ToList());
    }

    [Fact]
    public async Task Employees_default_page_holds_fifty_of_the_whole_directory()
    {
        using var admin = await app.AdminAsync();
        var page = await (await admin.GetAsync("/api/employees", Ct)).OkAsync<EmployeePageDto>();

        Assert.Equal(1, page.Page);
        Assert.Equal(50, page.PageSize);
        Assert.Equal(50, page.Items.Count);
        Assert.True(page.Total >= 2000, $"total is {page.Total}");
    }

    [Fact]
    public async Task Employees_search_finds_the_demo_learner_by_email()
    {
        using var admin = await app.AdminAsync();
        var page = await (await admin.GetAsync("/api/employees?search=learner%40demo.local", Ct)).OkAsync<EmployeePageDto>();

        var learner = Assert.Single(page.Items);
        Assert.Equal(("Lena Learner", "Engineering"), (learner.Name, learner.Department));
    }

    [Fact]
    public async Task Courses_are_admin_only()
    {
        using var trainer = await app.TrainerAsync();
        var problem = await (await trainer.GetAsync("/api/courses", Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("Security Awareness", problem.GetRawText(), StringComparison.Ordinal);
    }
}
