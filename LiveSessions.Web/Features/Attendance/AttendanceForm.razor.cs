using LiveSessions.Domain;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Roster;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace LiveSessions.Web.Features.Attendance;

public enum AttendanceFilter
{
    All,
    NotYetMarked,
    Attended,
    Absent,
}

/// <summary>What the browser may forget: the server has the tap (or refused it for good).</summary>
public sealed record TapAck(string Id, bool Done);

/// <summary>
/// The attendance form: one big row per learner with an Attended / Absent toggle. Taps belong to the browser
/// (wwwroot/js/attendance.js): each is kept in localStorage until <see cref="SaveTapsAsync"/> acknowledges it, so a
/// tap during a disconnect is sent when the circuit reconnects or a new one starts. Marks by others arrive live.
/// </summary>
public sealed partial class AttendanceForm
{
    private const int MaxTapsPerCall = 500;

    private static readonly AttendanceFilter[] Filters = Enum.GetValues<AttendanceFilter>();

    private readonly List<LearnerRow> rows = [];
    private readonly Dictionary<int, string> notes = [];
    private AttendanceSheet? sheet;
    private string? refusal;
    private string? search;
    private AttendanceFilter filter;
    private bool ready;
    private bool starting;
    private bool busy;
    private int loadedFor;
    private ElementReference root;
    private IJSObjectReference? module;
    private DotNetObjectReference<AttendanceForm>? self;
    private IDisposable? subscription;

    [Inject]
    private AttendanceQueries Queries { get; set; } = default!;

    [Inject]
    private SaveTaps Taps { get; set; } = default!;

    [Inject]
    private MarkRemainingAttended MarkAll { get; set; } = default!;

    [Inject]
    private SetSessionStatus StatusHandler { get; set; } = default!;

    [Inject]
    private RosterChangeNotifier Notifier { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Parameter, EditorRequired]
    public int SessionId { get; set; }

    /// <summary>The signed-in trainer or admin, or the trainer an attendance link was sent to.</summary>
    [Parameter, EditorRequired]
    public CurrentUser User { get; set; } = default!;

    [Parameter]
    public string? BackHref { get; set; }

    /// <summary>Opened from a signed attendance link: no navigation to the rest of the app.</summary>
    [Parameter]
    public bool ViaLink { get; set; }

    private AttendanceSession Session => sheet!.Session;

    private bool CanMark => ready && sheet is not null && Session.TakesAttendance;

    private int Marked => rows.Count(r => r.Status != LearnerStatus.Registered);

    private int Remaining => rows.Count(r => r.Status == LearnerStatus.Registered);

    /// <summary>Go Shows are in the room: they count as attended.</summary>
    private int AttendedCount => rows.Count(r => r.Status is LearnerStatus.Attended or LearnerStatus.GoShow);

    private List<LearnerRow> Visible => rows.Where(r => Matches(r, filter) && Matches(r, search)).ToList();

