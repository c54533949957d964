namespace L4Re.Kernel.Memory;

/// <summary>
/// A dataspace: a page-granular block of host memory that backs task and VM memory. Guest RAM lives
/// in one dataspace and is accessed in place through <see cref="Span"/> — never copied per access.
/// </summary>
public sealed class Dataspace
{
    /// <summary>The page size of the modelled kernel (4 KiB).</summary>
    public const int PageSize = 4096;

    private readonly byte[] _bytes;

    /// <summary>Allocates a zero-filled dataspace of <paramref name="size"/> bytes.</summary>
    /// <param name="size">A positive multiple of <see cref="PageSize"/>.</param>
    /// <param name="name">A name for diagnostics (e.g. <c>"ram"</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is not a positive multiple of the page size.</exception>
    public Dataspace(long size, string name = "ds")
    {
        if (size <= 0 || size % PageSize != 0 || size > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"a dataspace size must be a positive multiple of {PageSize} bytes and at most {Array.MaxLength}");
        _bytes = GC.AllocateArray<byte>((int)size, pinned: true);
        Name = name;
    }

    /// <summary>The dataspace's name.</summary>
    public string Name { get; }

    /// <summary>The size in bytes.</summary>
    public long Size => _bytes.Length;

    /// <summary>The number of pages.</summary>
    public long Pages => _bytes.Length / PageSize;

    /// <summary>The whole dataspace as a span over its host memory.</summary>
    public Span<byte> Span => _bytes;

    /// <summary>The whole dataspace as memory (for pipelines and asynchronous consumers).</summary>
    public Memory<byte> Memory => _bytes;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Size / 1024} KiB)";
}
