namespace LiveSessions.Web.Components.Shared;

/// <summary>Words that explain the seat counts wherever they are shown.</summary>
public static class SeatText
{
    /// <summary>What "held" means (SeatSummary: Invited learners with a live seat offer).</summary>
    public const string HeldMeaning = "held: seats offered to invited or waiting-list learners who have not answered yet";
}
