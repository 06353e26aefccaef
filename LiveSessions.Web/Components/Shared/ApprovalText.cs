using LiveSessions.Domain;

namespace LiveSessions.Web.Components.Shared;

/// <summary>Who approves, in words: "Direct Manager" or "Hierarchic Manager, 2 levels up".</summary>
public static class ApprovalText
{
    public static string Approver(ApprovalFlow flow, int levels) => flow == ApprovalFlow.HierarchicManager
        ? $"{flow.Display()}, {levels} {(levels == 1 ? "level" : "levels")} up"
        : flow.Display();
}
