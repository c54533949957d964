namespace L4Re.Io.Config;

/// <summary>
/// Where a configuration element was defined: a line and column (1-based) in a text source, or,
/// for configurations built in C#, the builder's source name and a path such as
/// <c>device 'uart0' mmio 'reg0'</c> (line 0).
/// </summary>
/// <param name="Source">The file name or builder name.</param>
/// <param name="Line">1-based line, or 0 for builder-made elements.</param>
/// <param name="Column">1-based column (UTF-16 code units), or 0.</param>
/// <param name="Path">The element's path for builder-made elements, or null.</param>
public sealed record ConfigLocation(string Source, int Line, int Column, string? Path = null)
{
    /// <summary>A location for elements with no known origin.</summary>
    public static ConfigLocation Unknown { get; } = new("<unknown>", 0, 0);

    /// <summary>The location of <paramref name="path"/> in a C# builder named <paramref name="source"/>.</summary>
    public static ConfigLocation InBuilder(string source, string path) => new(source, 0, 0, path);

    /// <inheritdoc />
    public override string ToString() =>
        Line > 0 ? $"{Source}:{Line}:{Column}" : Path is null ? Source : $"{Source}: {Path}";
}
