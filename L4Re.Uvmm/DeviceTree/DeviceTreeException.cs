namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// A device tree is inconsistent with what was asked of it: a missing property or node, a property whose
/// value does not have the requested type (for example a 3-byte value read as a u32 cell), an invalid node or
/// property name, or a tree that cannot be flattened (duplicate or invalid phandles).
/// </summary>
/// <remarks>Malformed DTB bytes are reported as <see cref="FdtParseException"/> instead.</remarks>
public class DeviceTreeException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the node path and property.</param>
    public DeviceTreeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What is wrong, naming the node path and property.</param>
    /// <param name="innerException">The cause.</param>
    public DeviceTreeException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public DeviceTreeException() : base("device tree error")
    {
    }
}
