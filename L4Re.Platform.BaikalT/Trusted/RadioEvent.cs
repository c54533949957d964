namespace L4Re.Platform.BaikalT.Trusted;

/// <summary>Something the trusted component did or decided, for reports.</summary>
/// <param name="AtNs">Virtual time.</param>
/// <param name="What">A one-line description.</param>
public readonly record struct RadioEvent(long AtNs, string What)
{
    /// <inheritdoc />
    public override string ToString() => $"[{AtNs / 1e9,10:0.000} s] {What}";
}
