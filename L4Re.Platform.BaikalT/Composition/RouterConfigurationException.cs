namespace L4Re.Platform.BaikalT.Composition;

/// <summary>The router configuration given to <see cref="RouterBuilder"/> is invalid; <see cref="Errors"/> lists every problem found.</summary>
public sealed class RouterConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RouterConfigurationException(IReadOnlyList<string> errors)
        : base("invalid router configuration: " + string.Join("; ", errors ?? []))
    {
        Errors = errors ?? [];
    }

    /// <summary>Creates the exception.</summary>
    public RouterConfigurationException()
        : this([])
    {
    }

    /// <summary>Creates the exception.</summary>
    public RouterConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception.</summary>
    public RouterConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
        Errors = [message];
    }

    /// <summary>Every problem, one sentence each.</summary>
    public IReadOnlyList<string> Errors { get; }
}