    protected override async Task OnParametersSetAsync()
    {
        if (loadedFor == SessionId)
        {
            return;
        }

        loadedFor = SessionId;
        await LoadAsync();
        if (sheet is not null && RendererInfo.IsInteractive)
        {
            subscription?.Dispose();
            subscription = Notifier.Subscribe(SessionId, change => InvokeAsync(() => ApplyAsync(change)));
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (sheet is null || module is not null || starting)
        {
            return;
        }

        starting = true;
        try
        {
            module = await JS.InvokeAsync<IJSObjectReference>("import", $"./{Assets["js/attendance.js"]}");
            self = DotNetObjectReference.Create(this);
            await module.InvokeVoidAsync("init", root, self, new
            {
                sessionId = SessionId,
                user = User.Email,
                serverNow = Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            });
            ready = true;
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away while starting; a new one starts the form again.
        }
    }

    /// <summary>The browser sends the taps it holds, oldest first; it forgets each one acknowledged as done.</summary>
    [JSInvokable]
    public async Task<IReadOnlyList<TapAck>> SaveTapsAsync(AttendanceTap[] taps)
    {
        // A page holds one tap per learner; anything beyond a sane batch waits for the next call.
        var outcomes = await Taps.HandleAsync(SessionId, taps.Take(MaxTapsPerCall).ToList(), User);
        foreach (var outcome in outcomes)
        {
            if (outcome.Learner is { } row)
            {
                Upsert(row);
                notes[row.Id] = outcome.Result == TapResult.Saved ? "Saved" : "Later mark kept";
            }

            if (outcome.Result is TapResult.Overruled or TapResult.Refused && outcome.Message is { } message)
            {
                Snackbar.Add(message, Severity.Warning);
            }
        }

        StateHasChanged();
        return outcomes.Select(o => new TapAck(o.Id, o.Done)).ToList();
    }

    /// <summary>After a reconnect (or the replay of kept taps) the database is the truth: read the roster again.</summary>
    [JSInvokable]
    public async Task RefreshAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        subscription?.Dispose();
        if (module is not null)
        {
            try
            {
                await module.InvokeVoidAsync("dispose");
                await module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The page is gone; so is the module.
            }
        }

        self?.Dispose();
    }

    private async Task LoadAsync()
    {
        var outcome = await Queries.GetAsync(SessionId, User);
        if (!outcome.IsOk)
        {
            sheet = null;
            rows.Clear();
            refusal = outcome.Kind == OutcomeKind.NotFound
                ? "This session does not exist."
                : $"{outcome.Message} Only its trainers and admins can take its attendance.";
            return;
        }

        refusal = null;
        sheet = outcome.Value!;
        rows.Clear();
        rows.AddRange(sheet.Learners);
    }

    private async Task ApplyAsync(RosterChanged change)
    {
        if (sheet is null)
        {
            return;
        }

        if (change.FromVersion > sheet.Version)
        {
            // A change in between never reached this form (a node restarted, a push was lost): read it all again.
            await LoadAsync();
            StateHasChanged();
            return;
        }

        sheet = sheet with { Version = Math.Max(sheet.Version, change.Version) };
        var byOther = !string.Equals(change.Actor, User.Email, StringComparison.OrdinalIgnoreCase);
        foreach (var row in change.Learners)
        {
            var changed = Upsert(row);
            if (changed && byOther && row.Status != LearnerStatus.Registered)
            {
                notes[row.Id] = $"Marked by {change.Actor}";
            }
        }

        if (change.SessionStatus != Session.Status)
        {
            sheet = sheet with { Session = Session with { Status = change.SessionStatus } };
        }

        StateHasChanged();
    }

    /// <summary>Puts the newest version of a learner on the form (or takes them off it); false when nothing was newer.</summary>
    private bool Upsert(LearnerRow row)
    {
        var index = rows.FindIndex(r => r.Id == row.Id);
        if (index >= 0 && rows[index].Version > row.Version)
        {
            return false;
        }

        if (!AttendanceQueries.IsOnForm(row.Status))
        {
            if (index >= 0)
            {
                rows.RemoveAt(index);
            }

            return index >= 0;
        }

        if (index >= 0)
        {
            var unchanged = rows[index].Version == row.Version;
            rows[index] = row;
            return !unchanged;
        }

        var at = rows.FindIndex(r => string.Compare(r.Name, row.Name, StringComparison.OrdinalIgnoreCase) > 0);
        rows.Insert(at < 0 ? rows.Count : at, row);
        return true;
    }

    private void SearchChanged(string? value) => search = value;

