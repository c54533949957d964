using L4Re.Kernel.Abi;

namespace L4Re.Kernel;

/// <summary>
/// Thrown by the host-side convenience API (not by the system-call path, which reports errors the way
/// the real kernel does) when an operation fails with an L4 error, e.g. an exhausted factory quota.
/// </summary>
public sealed class L4Exception : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public L4Exception(L4Error error, string message)
        : base($"{message} ({error}, L4_E{error.ToString().ToUpperInvariant()} = {(int)error})") => Error = error;

    /// <summary>Creates the exception without an error code.</summary>
    public L4Exception()
        : this(L4Error.Inval, "L4 operation failed")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public L4Exception(string message)
        : this(L4Error.Inval, message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public L4Exception(string message, Exception innerException)
        : base(message, innerException) => Error = L4Error.Inval;

    /// <summary>The L4 error.</summary>
    public L4Error Error { get; }
}
