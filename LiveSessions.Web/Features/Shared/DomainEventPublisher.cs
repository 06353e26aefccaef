using LiveSessions.Domain;

namespace LiveSessions.Web.Features.Shared;

/// <summary>
/// Reacts to what a unit of work did, after it committed: emails, jobs and live refresh plug in here
/// (each registers an <see cref="IDomainEventHandler"/>), so handlers never call them directly.
/// </summary>
public interface IDomainEventHandler
{
    Task HandleAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken);
}

public sealed partial class DomainEventPublisher(IEnumerable<IDomainEventHandler> handlers, ILogger<DomainEventPublisher> logger)
{
    public async Task PublishAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler.HandleAsync(events, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The change is committed; a failing reaction must not turn it into an error for the caller.
                LogHandlerFailed(logger, ex, handler.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Domain event handler {Handler} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string handler);
}

/// <summary>Writes every learner status change to the log; the seam later features hang emails on.</summary>
public sealed partial class LoggingDomainEventHandler(ILogger<LoggingDomainEventHandler> logger) : IDomainEventHandler
{
    public Task HandleAsync(IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        foreach (var change in events.OfType<LearnerStatusChanged>())
        {
            LogChange(logger, change.SessionId, change.LearnerId, change.From?.ToString() ?? "-", change.To, change.Trigger);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId} learner {LearnerId}: {From} -> {To} ({Trigger})")]
    private static partial void LogChange(ILogger logger, int sessionId, int learnerId, string from, LearnerStatus to, LearnerTrigger trigger);
}