    private async Task MarkAllRemainingAsync()
    {
        // Taps still on their way go first, so the count asked about is the count marked, and a learner just tapped
        // Absent is not marked Attended.
        await FlushAsync();
        var remaining = Remaining;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Mark {remaining} as attended?",
            $"Everyone not yet marked ({remaining} {(remaining == 1 ? "learner" : "learners")}) will be marked Attended. You can still correct anyone afterwards.",
            yesText: $"Mark {remaining} attended",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        busy = true;
        try
        {
            await FlushAsync();
            var outcome = await MarkAll.HandleAsync(SessionId, User);
            if (outcome.IsOk)
            {
                Snackbar.Add($"{outcome.Value!.Marked} marked Attended.", Severity.Success);
                await LoadAsync();
            }
            else
            {
                Snackbar.Add(outcome.Message ?? "The learners could not be marked.", Severity.Error);
            }
        }
        finally
        {
            busy = false;
        }
    }

    private async Task AddGoShowAsync()
    {
        var parameters = new DialogParameters<GoShowDialog>
        {
            { d => d.SessionId, SessionId },
            { d => d.User, User },
        };
        var dialog = await Dialogs.ShowAsync<GoShowDialog>("Add a Go Show", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true, DefaultFocus = DefaultFocus.None });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: LearnerRow row })
        {
            Upsert(row);
            notes[row.Id] = "Saved";
            Snackbar.Add($"{row.Name} is on the form as a Go Show.", Severity.Success);
        }
    }

    private async Task CompleteAsync()
    {
        await FlushAsync();
        var remaining = Remaining;
        var consequence = Session.MarkAbsentAfterEnd
            ? $"Learners not yet marked ({remaining}) will be marked Absent, and the emails after the session go out as the automation settings say."
            : $"The session is closed; learners not yet marked ({remaining}) stay Registered and attendance can still be corrected.";
        var confirmed = await Dialogs.ShowMessageBoxAsync("Complete the session?", consequence, yesText: "Complete", cancelText: "Keep it open");
        if (confirmed != true)
        {
            return;
        }

        busy = true;
        try
        {
            await FlushAsync();
            var outcome = await StatusHandler.HandleAsync(SessionId, SessionStatus.Completed, User);
            if (outcome.IsOk)
            {
                Snackbar.Add("The session is completed.", Severity.Success);
                await LoadAsync();
            }
            else
            {
                Snackbar.Add(outcome.Message ?? "The session could not be completed.", Severity.Error);
            }
        }
        finally
        {
            busy = false;
        }
    }

    /// <summary>Sends the taps this browser still holds (they come back through <see cref="SaveTapsAsync"/>).</summary>
    private async Task FlushAsync()
    {
        if (module is not null)
        {
            await module.InvokeVoidAsync("flush");
        }
    }

    private static bool Matches(LearnerRow row, AttendanceFilter filter) => filter switch
    {
        AttendanceFilter.NotYetMarked => row.Status == LearnerStatus.Registered,
        AttendanceFilter.Attended => row.Status is LearnerStatus.Attended or LearnerStatus.GoShow,
        AttendanceFilter.Absent => row.Status == LearnerStatus.Absent,
        _ => true,
    };

    private static bool Matches(LearnerRow row, string? search) =>
        string.IsNullOrWhiteSpace(search)
        || row.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
        || row.Email.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
        || row.Department.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase);

    private string FilterLabel(AttendanceFilter value) => value switch
    {
        AttendanceFilter.NotYetMarked => $"Not yet marked · {Remaining}",
        AttendanceFilter.Attended => $"Attended · {AttendedCount}",
        AttendanceFilter.Absent => $"Absent · {rows.Count(r => r.Status == LearnerStatus.Absent)}",
        _ => $"All · {rows.Count}",
    };

    private static string StatusText(LearnerStatus status) => status switch
    {
        LearnerStatus.Registered => "Not yet marked",
        _ => status.Display(),
    };

    private static string RowClass(LearnerRow row) => row.Status switch
    {
        LearnerStatus.Attended => "att-row att-row-attended",
        LearnerStatus.Absent => "att-row att-row-absent",
        LearnerStatus.GoShow => "att-row att-row-goshow",
        _ => "att-row",
    };
}
