using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Memory;

/// <summary>
/// The modelled physical memory: dataspaces placed at page-aligned physical addresses, each region either
/// RAM or I/O memory (<see cref="PhysicalMemoryKind"/>). Sigma0 owns all of it idempotently (virtual =
/// physical); every frame's mapping tree has sigma0's mapping as its root, created on first use. I/O ports
/// 0–65535 are modelled the same way.
/// <para>
/// Frames can be claimed: sigma0 records which client it handed a RAM frame to (first come, first served),
/// and a component that takes frames from sigma0 with the host API — io with its device windows — records
/// its claim with <see cref="Claim"/>, so that sigma0 hands those frames to nobody else.
/// </para>
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
    /// above all existing regions (aligned to 4 MiB) when null, as <paramref name="kind"/>, and returns the
    /// address.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not page aligned, overlaps a region, or the dataspace is already placed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kind is not defined.</exception>
    public ulong Add(Dataspace dataspace, ulong? physicalAddress = null, PhysicalMemoryKind kind = PhysicalMemoryKind.Ram)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind of physical memory");
        if (RegionOf(dataspace) is { } placed)
            throw new ArgumentException($"dataspace {dataspace} is already at 0x{placed.Base:x}", nameof(dataspace));
        var size = (ulong)dataspace.Size;
        ulong b;
        if (physicalAddress is { } pa)
        {
            if ((pa & (Dataspace.PageSize - 1)) != 0)
                throw new ArgumentException($"physical address 0x{pa:x} is not page aligned", nameof(physicalAddress));
            if (pa + size < pa)
                throw new ArgumentException($"0x{pa:x}+0x{size:x} wraps around the physical address space", nameof(physicalAddress));
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
        var region = new PhysicalRegion(b, dataspace, kind);
        var i = 0;
        while (i < _regions.Count && _regions[i].Base < b)
            i++;
        _regions.Insert(i, region);
        return b;
    }

    /// <summary>
    /// Takes <paramref name="dataspace"/> out of physical memory. As when sigma0 unmaps a frame from all other
    /// spaces (<c>l4_task_unmap</c> without <c>L4_FP_ALL_SPACES</c> at the root of every mapping tree), every
    /// mapping derived from the region's frames is revoked first — tasks, VMs, DMA spaces, whoever received
    /// them, however deep — and the spaces' <see cref="MapSpace.Generation"/> is bumped; sigma0's hand-outs and
    /// claims of the frames end with the region. The dataspace keeps its bytes and can be placed again.
    /// </summary>
    /// <returns>False when the dataspace is not placed.</returns>
    public bool Remove(Dataspace dataspace)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        if (RegionOf(dataspace) is not { } region)
            return false;
        for (var i = 0; i < region.Roots.Length; i++)
        {
            if (region.Roots[i] is { } root)
            {
                MappingDatabase.Flush(root, self: false);
                _kernel.Trace.Record(TraceKind.Unmap, null, _kernel.Sigma0, region.FirstPage + (ulong)i, (ulong)MemRights.RWX);
            }
        }
        _regions.Remove(region);
        region.Detach();
        return true;
    }

    /// <summary>The physical address of a placed dataspace, or null.</summary>
    public ulong? AddressOf(Dataspace dataspace) => RegionOf(dataspace)?.Base;

    private PhysicalRegion? RegionOf(Dataspace dataspace)
    {
        foreach (var r in _regions)
        {
            if (ReferenceEquals(r.Dataspace, dataspace))
                return r;
        }
        return null;
    }

    /// <summary>Finds the dataspace and offset backing <paramref name="physicalAddress"/> (RAM or I/O memory).</summary>
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

    /// <summary>The region holding <paramref name="physicalAddress"/>, or null (a hole). Allocation free.</summary>
    public PhysicalRegion? FindRegion(ulong physicalAddress) => Find(physicalAddress >> 12);

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

    // ---- claims ---------------------------------------------------------------------------------

    /// <summary>
    /// Records that <paramref name="claimant"/> owns the frames of [<paramref name="physicalAddress"/>,
    /// <paramref name="physicalAddress"/> + <paramref name="size"/>) (whole pages), which it maps from sigma0 with
    /// the host API (<see cref="L4Task.Map(L4Task, Fpage, SndItem)"/>): sigma0 then hands them to nobody else — not
    /// as RAM, not as I/O memory, not on a page fault. All or nothing; claiming frames one already holds is fine.
    /// The claim ends with <see cref="Release"/>, with the region (<see cref="Remove"/>) or when the claimant is deleted.
    /// </summary>
    /// <returns><see cref="L4Error.Ok"/>; <see cref="L4Error.NoEnt"/> when a page is not placed;
    /// <see cref="L4Error.Busy"/> when sigma0 handed a frame to a client or another task claimed it, or a task other
    /// than the claimant maps it already; <see cref="L4Error.Inval"/> for an empty, wrapping range or a deleted claimant.</returns>
    public L4Error Claim(ulong physicalAddress, ulong size, L4Task claimant)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        if (claimant.IsDeleted || !TryPages(physicalAddress, size, out var first, out var last))
            return L4Error.Inval;
        for (var p = first; p <= last; p++)
        {
            if (Find(p) is not { } r)
                return L4Error.NoEnt;
            var i = (long)(p - r.FirstPage);
            if (r.OwnerAt(i) is { } o && !ReferenceEquals(o, claimant))
                return L4Error.Busy;
            for (var c = r.Roots[i]?.FirstChild; c is not null; c = c.NextSibling)
            {
                if (!ReferenceEquals(c.Space.Owner, claimant))
                    return L4Error.Busy;
            }
        }
        for (var p = first; p <= last; p++)
        {
            var r = Find(p)!;
            r.SetOwner((long)(p - r.FirstPage), claimant);
        }
        return L4Error.Ok;
    }

    /// <summary>Ends <paramref name="claimant"/>'s claim on the frames of the range (frames it does not hold are left alone).</summary>
    public void Release(ulong physicalAddress, ulong size, L4Task claimant)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        if (!TryPages(physicalAddress, size, out var first, out var last))
            return;
        for (var p = first; p <= last; p++)
        {
            if (Find(p) is { } r && ReferenceEquals(r.OwnerAt((long)(p - r.FirstPage)), claimant))
                r.SetOwner((long)(p - r.FirstPage), null);
        }
    }

    /// <summary>The task that claimed the frame at <paramref name="physicalAddress"/> with <see cref="Claim"/>, or null.</summary>
    public L4Task? ClaimantOf(ulong physicalAddress) =>
        Find(physicalAddress >> 12) is { } r ? r.OwnerAt((long)((physicalAddress >> 12) - r.FirstPage)) as L4Task : null;

    private static bool TryPages(ulong address, ulong size, out ulong first, out ulong last)
    {
        first = address >> 12;
        last = (address + size - 1) >> 12;
        return size != 0 && address + size - 1 >= address;
    }

    /// <summary>
    /// Sigma0's allocation (its <c>Mem_man::alloc</c>): true when every page of [<paramref name="page"/>,
    /// +<paramref name="count"/>) is of <paramref name="kind"/> and free or already <paramref name="owner"/>'s;
    /// with <paramref name="take"/> the pages then belong to <paramref name="owner"/>; with <paramref name="freeOnly"/> the
    /// owner's own pages do not count as free (<c>Mem_man::alloc_first</c>). Frames a task claimed are never free.
    /// </summary>
    internal bool TryTake(ulong page, ulong count, PhysicalMemoryKind kind, object owner, bool take, bool freeOnly = false)
    {
        for (var p = page; p < page + count; p++)
        {
            if (Find(p) is not { } r || r.Kind != kind)
                return false;
            if (r.OwnerAt((long)(p - r.FirstPage)) is { } o && (freeOnly || !ReferenceEquals(o, owner)))
                return false;
        }
        if (take)
        {
            for (var p = page; p < page + count; p++)
            {
                var r = Find(p)!;
                r.SetOwner((long)(p - r.FirstPage), owner);
            }
        }
        return true;
    }

    /// <summary>The number of frames whose owner satisfies <paramref name="match"/>.</summary>
    internal int CountOwned(Func<object, bool> match)
    {
        var n = 0;
        foreach (var r in _regions)
            n += r.CountOwned(match);
        return n;
    }

    // ---- sigma0's idempotent spaces ---------------------------------------------------------------

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

    /// <summary>Sigma0's root mapping of a physical page (created on first use), or null when the page is not placed.</summary>
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
        return _ioRoots[port] ??= new MappingNode(sigma0, port, null, (long)port, MemRights.RW, null, FpageCacheability.Inherit);
    }

    internal Microkernel Kernel => _kernel;
}
