using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;

namespace L4Re.Io.Dma;

/// <summary>
/// A DMA address space kept as a page table over dataspace pages — the in-package stand-in for the
/// kernel's <c>Dma_space</c>. The owner of a device maps the pages its device may reach, at DMA
/// addresses it chooses, with read and/or write rights; everything else faults. Semantics follow
/// <c>L4Re::Dma_space::map</c>/<c>unmap</c> (l4re-core <c>l4re/include/dma_space</c>): mapping over an
/// existing mapping is <see cref="L4Error.Exist"/>, an offset beyond the dataspace
/// <see cref="L4Error.Range"/>. Thread-safe; <see cref="Translate"/> allocates nothing.
/// </summary>
public sealed class DataspaceDmaSpace : IDmaSpace
{
    /// <summary>The page size of mappings (the kernel's 4 KiB).</summary>
    public const int PageSize = Dataspace.PageSize;

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Page> _pages = [];

    /// <summary>Creates an empty DMA space; <paramref name="name"/> names it in diagnostics.</summary>
    public DataspaceDmaSpace(string name = "dma")
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>The number of mapped pages.</summary>
    public int MappedPages
    {
        get
        {
            lock (_gate)
                return _pages.Count;
        }
    }

    /// <summary>
    /// Maps <paramref name="size"/> bytes of <paramref name="dataspace"/> from <paramref name="offset"/>
    /// at <paramref name="dmaAddress"/> with <paramref name="rights"/>. All three numbers must be
    /// page-aligned and the size positive. Either every page is mapped or none.
    /// </summary>
    /// <returns><see cref="L4Error.Ok"/>; <see cref="L4Error.Inval"/> for misaligned or empty ranges, wrap-around or no rights;
    /// <see cref="L4Error.Range"/> when the range exceeds the dataspace; <see cref="L4Error.Exist"/> when a page is already mapped.</returns>
    public L4Error Map(ulong dmaAddress, Dataspace dataspace, long offset, long size, DmaAccess rights)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        if (size <= 0 || offset < 0 || size % PageSize != 0 || offset % PageSize != 0 || dmaAddress % PageSize != 0
            || (rights & DmaAccess.ReadWrite) == 0 || (rights & ~DmaAccess.ReadWrite) != 0
            || dmaAddress + (ulong)size - 1 < dmaAddress)
            return L4Error.Inval;
        if (offset > dataspace.Size - size)
            return L4Error.Range;
        var first = dmaAddress / PageSize;
        var count = (ulong)size / PageSize;
        lock (_gate)
        {
            for (var i = 0UL; i < count; i++)
                if (_pages.ContainsKey(first + i))
                    return L4Error.Exist;
            for (var i = 0UL; i < count; i++)
                _pages[first + i] = new Page(dataspace, offset + (long)i * PageSize, rights);
        }
        return L4Error.Ok;
    }

    /// <summary>Unmaps every page in [<paramref name="dmaAddress"/>, +<paramref name="size"/>); pages that were not mapped are ignored.</summary>
    /// <returns><see cref="L4Error.Ok"/>, or <see cref="L4Error.Inval"/> for a misaligned or empty range.</returns>
    public L4Error Unmap(ulong dmaAddress, long size)
    {
        if (size <= 0 || size % PageSize != 0 || dmaAddress % PageSize != 0 || dmaAddress + (ulong)size - 1 < dmaAddress)
            return L4Error.Inval;
        var first = dmaAddress / PageSize;
        lock (_gate)
            for (var i = 0UL; i < (ulong)size / PageSize; i++)
                _pages.Remove(first + i);
        return L4Error.Ok;
    }

    /// <inheritdoc />
    public DmaStatus Translate(ulong dmaAddress, DmaAccess access, out DmaTarget target)
    {
        Page page;
        bool found;
        lock (_gate)
            found = _pages.TryGetValue(dmaAddress / PageSize, out page);
        if (!found)
        {
            target = default;
            return DmaStatus.NotMapped;
        }
        if ((page.Rights & access) != access)
        {
            target = default;
            return DmaStatus.NoPermission;
        }
        var within = (long)(dmaAddress % PageSize);
        target = new DmaTarget(page.Dataspace, page.Offset + within, PageSize - within);
        return DmaStatus.Ok;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({MappedPages} pages)";

    private readonly record struct Page(Dataspace Dataspace, long Offset, DmaAccess Rights);
}
