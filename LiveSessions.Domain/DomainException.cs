namespace LiveSessions.Domain;

/// <summary>Bad input to a domain constructor or method; the message is written for a person.</summary>
public sealed class DomainException(string message) : Exception(message);
