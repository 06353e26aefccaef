using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Demo;
using LiveSessions.Web.Features.Email;
using LiveSessions.Web.Features.Employees;
using LiveSessions.Web.Features.Registration;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Tests.Registration;

/// <summary>
/// SPEC "Live session": a Hierarchic Manager approval goes the session's number of levels up the org chart, from the
/// directory in the database; when nobody is found the request goes to the admins and the approvals page flags it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HierarchicApprovalTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CurrentUser Approver(EmployeeRow person) => new(person.Email, person.Name, new HashSet<string> { Roles.Approver });

    [Fact]
    public async Task A_hierarchic_session_with_three_levels_routes_the_request_to_the_manager_three_levels_up()
    {
        // Foot → Team Lead → Head → Director → Chief: three levels up from Foot is Director.
        var chain = await app.NewChainAsync("Chief", "Director", "Head", "Team Lead", "Foot");
        var (learner, lead, head, director, chief) = (chain[0], chain[1], chain[2], chain[3], chain[4]);
        var session = await app.NewSessionAsync(capacity: 5, approval: true, approvalFlow: ApprovalFlow.HierarchicManager, approvalLevels: 3);

        var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(learner.Email), Ct);
        Assert.Equal(LearnerStatus.NeedsApproval, registered.Value!.Learner.Status);

        var emails = await EmailsAsync(session.Id);
        Assert.Equal([director.Email], emails.Where(e => e.Type == EmailType.ApprovalRequest).Select(e => e.To));
        Assert.Contains($"waiting for approval by {director.Name}", emails.Single(e => e.Type == EmailType.ApprovalPending).TextBody, StringComparison.Ordinal);

        foreach (var other in new[] { lead, head, chief })
        {
            Assert.DoesNotContain(await app.Get<PendingApprovals>().HandleAsync(Approver(other), Ct), p => p.SessionId == session.Id);
        }

        var pending = Assert.Single(await app.Get<PendingApprovals>().HandleAsync(Approver(director), Ct), p => p.SessionId == session.Id);
        Assert.Equal((learner.Name, director.Name, false), (pending.LearnerName, pending.ApproverName, pending.NoApprover));

        var refused = await app.Get<DecideApproval>().HandleAsync(session.Id, pending.LearnerId, true, null, Approver(head), Ct);
        Assert.Equal(OutcomeKind.Forbidden, refused.Kind);
        var approved = await app.Get<DecideApproval>().HandleAsync(session.Id, pending.LearnerId, true, null, Approver(director), Ct);
        Assert.Equal(LearnerStatus.Registered, approved.Value!.Learner.Status);
    }

    [Fact]
    public async Task A_chain_shorter_than_the_levels_routes_to_the_highest_manager_and_direct_manager_ignores_the_levels()
    {
        var chain = await app.NewChainAsync("Top", "Middle", "Foot");
        var (learner, middle, top) = (chain[0], chain[1], chain[2]);
        var hierarchic = await app.NewSessionAsync(capacity: 5, approval: true, approvalFlow: ApprovalFlow.HierarchicManager, approvalLevels: 10);
        var direct = await app.NewSessionAsync(capacity: 5, approval: true, approvalFlow: ApprovalFlow.DirectManager, approvalLevels: 10);

        foreach (var session in new[] { hierarchic, direct })
        {
            var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(learner.Email), Ct);
            Assert.Equal(LearnerStatus.NeedsApproval, registered.Value!.Learner.Status);
        }

        Assert.Equal([top.Email], (await EmailsAsync(hierarchic.Id)).Where(e => e.Type == EmailType.ApprovalRequest).Select(e => e.To));
        Assert.Equal([middle.Email], (await EmailsAsync(direct.Id)).Where(e => e.Type == EmailType.ApprovalRequest).Select(e => e.To));
    }

    [Fact]
    public async Task A_learner_without_a_manager_has_the_request_sent_to_the_admins_and_flagged_on_the_approvals_page()
    {
        var learner = (await app.NewChainAsync("Alone"))[0];
        var session = await app.NewSessionAsync(capacity: 5, approval: true, approvalFlow: ApprovalFlow.HierarchicManager);

        var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(learner.Email), Ct);
        Assert.Equal(LearnerStatus.NeedsApproval, registered.Value!.Learner.Status);

        var emails = await EmailsAsync(session.Id);
        Assert.Contains(DemoSeeder.AdminEmail, emails.Where(e => e.Type == EmailType.ApprovalRequest).Select(e => e.To));
        Assert.DoesNotContain(DemoSeeder.ApproverEmail, emails.Select(e => e.To));
        Assert.Contains("waiting for approval by the admins", emails.Single(e => e.Type == EmailType.ApprovalPending).TextBody, StringComparison.Ordinal);

        var flagged = Assert.Single(await app.Get<PendingApprovals>().HandleAsync(AppFixture.Admin, Ct), p => p.SessionId == session.Id);
        Assert.True(flagged.NoApprover);
        var approver = new CurrentUser(DemoSeeder.ApproverEmail, "approver", new HashSet<string> { Roles.Approver });
        Assert.DoesNotContain(await app.Get<PendingApprovals>().HandleAsync(approver, Ct), p => p.SessionId == session.Id);

        var approved = await app.Get<DecideApproval>().HandleAsync(session.Id, flagged.LearnerId, true, null, AppFixture.Admin, Ct);
        Assert.Equal(LearnerStatus.Registered, approved.Value!.Learner.Status);
    }

    [Fact]
    public async Task The_approvals_list_loads_every_requester_chain_in_one_query_however_many_requests_wait()
    {
        var session = await app.NewSessionAsync(capacity: 20, approval: true, approvalFlow: ApprovalFlow.HierarchicManager, approvalLevels: 4);
        // Six learners, each four levels below their own top manager.
        var tops = new List<EmployeeRow>();
        for (var i = 0; i < 6; i++)
        {
            var chain = await app.NewChainAsync("Top", "Director", "Head", "Lead", "Learner");
            tops.Add(chain[4]);
            var registered = await app.Get<RegisterLearner>().HandleAsync(session.Id, AppFixture.LearnerUser(chain[0].Email), Ct);
            Assert.Equal(LearnerStatus.NeedsApproval, registered.Value!.Learner.Status);
        }

        // The same handler on the app's database, with every command it sends counted.
        var counted = new CountingContextFactory(app.Get<DbContextOptions<LiveSessionsDbContext>>());
        var approvals = new PendingApprovals(counted, app.Get<TimeProvider>());

        var all = await approvals.HandleAsync(AppFixture.Admin, Ct);
        Assert.Equal(tops.Select(t => t.Name).Order(StringComparer.Ordinal), all.Where(p => p.SessionId == session.Id).Select(p => p.ApproverName!).Order(StringComparer.Ordinal));
        // The requests, the seats of their sessions, and the managers of every requester: one query each.
        Assert.True(counted.Commands.Count == 3, $"{counted.Commands.Count} commands: {string.Join(" | ", counted.Commands)}");

        counted.Commands.Clear();
        var mine = await approvals.HandleAsync(Approver(tops[2]), Ct);
        Assert.Equal(session.Id, Assert.Single(mine).SessionId);
        Assert.True(counted.Commands.Count == 3, $"{counted.Commands.Count} commands: {string.Join(" | ", counted.Commands)}");
    }

    private async Task<List<OutboxEmail>> EmailsAsync(int sessionId)
    {
        await using var db = await app.Get<IDbContextFactory<LiveSessionsDbContext>>().CreateDbContextAsync(Ct);
        return await db.Outbox.AsNoTracking().Where(o => o.SessionId == sessionId).ToListAsync(Ct);
    }
}
