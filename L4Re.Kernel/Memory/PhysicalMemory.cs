using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Memory;

/// <summary>
/// The modelled physical memory: dataspaces placed at page-aligned physical addresses. Sigma0 owns all
/// of it idempotently (virtual = physical); every frame's mapping tree has sigma0's mapping as its
/// root, created on first use. I/O ports 0–65535 are modelled the same way.
/// </summary>
public sealed class PhysicalMemory
{
    private readonly List<PhysicalRegion> _regions = [];
    private readonly Microkernel _kernel;
    private MappingNode?[]? _ioRoots;

    internal PhysicalMemory(Microkernel kernel) => _kernel = kernel;

    /// <summary>The regions in address order.</summary>
    public IReadOnlyList<PhysicalRegion> Regions => _regions;

    /// <summary>
    /// Places <paramref name="dataspace"/> at physical address <paramref name="physicalAddress"/>, or
    /// above all existing regions (aligned to 4 MiB) when null, and returns the address.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not page aligned, overlaps a region, or the dataspace is already placed.</exception>
    public ulong Add(Dataspace dataspace, ulong? physicalAddress = null)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        foreach (var r in _regions)
        {
            if (ReferenceEquals(r.Dataspace, dataspace))
                throw new ArgumentException($"dataspace {dataspace} is already at 0x{r.Base:x}", nameof(dataspace));
        }
        var size = (ulong)dataspace.Size;
        ulong b;
        if (physicalAddress is { } pa)
        {
            if ((pa & (Dataspace.PageSize - 1)) != 0)
                throw new ArgumentException($"physical address 0x{pa:x} is not page aligned", nameof(physicalAddress));
            foreach (var r in _regions)
            {
                if (pa < r.End && r.Base < pa + size)
                    throw new ArgumentException($"0x{pa:x}+0x{size:x} overlaps {r}", nameof(physicalAddress));
            }
            b = pa;
        }
        else
        {
            var top = _regions.Count == 0 ? 0x1000_0000UL : _regions.Max(r => r.End);
            b = (top + 0x3f_ffff) & ~0x3f_ffffUL;
        }
        var region = new PhysicalRegion(b, dataspace);
        var i = 0;
        while (i < _regions.Count && _regions[i].Base < b)
            i++;
        _regions.Insert(i, region);
        return b;
    }

    /// <summary>The physical address of a placed dataspace, or null.</summary>
    public ulong? AddressOf(Dataspace dataspace)
    {
        foreach (var r in _regions)
        {
            if (ReferenceEquals(r.Dataspace, dataspace))
                return r.Base;
        }
        return null;
    }

    /// <summary>Finds the dataspace and offset backing <paramref name="physicalAddress"/>.</summary>
    public bool TryFind(ulong physicalAddress, out Dataspace dataspace, out long offset)
    {
        var r = Find(physicalAddress >> 12);
        if (r is null)
        {
            dataspace = null!;
            offset = 0;
            return false;
        }
        dataspace = r.Dataspace;
        offset = (long)(physicalAddress - r.Base);
        return true;
    }

    internal PhysicalRegion? Find(ulong page)
    {
        int lo = 0, hi = _regions.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var r = _regions[mid];
            if (page < r.FirstPage)
                hi = mid - 1;
            else if (page >= r.FirstPage + r.PageCount)
                lo = mid + 1;
            else
                return r;
        }
        return null;
    }

    /// <summary>The first registered physical page at or after <paramref name="page"/>, or <see cref="ulong.MaxValue"/>.</summary>
    internal ulong NextPage(ulong page)
    {
        foreach (var r in _regions)
        {
            if (page < r.FirstPage)
                return r.FirstPage;
            if (page < r.FirstPage + r.PageCount)
                return page;
        }
        return ulong.MaxValue;
    }

    /// <summary>Sigma0's root mapping of a physical page (created on first use), or null when the page is not RAM.</summary>
    internal MappingNode? Root(MapSpace sigma0, ulong page)
    {
        var r = Find(page);
        if (r is null)
            return null;
        var idx = (long)(page - r.FirstPage);
        return r.Roots[idx] ??= new MappingNode(sigma0, page, r, idx, MemRights.RWX, null);
    }

    /// <summary>Sigma0's root mapping of an I/O port.</summary>
    internal MappingNode? IoRoot(MapSpace sigma0, ulong port)
    {
        if (port >= 1UL << Fpage.WholeIoSpace)
            return null;
        _ioRoots ??= new MappingNode?[1 << Fpage.WholeIoSpace];
        return _ioRoots[port] ??= new MappingNode(sigma0, port, null, (long)port, MemRights.RW, null);
    }

    internal Microkernel Kernel => _kernel;
}

/// <summary>One dataspace placed in physical memory.</summary>
public sealed class PhysicalRegion
{
    internal readonly MappingNode?[] Roots;

    internal PhysicalRegion(ulong physicalBase, Dataspace dataspace)
    {
        Base = physicalBase;
        Dataspace = dataspace;
        Roots = new MappingNode?[dataspace.Pages];
    }

    /// <summary>The physical start address.</summary>
    public ulong Base { get; }

    /// <summary>The dataspace holding the region's bytes.</summary>
    public Dataspace Dataspace { get; }

    /// <summary>The end address (exclusive).</summary>
    public ulong End => Base + (ulong)Dataspace.Size;

    internal ulong FirstPage => Base >> 12;

    internal ulong PageCount => (ulong)Dataspace.Pages;

    /// <inheritdoc />
    public override string ToString() => $"[0x{Base:x}, 0x{End:x}) {Dataspace.Name}";
}
