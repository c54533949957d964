namespace L4Re.Uvmm.Loaders;

/// <summary>A guest image cannot be loaded: not an ELF for this VM (class, byte order, machine), a segment outside guest RAM, or a file that is too large.</summary>
public sealed class LoaderException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    public LoaderException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LoaderException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public LoaderException() : base("the guest image cannot be loaded")
    {
    }
}
