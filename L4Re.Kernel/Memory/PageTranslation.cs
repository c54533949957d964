using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Memory;

/// <summary>
/// The result of translating a task-virtual or guest-physical address through an address space: the
/// dataspace holding the byte, its offset there, the rights and the caching of the mapping.
/// </summary>
/// <param name="Dataspace">The dataspace backing the page.</param>
/// <param name="Offset">The byte offset of the translated address in <paramref name="Dataspace"/>.</param>
/// <param name="Rights">The rights of the mapping (R, W, X).</param>
public readonly record struct PageTranslation(Dataspace Dataspace, long Offset, MemRights Rights)
{
    /// <summary>The caching of the mapping (<see cref="MappingNode.Caching"/>).</summary>
    public FpageCacheability Caching { get; init; }

    /// <summary>The offset of the start of the page in the dataspace.</summary>
    public long PageOffset => Offset & ~(long)(Dataspace.PageSize - 1);

    /// <summary>The whole 4 KiB page as a span over host memory.</summary>
    public Span<byte> Page => Dataspace.Span.Slice((int)PageOffset, Dataspace.PageSize);

    /// <summary>True when the mapping allows reading.</summary>
    public bool CanRead => (Rights & MemRights.R) != 0;

    /// <summary>True when the mapping allows writing.</summary>
    public bool CanWrite => (Rights & MemRights.W) != 0;

    /// <summary>True when the mapping allows executing.</summary>
    public bool CanExecute => (Rights & MemRights.X) != 0;
}
