using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Memory;

/// <summary>
/// The kernel's free list of mapping nodes, as Fiasco takes its mapping-database entries from a slab cache: an unmapped
/// node is kept (up to <see cref="Capacity"/>) and reused for the next mapping, so mapping and unmapping a page again and
/// again allocates nothing. The quota a mapping costs is charged and refunded as before; the pool only recycles the objects.
/// </summary>
internal sealed class MappingNodePool
{
    /// <summary>The most unused nodes kept.</summary>
    public const int Capacity = 4096;

    private readonly MappingNode[] _free = new MappingNode[Capacity];
    private int _count;

    /// <summary>Number of unused nodes kept.</summary>
    public int Count => _count;

    /// <summary>A node for a new mapping of <paramref name="frame"/> of <paramref name="region"/> at <paramref name="page"/> of <paramref name="space"/> (no parent yet).</summary>
    public MappingNode Rent(MapSpace space, ulong page, PhysicalRegion? region, long frame, MemRights rights, FpageCacheability caching)
    {
        if (_count == 0)
            return new MappingNode(space, page, region, frame, rights, null, caching);
        var n = _free[--_count];
        _free[_count] = null!;
        n.Reinit(space, page, region, frame, rights, caching);
        return n;
    }

    /// <summary>Takes back a node that left its tree and its page table.</summary>
    public void Return(MappingNode node)
    {
        if (_count < Capacity)
            _free[_count++] = node;
    }
}
