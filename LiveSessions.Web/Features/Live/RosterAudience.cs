using System.Collections.Concurrent;
using System.Security.Claims;

namespace LiveSessions.Web.Features.Live;

/// <summary>
/// The hub connections of this node and the sessions each has joined. Every node delivers the committed change feed
/// to its own connections only: with a Redis backplane a send to a SignalR group reaches every node's members, and
/// since every node reads the same feed, each change would arrive once per node.
/// </summary>
public sealed class RosterAudience
{
    private readonly ConcurrentDictionary<string, Listener> listeners = new();

    public void Join(string connectionId, ClaimsPrincipal user, int sessionId) =>
        listeners.GetOrAdd(connectionId, _ => new Listener(user)).Join(sessionId);

    public void Leave(string connectionId, int sessionId)
    {
        if (listeners.TryGetValue(connectionId, out var listener))
        {
            listener.Leave(sessionId);
        }
    }

    public void Forget(string connectionId) => listeners.TryRemove(connectionId, out _);

    /// <summary>This node's connections that joined the session, with who they are.</summary>
    public IReadOnlyList<(string ConnectionId, ClaimsPrincipal User)> Of(int sessionId) =>
        [.. listeners.Where(l => l.Value.Listens(sessionId)).Select(l => (l.Key, l.Value.User))];

    private sealed class Listener(ClaimsPrincipal user)
    {
        private readonly ConcurrentDictionary<int, byte> sessions = new();

        public ClaimsPrincipal User { get; } = user;

        public void Join(int sessionId) => sessions.TryAdd(sessionId, 0);

        public void Leave(int sessionId) => sessions.TryRemove(sessionId, out _);

        public bool Listens(int sessionId) => sessions.ContainsKey(sessionId);
    }
}
