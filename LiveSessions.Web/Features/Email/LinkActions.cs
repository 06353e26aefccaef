using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Shared;
using LiveSessions.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LiveSessions.Web.Features.Email;

/// <summary>What the link page shows before the click: whether the link works, and what it will do.</summary>
public sealed record LinkView(LinkCheck Check, LinkPurpose? Purpose, string Title, string Description, string? SessionTitle, string? When, bool AsksForNote);

public sealed record LinkResult(bool Done, string Message);

/// <summary>
/// The actions behind email links (/l/{token}): reading a link changes nothing; acting on it runs the status table
/// for the learner the link names, in one unit of work that also uses the link up.
/// </summary>
public sealed class LinkActions(IDbContextFactory<LiveSessionsDbContext> contextFactory, SignedLinks links, SessionUnitOfWork work)
{
    public async Task<LinkView> ReadAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (check, link) = await links.ReadAsync(db, token, cancellationToken);
        if (check != LinkCheck.Valid)
        {
            return Refused(check, link);
        }

        var facts = await db.Learners.AsNoTracking().Where(l => l.Id == link!.LearnerId && l.SessionId == link.SessionId)
            .Select(l => new { l.Employee.Name, l.Session.Title, l.Session.Start, l.Session.End, l.Session.TimeZone })
            .FirstOrDefaultAsync(cancellationToken);
        if (facts is null)
        {
            return Refused(LinkCheck.Unknown, link);
        }

        var (title, description) = link!.Purpose switch
        {
            LinkPurpose.AcceptInvitation => ("Accept the invitation", "You will take a seat in this session. If it is full you join the waiting list instead."),
            LinkPurpose.DeclineInvitation => ("Decline the invitation", "You will decline this session; your place goes to someone else."),
            LinkPurpose.AcceptSeatOffer => ("Take the seat", "You will take the seat held for you."),
            LinkPurpose.DeclineSeatOffer => ("Decline the seat", "The seat goes to the next person on the waiting list."),
            LinkPurpose.ConfirmAttendance => ("Confirm your attendance", "We will note that you are coming."),
            LinkPurpose.DeclineAttendance => ("Cancel your place", "Your registration is cancelled and your seat goes to the waiting list."),
            LinkPurpose.Approve => ($"Approve {facts.Name}", $"{facts.Name} will get a seat (or a waiting-list place if the session is full)."),
            LinkPurpose.DeclineApproval => ($"Decline {facts.Name}'s request", $"{facts.Name} is told that the request was declined, with your note if you write one."),
            _ => ("Open the form", "The form of this session."),
        };
        return new LinkView(LinkCheck.Valid, link.Purpose, title, description, facts.Title, SessionTime.FormatRange(facts.Start, facts.End, facts.TimeZone), link.Purpose == LinkPurpose.DeclineApproval);
    }

    public async Task<LinkResult> ActAsync(string token, string? note, CancellationToken cancellationToken = default)
    {
        int sessionId, learnerId;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var (check, link) = await links.ReadAsync(db, token, cancellationToken);
            if (check != LinkCheck.Valid)
            {
                return new LinkResult(false, Refused(check, link).Description);
            }

            sessionId = link!.SessionId;
            learnerId = link.LearnerId;
        }

        var outcome = await work.RunAsync<LinkResult>(sessionId, RosterNeed.Learner(learnerId), async scope =>
        {
            // Read again inside the serialised unit of work: two clicks at once use the link once.
            var (check, link) = await links.ReadAsync(scope.Db, token, cancellationToken);
            if (check != LinkCheck.Valid)
            {
                return Failure.Conflict(Refused(check, link).Description);
            }

            var learner = scope.Session.FindLearnerById(link!.LearnerId);
            if (learner is null)
            {
                return Failure.Conflict("This link no longer matches anyone in the session.");
            }

            var learnerActor = Actor.Learner(learner.Employee.Email);
            var approverActor = Actor.Approver(link.Recipient);
            var result = link.Purpose switch
            {
                LinkPurpose.AcceptInvitation or LinkPurpose.AcceptSeatOffer => scope.Session.AcceptInvitation(learner, learnerActor, scope.Now),
                LinkPurpose.DeclineInvitation or LinkPurpose.DeclineSeatOffer => scope.Session.DeclineInvitation(learner, learnerActor, scope.Now),
                LinkPurpose.ConfirmAttendance => scope.Session.ConfirmAttendance(learner, scope.Now),
                LinkPurpose.DeclineAttendance => scope.Session.Cancel(learner, learnerActor, scope.Now),
                LinkPurpose.Approve => scope.Session.Approve(learner, approverActor, scope.Now),
                LinkPurpose.DeclineApproval => scope.Session.DeclineApproval(learner, note?.Trim() is { Length: > 0 } n ? n[..Math.Min(n.Length, 2000)] : null, approverActor, scope.Now),
                _ => LearnerResult.Refuse("This form is not available."),
            };
            if (!result.IsDone)
            {
                return Failure.Conflict(result.Refusal!);
            }

            var message = result.Message ?? Done(link.Purpose, learner);
            await SignedLinks.UseAsync(scope.Db, link, scope.Now, message, cancellationToken);
            return new LinkResult(true, message);
        }, cancellationToken);
        return outcome.IsOk ? outcome.Value! : new LinkResult(false, outcome.Message ?? "This link could not be used.");
    }

    private static string Done(LinkPurpose purpose, SessionLearner learner) => (purpose, learner.Status) switch
    {
        (_, LearnerStatus.WaitingList) => "The session is full, so you joined the waiting list.",
        (LinkPurpose.AcceptInvitation or LinkPurpose.AcceptSeatOffer, _) => "You are registered. See you there!",
        (LinkPurpose.DeclineInvitation or LinkPurpose.DeclineSeatOffer, _) => "You declined. Thank you for letting us know.",
        (LinkPurpose.ConfirmAttendance, _) => "Thank you: your attendance is confirmed.",
        (LinkPurpose.DeclineAttendance, _) => "Your place is cancelled and offered to the waiting list.",
        (LinkPurpose.Approve, LearnerStatus.Invited) => $"Approved: {learner.Employee.Name} is invited and a seat is held for them.",
        (LinkPurpose.Approve, _) => $"Approved: {learner.Employee.Name} is registered.",
        (LinkPurpose.DeclineApproval, _) => $"Declined: {learner.Employee.Name} is told.",
        _ => "Done.",
    };

    private static LinkView Refused(LinkCheck check, EmailLink? link) => check switch
    {
        LinkCheck.Used => new LinkView(check, link?.Purpose, "This link was already used", $"Each link works once, and this one was used (or another link of the same email was). {link?.Outcome}", null, null, false),
        LinkCheck.Expired => new LinkView(check, link?.Purpose, "This link has expired", "It is past its time limit: ask the training team for a new one, or use your sessions page.", null, null, false),
        LinkCheck.Tampered => new LinkView(check, null, "This link is not valid", "The link is damaged or was changed. Open it again from the email exactly as it was sent.", null, null, false),
        _ => new LinkView(check, null, "This link is not valid", "It does not match any email we sent.", null, null, false),
    };
}
