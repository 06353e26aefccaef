using LiveSessions.Domain;

namespace LiveSessions.Tests.Domain;

public sealed class FillStateTests
{
    private static readonly DateTimeOffset Now = Fixed.Now;

    private static SeatSummary Seats(int capacity, int registered, int waiting = 0, int heldOffers = 0) => SeatSummary.Of(capacity,
    [
        new StatusCount(LearnerStatus.Registered, registered, 0),
        new StatusCount(LearnerStatus.WaitingList, waiting, 0),
        new StatusCount(LearnerStatus.Invited, heldOffers, heldOffers),
    ]);

    [Theory]
    [InlineData(10, 11, 0, 0, 30, FillState.Overbooked)]
    [InlineData(10, 11, 3, 0, 1, FillState.Overbooked)]
    [InlineData(10, 10, 2, 0, 30, FillState.FullWithDemand)]
    [InlineData(10, 8, 1, 2, 30, FillState.FullWithDemand)]
    [InlineData(10, 10, 0, 0, 1, FillState.Full)]
    [InlineData(10, 4, 0, 0, 7, FillState.UnderFilled)]
    [InlineData(10, 0, 0, 0, 1, FillState.UnderFilled)]
    [InlineData(10, 5, 0, 0, 1, FillState.Filling)]
    [InlineData(10, 4, 0, 0, 8, FillState.Filling)]
    [InlineData(10, 0, 0, 0, 30, FillState.Filling)]
    public void A_session_is_overbooked_then_full_with_demand_then_full_then_under_filled_close_to_its_start(int capacity, int registered, int waiting, int held, int daysToStart, FillState expected) =>
        Assert.Equal(expected, FillStates.Of(Seats(capacity, registered, waiting, held), Now.AddDays(daysToStart), Now));

    [Fact]
    public void Under_filled_means_below_half_full_within_a_week_of_the_start()
    {
        Assert.Equal(TimeSpan.FromDays(7), FillStates.CloseToStart);
        Assert.Equal(0.5, FillStates.UnderFilledBelow);
        Assert.Equal(FillState.UnderFilled, FillStates.Of(Seats(10, 4), Now + FillStates.CloseToStart, Now));
        Assert.Equal(FillState.Filling, FillStates.Of(Seats(10, 4), Now + FillStates.CloseToStart + TimeSpan.FromMinutes(1), Now));
    }

    [Fact]
    public void Each_state_has_words_for_the_board() =>
        Assert.Equal(["Filling", "Under-filled", "Full", "Full with demand", "Overbooked"], Enum.GetValues<FillState>().Select(s => s.Display()));
}
