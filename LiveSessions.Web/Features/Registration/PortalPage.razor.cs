using LiveSessions.Domain;
using LiveSessions.Web.Components.Shared;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Forms;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LiveSessions.Web.Features.Registration;

/// <summary>
/// The learner portal, made for phones: the learner's sessions first (each once, with its place and a calendar file),
/// then the open sessions they are not in, searched and paged on the server.
/// </summary>
public sealed partial class PortalPage
{
    /// <summary>Open sessions per page: a phone screen or two of cards.</summary>
    public const int PageSize = 12;

    private MyPortal? portal;
    private List<OpenSession> openSessions = [];
    private int openTotal;
    private CurrentUser? user;
    private string? search;
    private bool busy;
    private bool loadingMore;
    private IDisposable? subscription;

    [Inject]
    private MySessions Query { get; set; } = default!;

    [Inject]
    private RegisterLearner Register { get; set; } = default!;

    [Inject]
    private CancelRegistration Cancel { get; set; } = default!;

    [Inject]
    private RespondToInvitation Respond { get; set; } = default!;

    [Inject]
    private UserAccessor Users { get; set; } = default!;

    [Inject]
    private RosterChangeNotifier Notifier { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private FillForm Forms { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>Sessions still ahead, soonest first.</summary>
    private List<MyLearnerRow> Upcoming => (portal?.Mine ?? []).Where(IsAhead).ToList();

    /// <summary>Sessions that ended or were cancelled or completed, latest first.</summary>
    private List<MyLearnerRow> Past => (portal?.Mine ?? []).Where(m => !IsAhead(m)).OrderByDescending(m => m.Start).ToList();

    private string OpenCountText => openTotal switch
    {
        0 when !string.IsNullOrWhiteSpace(search) => $"No open session matches \"{search}\".",
        0 => "No other session is open for registration right now.",
        _ => $"Showing {openSessions.Count} of {openTotal} open session{(openTotal == 1 ? string.Empty : "s")}.",
    };

    protected override async Task OnInitializedAsync()
    {
        user = await Users.GetAsync();
        await LoadAsync();
        subscription = Notifier.SubscribeAll(change => InvokeAsync(async () =>
        {
            if (portal is not null && (portal.Mine.Any(m => m.SessionId == change.SessionId) || openSessions.Any(o => o.Id == change.SessionId)))
            {
                await LoadAsync();
                StateHasChanged();
            }
        }));
    }

    public void Dispose() => subscription?.Dispose();

    /// <summary>Reads the learner's sessions and as many open ones as are shown now.</summary>
    private async Task LoadAsync()
    {
        portal = await Query.PortalAsync(user!, search, Math.Max(PageSize, openSessions.Count));
        openSessions = [.. portal.Open.Sessions];
        openTotal = portal.Open.Total;
    }

    private async Task SearchAsync(string? value)
    {
        search = value;
        var page = await Query.OpenAsync(user!, search, 0, PageSize);
        openSessions = [.. page.Sessions];
        openTotal = page.Total;
    }

    private async Task ShowMoreAsync()
    {
        loadingMore = true;
        var page = await Query.OpenAsync(user!, search, openSessions.Count, PageSize);
        // A session that opened meanwhile may shift the pages: keep each one once.
        openSessions.AddRange(page.Sessions.Where(s => openSessions.All(o => o.Id != s.Id)));
        openTotal = page.Total;
        loadingMore = false;
    }

    private static bool IsAhead(MyLearnerRow row) =>
        !row.Ended && row.SessionStatus is not (SessionStatus.Cancelled or SessionStatus.Completed);

    public static string NextStep(MyLearnerRow row) => row.SessionStatus == SessionStatus.Cancelled
        ? "This session was cancelled."
        : row.Status switch
        {
            LearnerStatus.Invited when row.SeatOfferExpiresAt is { } until => $"A seat is held for you until {SessionTime.Format(until, row.TimeZone)}: accept it to confirm.",
            LearnerStatus.Invited => "You are invited: accept or decline.",
            LearnerStatus.WaitingList => $"You are {Ordinal(row.WaitingListPosition ?? 0)} in line on the waiting list.",
            LearnerStatus.NeedsApproval => "Waiting for your manager's approval.",
            LearnerStatus.ApprovalDeclined => "Your request was declined. You can register again.",
            LearnerStatus.Registered => "You are registered. See you there!",
            LearnerStatus.Declined => "You declined. You can still register while the session is open.",
            LearnerStatus.Cancelled => "Cancelled. You can register again while the session is open.",
            LearnerStatus.Attended or LearnerStatus.GoShow => "You attended.",
            LearnerStatus.Absent => "You were marked absent.",
            _ => "You can register.",
        };

    public static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch { 1 => $"{n}st", 2 => $"{n}nd", 3 => $"{n}rd", _ => $"{n}th" },
    };

    private static string CancelLabel(MyLearnerRow row) => row.Status switch
    {
        LearnerStatus.WaitingList => "Leave the waiting list",
        LearnerStatus.NeedsApproval => "Withdraw my request",
        _ => "Cancel my place",
    };

    private static string RegisterLabel(int seatsFree, bool waitingList) => seatsFree == 0 && waitingList ? "Join the waiting list" : "Register";

    // The button's words first, then whose session: a voice command saying what is on screen still finds it.
    private static string RegisterName(int seatsFree, bool waitingList, string title) =>
        seatsFree == 0 && waitingList ? $"Join the waiting list of {title}" : $"Register to {title}";

    private static string SeatsText(OpenSession open) =>
        open.SeatsFree > 0 ? $"{open.SeatsFree} seat{(open.SeatsFree == 1 ? string.Empty : "s")} left"
        : open.EnableWaitingList ? "Full — waiting list"
        : "Full";

    private async Task RegisterAsync(int sessionId, string title)
    {
        // A session with a registration form registers through the form, so the answers come with the request.
        if (await Forms.HasFormAsync(sessionId, FormKind.Registration))
        {
            Navigation.NavigateTo($"/me/sessions/{sessionId}/form/registration", forceLoad: true);
            return;
        }

        busy = true;
        var outcome = await Register.HandleAsync(sessionId, user!);
        busy = false;
        Show(outcome, outcome.Value?.Message ?? $"You are registered to {title}.");
        await LoadAsync();
    }

    private async Task CancelAsync(MyLearnerRow row)
    {
        var (title, message, yes, keep) = row.Status switch
        {
            LearnerStatus.WaitingList => ("Leave the waiting list?", $"You will lose your place in line for {row.Title}.", "Yes, leave the waiting list", "Stay in line"),
            LearnerStatus.NeedsApproval => ("Withdraw your request?", $"Your request to join {row.Title} will be withdrawn and your manager will not need to answer it.", "Yes, withdraw my request", "Keep my request"),
            _ => ("Cancel your place?", $"Give up your place in {row.Title}? If the session is full, your seat goes to the next person on the waiting list.", "Yes, cancel my place", "Keep my place"),
        };
        if (!await ConfirmDialog.AskAsync(Dialogs, title, message, yes, keep))
        {
            return;
        }

        busy = true;
        var outcome = await Cancel.HandleAsync(row.SessionId, user!);
        busy = false;
        Show(outcome, row.Status == LearnerStatus.Registered ? "Your place is cancelled." : "Done.");
        await LoadAsync();
    }

    private async Task RespondAsync(MyLearnerRow row, bool accept)
    {
        busy = true;
        var outcome = await Respond.HandleAsync(row.SessionId, accept, user!);
        busy = false;
        Show(outcome, outcome.Value?.Message ?? (accept ? "You are registered." : "You declined."));
        await LoadAsync();
    }

    private void Show(Outcome<LearnerActionResult> outcome, string success)
    {
        if (outcome.IsOk)
        {
            Snackbar.Add(success, Severity.Success);
        }
        else
        {
            Snackbar.Add(outcome.Message ?? "That did not work.", Severity.Error);
        }
    }
}
