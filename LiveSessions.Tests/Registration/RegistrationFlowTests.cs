using LiveSessions.Domain;
using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Registration;

namespace LiveSessions.Tests.Registration;

/// <summary>Every path of the registration flow: approval → waiting list → calendar invitation holding a seat, or Registered.</summary>
[Collection(AppCollection.Name)]
public sealed class RegistrationFlowTests(AppFixture app)
{
    public static TheoryData<bool, bool, bool, bool, LearnerStatus?> Paths()
    {
        var data = new TheoryData<bool, bool, bool, bool, LearnerStatus?>();
        foreach (var approval in new[] { false, true })
        {
            foreach (var waitingList in new[] { false, true })
            {
                foreach (var calendar in new[] { false, true })
                {
                    foreach (var full in new[] { false, true })
                    {
                        LearnerStatus? end = full
                            ? waitingList ? LearnerStatus.WaitingList : null
                            : calendar ? LearnerStatus.Invited : LearnerStatus.Registered;
                        data.Add(approval, waitingList, calendar, full, end);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_registration_ends_in_the_status_the_flow_gives(bool approval, bool waitingList, bool calendar, bool full, LearnerStatus? expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 1, waitingList: waitingList, approval: approval, calendar: calendar);
        var people = await app.NewEmployeesAsync(2, "flow");
        var register = app.Get<RegisterLearner>();
        if (full)
        {
            await FillTheSeatAsync(session.Id, people[1].Email, approval, calendar, ct);
        }

        var outcome = await register.HandleAsync(session.Id, AppFixture.LearnerUser(people[0].Email), ct);
        if (approval)
        {
            Assert.True(outcome.IsOk, outcome.Message);
            Assert.Equal(LearnerStatus.NeedsApproval, outcome.Value!.Learner.Status);
            outcome = await app.Get<DecideApproval>().HandleAsync(session.Id, outcome.Value.Learner.Id, true, null, AppFixture.Admin, ct);
        }

        if (expected is null)
        {
            Assert.False(outcome.IsOk);
            Assert.StartsWith("This session is full", outcome.Message, StringComparison.Ordinal);
            var mine = await app.Get<MySessions>().HandleAsync(AppFixture.LearnerUser(people[0].Email), ct);
            Assert.Equal(approval ? [LearnerStatus.NeedsApproval] : [], mine.Mine.Where(m => m.SessionId == session.Id).Select(m => m.Status).ToList());
            return;
        }

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(expected, outcome.Value!.Learner.Status);
        if (expected == LearnerStatus.Invited)
        {
            Assert.NotNull(outcome.Value.Learner.SeatOfferExpiresAt);
        }

        if (expected == LearnerStatus.WaitingList)
        {
            Assert.Equal(1, outcome.Value.Learner.WaitingListPosition);
        }
    }

    [Fact]
    public async Task Re_registering_after_Declined_Cancelled_or_Approval_Declined_is_allowed()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 5, approval: true);
        var person = (await app.NewEmployeesAsync(1, "again"))[0];
        var user = AppFixture.LearnerUser(person.Email);
        var first = await app.Get<RegisterLearner>().HandleAsync(session.Id, user, ct);
        await app.Get<DecideApproval>().HandleAsync(session.Id, first.Value!.Learner.Id, false, "Next quarter", AppFixture.Admin, ct);
        var second = await app.Get<RegisterLearner>().HandleAsync(session.Id, user, ct);
        Assert.Equal(LearnerStatus.NeedsApproval, second.Value!.Learner.Status);
        await app.Get<CancelRegistration>().HandleAsync(session.Id, user, ct);
        var third = await app.Get<RegisterLearner>().HandleAsync(session.Id, user, ct);
        Assert.Equal(LearnerStatus.NeedsApproval, third.Value!.Learner.Status);
    }

    [Fact]
    public async Task Pending_requests_are_listed_for_the_approver_the_org_chart_routes_them_to()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = await app.NewSessionAsync(capacity: 5, approval: true);
        var learner = new Web.Features.Shared.CurrentUser("learner@demo.local", "learner", new HashSet<string> { Web.Features.Shared.Roles.Learner });
        var outcome = await app.Get<RegisterLearner>().HandleAsync(session.Id, learner, ct);
        Assert.Equal(LearnerStatus.NeedsApproval, outcome.Value!.Learner.Status);

        var approver = new Web.Features.Shared.CurrentUser("approver@demo.local", "approver", new HashSet<string> { Web.Features.Shared.Roles.Approver });
        var pending = await app.Get<PendingApprovals>().HandleAsync(approver, ct);
        Assert.Contains(pending, p => p.SessionId == session.Id && p.LearnerEmail == "learner@demo.local");

        var stranger = new Web.Features.Shared.CurrentUser("head.sales@acme.example", "x", new HashSet<string> { Web.Features.Shared.Roles.Approver });
        Assert.DoesNotContain(await app.Get<PendingApprovals>().HandleAsync(stranger, ct), p => p.SessionId == session.Id);
        var refused = await app.Get<DecideApproval>().HandleAsync(session.Id, outcome.Value.Learner.Id, true, null, stranger, ct);
        Assert.Equal(Web.Features.Shared.OutcomeKind.Forbidden, refused.Kind);

        var approved = await app.Get<DecideApproval>().HandleAsync(session.Id, outcome.Value.Learner.Id, true, null, approver, ct);
        Assert.Equal(LearnerStatus.Registered, approved.Value!.Learner.Status);
    }

    private async Task FillTheSeatAsync(int sessionId, string email, bool approval, bool calendar, CancellationToken ct)
    {
        var result = await app.Get<RegisterLearner>().HandleAsync(sessionId, AppFixture.LearnerUser(email), ct);
        if (approval)
        {
            result = await app.Get<DecideApproval>().HandleAsync(sessionId, result.Value!.Learner.Id, true, null, AppFixture.Admin, ct);
        }

        if (calendar)
        {
            result = await app.Get<RespondToInvitation>().HandleAsync(sessionId, true, AppFixture.LearnerUser(email), ct);
        }

        Assert.Equal(LearnerStatus.Registered, result.Value!.Learner.Status);
    }
}
