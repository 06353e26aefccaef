using LiveSessions.Domain;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace LiveSessions.Web.Features.Roster;

/// <summary>Seats and counts shown at the top of the card.</summary>
public sealed record RosterSummary(double FillRate, int SeatsTaken, int SeatsHeld, int SeatsFree, int MaxCapacity, IReadOnlyDictionary<LearnerStatus, int> Counts)
{
    public static RosterSummary Empty { get; } = new(0, 0, 0, 0, 0, new Dictionary<LearnerStatus, int>());
}

/// <summary>
/// The Session Learners card: a server-paged roster with search, status filter, sort and multi-select, the fill
/// rate, and the table actions. It follows every committed change of the session live.
/// </summary>
public sealed partial class LearnersCard
{
    // Columns a tablet leaves out (MudBlazor's display classes: shown from the md breakpoint, 960 px, up).
    private const string WideOnly = "d-none d-md-table-cell";

    private readonly HashSet<int> selected = [];

    // Selected learners the current search or status filter does not match: bulk actions still take them, so the card says so.
    private readonly HashSet<int> hiddenSelected = [];
    private readonly Dictionary<int, int> seenVersions = [];
    private bool reloading;
    private bool reloadAgain;
    private MudDataGrid<LearnerRow>? grid;
    private MudMenu? actionsMenu;
    private IReadOnlyList<LearnerRow> pageRows = [];
    private IDisposable? subscription;
    private string? search;
    private LearnerStatus? statusFilter;
    private int filteredTotal;
    private string? notice;

    private bool exporting;
    private WorkProgress? exportProgress;
    private ExportResult? exported;

    // Until the first page arrives the grid has no rows for a reason other than "nobody matches".
    private bool firstPageLoaded;

    [Inject]
    private RosterPage Roster { get; set; } = default!;

