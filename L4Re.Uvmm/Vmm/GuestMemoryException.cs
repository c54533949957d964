namespace L4Re.Uvmm.Vmm;

/// <summary>A host-side access to guest memory (loading a kernel, placing a DTB) falls outside guest RAM.</summary>
public sealed class GuestMemoryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was accessed.</param>
    public GuestMemoryException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What was accessed.</param>
    /// <param name="innerException">The cause.</param>
    public GuestMemoryException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public GuestMemoryException() : base("access outside guest RAM")
    {
    }
}
