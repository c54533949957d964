namespace L4Re.Regulatory;

/// <summary>Which kind of input a <see cref="RegulatoryDataException"/> is about.</summary>
public enum RegulatoryDataSource
{
    /// <summary>wireless-regdb source text (<c>db.txt</c>).</summary>
    DbTxt,
    /// <summary>The binary database (<c>regulatory.db</c>, version 20).</summary>
    RegulatoryDb,
    /// <summary>The detached CMS signature (<c>regulatory.db.p7s</c>).</summary>
    Signature,
    /// <summary>An X.509 certificate given as a trust anchor.</summary>
    Certificate,
}

/// <summary>
/// The one exception type the library throws for bad regulatory input: malformed <c>db.txt</c>,
/// malformed or kernel-invalid <c>regulatory.db</c>, a signature that does not verify, or an unusable
/// certificate. Loading is all-or-nothing: when this is thrown, nothing was loaded.
/// </summary>
public sealed class RegulatoryDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The kind of input that was rejected.</param>
    /// <param name="message">What is wrong, for a human.</param>
    /// <param name="line">1-based line in <c>db.txt</c>, or 0 when not applicable.</param>
    /// <param name="offset">Byte offset in the binary input, or -1 when not applicable.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public RegulatoryDataException(RegulatoryDataSource source, string message, int line = 0, long offset = -1, Exception? innerException = null)
        : base(Format(source, message, line, offset), innerException)
    {
        DataSource = source;
        Line = line;
        Offset = offset;
        Reason = message;
    }

    /// <summary>The kind of input that was rejected.</summary>
    public RegulatoryDataSource DataSource { get; }

    /// <summary>1-based line number in <c>db.txt</c> (0 when the error is not about a line).</summary>
    public int Line { get; }

    /// <summary>Byte offset in the binary input (-1 when the error is not about an offset).</summary>
    public long Offset { get; }

    /// <summary>The reason without the location prefix.</summary>
    public string Reason { get; }

    private static string Format(RegulatoryDataSource source, string message, int line, long offset)
    {
        var what = source switch
        {
            RegulatoryDataSource.DbTxt => "db.txt",
            RegulatoryDataSource.RegulatoryDb => "regulatory.db",
            RegulatoryDataSource.Signature => "regulatory.db.p7s",
            _ => "certificate",
        };
        if (line > 0)
            return $"{what}: line {line}: {message}";
        if (offset >= 0)
            return $"{what}: offset 0x{offset:x}: {message}";
        return $"{what}: {message}";
    }
}