    [Inject]
    private RosterChangeNotifier Notifier { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ExportLearners Export { get; set; } = default!;

    [Inject]
    private PreparedExports PreparedExports { get; set; } = default!;

    [Parameter, EditorRequired]
    public int SessionId { get; set; }

    [Parameter, EditorRequired]
    public CurrentUser User { get; set; } = default!;

    [Parameter]
    public int CourseId { get; set; }

    [Parameter]
    public string TimeZone { get; set; } = "UTC";

    [Parameter]
    public bool CanAdd { get; set; } = true;

    [Parameter]
    public RosterSummary Summary { get; set; } = RosterSummary.Empty;

    /// <summary>Raised with every live change so the page around the card can refresh its header.</summary>
    [Parameter]
    public EventCallback<RosterChanged> OnChanged { get; set; }

    public IReadOnlyCollection<int> Selected => selected;

    private int TotalLearners => Summary.Counts.Values.Sum();

    private string FillPercent => $"{Math.Round(Summary.FillRate * 100, MidpointRounding.AwayFromZero)} %";

    private string SelectionText => hiddenSelected.Count == 0
        ? $"{selected.Count} selected"
        : $"{selected.Count} selected ({hiddenSelected.Count} hidden by the filter)";

    private bool? PageSelectionState
    {
        get
        {
            var onPage = pageRows.Count(r => selected.Contains(r.Id));
            return onPage == 0 ? false : onPage == pageRows.Count ? true : null;
        }
    }

    protected override void OnInitialized() =>
        subscription = Notifier.Subscribe(SessionId, change => InvokeAsync(() => ApplyChangeAsync(change)));

    public void Dispose() => subscription?.Dispose();

    private async Task<GridData<LearnerRow>> LoadAsync(GridState<LearnerRow> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var sortBy = sort?.SortBy switch
        {
            nameof(LearnerRow.Email) => RosterSort.Email,
            nameof(LearnerRow.Department) => RosterSort.Department,
            nameof(LearnerRow.Status) => RosterSort.Status,
            nameof(LearnerRow.StatusChangedAt) => RosterSort.StatusChangedAt,
            nameof(LearnerRow.WaitingListPosition) => RosterSort.WaitingListPosition,
            _ => RosterSort.Name,
        };
        var outcome = await Roster.GetAsync(SessionId, new RosterQuery(search, statusFilter, sortBy, sort?.Descending ?? false, state.Page, state.PageSize), User, cancellationToken);
        pageRows = outcome.Value?.Items ?? [];
        filteredTotal = outcome.Value?.Total ?? 0;
        foreach (var row in pageRows)
        {
            seenVersions[row.Id] = row.Version;
        }

        await FindHiddenSelectionAsync(cancellationToken);
        firstPageLoaded = true;

        // The toolbar ("Select all N", page checkbox) depends on the page just loaded.
        StateHasChanged();
        return new GridData<LearnerRow> { Items = pageRows, TotalItems = filteredTotal };
    }

    private async Task FindHiddenSelectionAsync(CancellationToken cancellationToken)
    {
        hiddenSelected.Clear();
        if (selected.Count == 0 || (string.IsNullOrWhiteSpace(search) && statusFilter is null))
        {
            return;
        }

        var matching = await Roster.MatchingAsync(SessionId, search, statusFilter, selected.ToList(), User, cancellationToken);
        hiddenSelected.UnionWith(selected.Where(id => matching.Value?.Contains(id) != true));
    }

    private async Task ApplyChangeAsync(RosterChanged change)
    {
        Summary = new RosterSummary(change.FillRate, change.SeatsTaken, change.SeatsHeld, change.SeatsFree, change.MaxCapacity, change.Counts);
        var mine = string.Equals(change.Actor, User.Email, StringComparison.OrdinalIgnoreCase);
        var touched = change.Learners.Where(l => selected.Contains(l.Id) && seenVersions.TryGetValue(l.Id, out var v) && v != l.Version).ToList();
        if (!mine && touched.Count > 0)
        {
            notice = touched.Count == 1
                ? $"{touched[0].Name} was just changed by {change.Actor} (now {touched[0].Status.Display()})."
                : $"{touched.Count} of your selected learners were just changed by {change.Actor}.";
        }

        await OnChanged.InvokeAsync(change);
        StateHasChanged();
        await ReloadCoalescedAsync();
    }

    // A burst of changes (a registration rush) reloads the page of rows once per round trip, not once per change:
    // changes that arrive while a reload runs are picked up by one more reload after it.
    private async Task ReloadCoalescedAsync()
    {
        if (grid is null)
        {
            return;
        }

        if (reloading)
        {
            reloadAgain = true;
            return;
        }

        reloading = true;
        try
        {
            do
            {
                reloadAgain = false;
                await grid.ReloadServerData();
            }
            while (reloadAgain);
        }
        finally
        {
            reloading = false;
        }
    }

    private Task SearchChanged(string? value)
    {
        search = value;
        return grid!.ReloadServerData();
    }

    private Task StatusFilterChanged(LearnerStatus? value)
    {
        statusFilter = value;
        return grid!.ReloadServerData();
    }

    private void Toggle(LearnerRow row, bool on)
    {
        if (on)
        {
            selected.Add(row.Id);
        }
        else
        {
            selected.Remove(row.Id);
            hiddenSelected.Remove(row.Id);
        }
    }

    private void TogglePage(bool? on)
    {
        var select = PageSelectionState != true;
        foreach (var row in pageRows)
        {
            Toggle(row, select);
        }
    }

    private async Task SelectAllFilteredAsync()
    {
        var ids = await Roster.IdsAsync(SessionId, search, statusFilter, User);
        foreach (var id in ids.Value ?? [])
        {
            selected.Add(id);
        }
    }

    private void ClearSelection()
    {
        selected.Clear();
        hiddenSelected.Clear();
    }

    private void UnselectHidden()
    {
        selected.ExceptWith(hiddenSelected);
        hiddenSelected.Clear();
    }

    /// <summary>
    /// Closes the Actions menu, then runs the item's action. MudMenu closes itself only once the item's handler has
    /// returned, so an action that waits for its dialog would leave the menu open behind the dialog until it closes.
    /// </summary>
    private async Task FromMenuAsync(Func<Task> action)
    {
        if (actionsMenu is not null)
        {
            await actionsMenu.CloseMenuAsync();
        }

        await action();
    }

    private async Task UpdateStatusAsync()
    {
        var versions = await Roster.VersionsAsync(SessionId, selected.ToList());
        var seen = selected.ToDictionary(id => id, id => seenVersions.TryGetValue(id, out var v) ? v : versions.GetValueOrDefault(id).Version);
        var parameters = new DialogParameters<UpdateStatusDialog>
        {
            { d => d.SessionId, SessionId },
            { d => d.LearnerIds, selected.ToList() },
            { d => d.SeenVersions, seen },
            { d => d.CurrentStatuses, versions.ToDictionary(v => v.Key, v => v.Value.Status) },
            { d => d.SeatsFree, Summary.SeatsFree },
            { d => d.HiddenByFilter, hiddenSelected.Count },
            { d => d.User, User },
        };
        var dialog = await Dialogs.ShowAsync<UpdateStatusDialog>("Update Status", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        await dialog.Result;
        notice = null;
    }

    private async Task CopyAsync()
    {
        var parameters = new DialogParameters<CopyLearnersDialog>
        {
            { d => d.SessionId, SessionId },
            { d => d.CourseId, CourseId },
            { d => d.LearnerIds, selected.ToList() },
            { d => d.HiddenByFilter, hiddenSelected.Count },
            { d => d.User, User },
        };
        var dialog = await Dialogs.ShowAsync<CopyLearnersDialog>("Copy Learners", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        await dialog.Result;
    }

    private async Task SendEmailAsync()
    {
        var parameters = new DialogParameters<SendEmailDialog>
        {
            { d => d.SessionId, SessionId },
            { d => d.LearnerIds, selected.ToList() },
            { d => d.HiddenByFilter, hiddenSelected.Count },
            { d => d.User, User },
        };
        var dialog = await Dialogs.ShowAsync<SendEmailDialog>("Send Email", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        await dialog.Result;
    }

    private async Task AddLearnersAsync()
    {
        var parameters = new DialogParameters<AddLearnersDialog>
        {
            { d => d.SessionId, SessionId },
            { d => d.User, User },
        };
        var dialog = await Dialogs.ShowAsync<AddLearnersDialog>("Add learners", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        await dialog.Result;
    }

    private async Task ExportAsync()
    {
        // Written off the circuit with progress, then downloaded by the browser with the admin's own cookie: the roster
        // stays usable while thousands of rows are written, and the download starts only once there is a file.
        exporting = true;
        exportProgress = null;
        exported = null;
        StateHasChanged();
        var (sessionId, user) = (SessionId, User);
        IReadOnlyCollection<int>? ids = selected.Count == 0 ? null : [.. selected];
        var progress = WorkProgressReports.OnScreen(InvokeAsync, p => exportProgress = p, StateHasChanged);
        var outcome = await Task.Run(() => Export.HandleAsync(sessionId, ids, user, CancellationToken.None, progress));
        exporting = false;
        if (!outcome.IsOk)
        {
            exported = new ExportResult(outcome.Message ?? "The export failed.", Failed: true);
            return;
        }

        var file = outcome.Value!;
        var token = PreparedExports.Keep(sessionId, file, user);
        await JS.InvokeVoidAsync("liveSessions.download", $"/sessions/{sessionId}/learners/export/{Uri.EscapeDataString(token)}");
        exported = new ExportResult($"Exported {file.Rows:N0} {(file.Rows == 1 ? "learner" : "learners")} to {file.FileName}.", Failed: false);
    }

    private async Task ShowLearnerAsync(LearnerRow row)
    {
        var parameters = new DialogParameters<LearnerDetailsDialog>
        {
            { d => d.SessionId, SessionId },
            { d => d.Learner, row },
            { d => d.User, User },
            { d => d.TimeZone, TimeZone },
        };
        await Dialogs.ShowAsync<LearnerDetailsDialog>(row.Name, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
    }

    /// <summary>What the last export did, kept on the card until closed: the download itself leaves no trace on the page.</summary>
    private sealed record ExportResult(string Text, bool Failed);
}
