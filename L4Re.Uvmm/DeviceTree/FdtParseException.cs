namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// The bytes given to <see cref="FdtReader"/> are not a valid flattened device tree (DTB). This is the only
/// exception the reader throws for bad input: truncated data, a wrong magic number, an unsupported version,
/// blocks outside the blob, unterminated names, bad tokens, unbalanced nodes, invalid or duplicate names.
/// </summary>
public sealed class FdtParseException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="offset">The byte offset in the blob where the problem was found, or -1 if not known.</param>
    public FdtParseException(string message, long offset)
        : base(offset >= 0 ? $"invalid DTB at offset 0x{offset:x}: {message}" : $"invalid DTB: {message}")
    {
        Offset = offset;
    }

    /// <summary>Creates the exception with a message and no offset.</summary>
    /// <param name="message">What is wrong.</param>
    public FdtParseException(string message) : this(message, -1)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public FdtParseException(string message, Exception innerException) : base($"invalid DTB: {message}", innerException)
    {
        Offset = -1;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public FdtParseException() : this("malformed flattened device tree")
    {
    }

    /// <summary>The byte offset of the problem in the blob, or -1 when not known.</summary>
    public long Offset { get; }
}
