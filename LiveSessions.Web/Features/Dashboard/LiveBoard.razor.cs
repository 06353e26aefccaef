using LiveSessions.Domain;
using LiveSessions.Web.Features.Accounts;
using LiveSessions.Web.Features.Live;
using LiveSessions.Web.Features.Sessions;
using LiveSessions.Web.Features.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LiveSessions.Web.Features.Dashboard;

/// <summary>
/// Keeps the board live: a committed change redraws its tile at once from the seats the change carries, then one
/// re-read (however many changes arrive meanwhile) brings the sparklines, the activity and any new session. A minute's
/// tick re-reads too, so "a minute ago" and the sessions that started move on without a change.
/// </summary>
public sealed partial class LiveBoard : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource stopping = new();
    private BoardView? view;
    private CurrentUser? user;
    private BoardFilter? loadedFilter;
    private DateTimeOffset now;
    private DateTimeOffset? lastUpdate;
    private IDisposable? subscription;
    private bool busy;
    private bool reloading;
    private bool reloadAgain;

    [Parameter, EditorRequired]
    public BoardFilter Filter { get; set; } = new();

    /// <summary>The wall screen's larger type and narrower feed.</summary>
    [Parameter]
    public bool Wall { get; set; }

    [Inject]
    private DashboardBoard Board { get; set; } = default!;

    [Inject]
    private CreateSisterSession Sister { get; set; } = default!;

    [Inject]
    private RosterChangeNotifier Notifier { get; set; } = default!;

    [Inject]
    private UserAccessor Users { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The demand rows shown above the board; the other full sessions are marked on their tiles.</summary>
    private const int DemandShown = 5;

    /// <summary>Full sessions with learners waiting, soonest first like the tiles: the sooner, the fewer chances those waiting have.</summary>
    private List<BoardTile> Demand => (view?.Tiles ?? []).Where(t => t.Waiting > 0 && t.Free == 0).ToList();

    protected override async Task OnInitializedAsync()
    {
        user = await Users.GetAsync();
        subscription = Notifier.SubscribeAll(change => InvokeAsync(() => ChangedAsync(change)));
        _ = TickAsync(stopping.Token);
    }

    protected override async Task OnParametersSetAsync()
    {
        if (Filter != loadedFilter)
        {
            await ReloadAsync();
        }
    }

    public void Dispose()
    {
        subscription?.Dispose();
        stopping.Cancel();
        stopping.Dispose();
    }

    private async Task ChangedAsync(RosterChanged change)
    {
        if (view?.Tiles.FirstOrDefault(t => t.SessionId == change.SessionId) is { } tile)
        {
            now = Clock.GetUtcNow();
            view = view with { Tiles = view.Tiles.Select(t => t == tile ? t.With(change, now) : t).ToList() };
            lastUpdate = now;
            StateHasChanged();
            await ReloadAsync();
        }
        else if (change.Learners.Count == 0)
        {
            // A change to another session's status or details may bring it onto the board; its learners' moves
            // cannot, so a busy session elsewhere costs the board nothing (the minute's re-read catches the rest).
            await ReloadAsync();
        }
    }

    /// <summary>Reads the board; a call while a read runs makes that read go once more instead of starting another.</summary>
    private async Task ReloadAsync()
    {
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
                var filter = Filter;
                var outcome = await Board.LoadAsync(filter, user!, stopping.Token);
                loadedFilter = filter;
                if (outcome.Value is { } loaded)
                {
                    view = loaded;
                    now = loaded.At;
                    lastUpdate = loaded.At;
                }

                StateHasChanged();
            }
            while (reloadAgain || Filter != loadedFilter);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The board was closed mid-read.
        }
        finally
        {
            reloading = false;
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await InvokeAsync(ReloadAsync);
            }
        }
        catch (OperationCanceledException)
        {
            // The board was closed.
        }
    }

    private async Task CreateSisterAsync(BoardTile tile)
    {
        busy = true;
        var outcome = await Sister.HandleAsync(tile.SessionId, user!);
        busy = false;
        if (outcome.Value is { } created)
        {
            Snackbar.Add($"Draft \"{created.Title}\" created: check its date and set it Ready.", Severity.Success);
            Navigation.NavigateTo($"/sessions/{created.Id}/edit");
            return;
        }

        Snackbar.Add(outcome.Message ?? "The sister session could not be created.", Severity.Error);
    }

    private static string Meaning(FillState state) => state switch
    {
        FillState.UnderFilled => $"starts within {FillStates.CloseToStart.TotalDays:0} days, under {FillStates.UnderFilledBelow * 100:0} % full",
        FillState.Full => "no free seat, nobody waiting",
        FillState.FullWithDemand => "no free seat, learners waiting",
        FillState.Overbooked => "more seats taken than the capacity",
        _ => "seats free",
    };
}
