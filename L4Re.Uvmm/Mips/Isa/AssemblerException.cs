namespace L4Re.Uvmm.Mips;

/// <summary>An assembler source error, with the 1-based line where it was found.</summary>
public sealed class AssemblerException : Exception
{
    /// <summary>Creates an error for <paramref name="line"/>.</summary>
    public AssemblerException(int line, string message) : base($"line {line}: {message}") => Line = line;

    /// <summary>Creates an error without a line.</summary>
    public AssemblerException() : base("assembler error") { }

    /// <summary>Creates an error without a line.</summary>
    public AssemblerException(string message) : base(message) { }

    /// <summary>Creates an error without a line, wrapping <paramref name="inner"/>.</summary>
    public AssemblerException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The 1-based source line (0 when unknown).</summary>
    public int Line { get; }
}
