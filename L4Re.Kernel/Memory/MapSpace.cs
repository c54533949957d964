using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Memory;

/// <summary>
/// A space whose entries are tracked in the mapping database: a memory space (pages) or an I/O-port
/// space (ports). Each present entry is a <see cref="MappingNode"/>. Sigma0's spaces are idempotent:
/// they hold every physical frame (or port) without a page table.
/// </summary>
public abstract class MapSpace
{
    private protected readonly PageTable Table = new();
    private readonly PhysicalMemory? _fabricate;
    private long _generation;

    private protected MapSpace(L4Task owner, ulong limit, PhysicalMemory? sigma0Memory)
    {
        Owner = owner;
        Limit = limit;
        _fabricate = sigma0Memory;
    }

    /// <summary>The task (or VM, DMA space) owning the space.</summary>
    public L4Task Owner { get; }

    /// <summary>The number of pages (or ports) the space can hold; maps beyond are skipped.</summary>
    public ulong Limit { get; }

    /// <summary>True for sigma0's idempotent space.</summary>
    public bool IsSigma0 => _fabricate is not null;

    /// <summary>
    /// Bumped whenever a mapping of this space is removed or loses rights (unmap, overmap, grant away,
    /// task deletion). A cache of translations taken at one generation stays valid while the generation
    /// is unchanged; new mappings do not bump it, so a cache must not remember misses.
    /// </summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>Number of present entries (sigma0: 0, its entries are fabricated).</summary>
    public int Count => Table.Count;

    internal void Invalidate() => _generation++;

    internal abstract bool IsIo { get; }

    /// <summary>The mapping at <paramref name="page"/>, or null.</summary>
    public MappingNode? Lookup(ulong page)
    {
        if (_fabricate is null)
            return Table.Get(page);
        return IsIo ? _fabricate.IoRoot(this, page) : _fabricate.Root(this, page);
    }

    /// <summary>The first present page in [<paramref name="from"/>, <paramref name="end"/>), or <see cref="ulong.MaxValue"/>.</summary>
    internal ulong NextPresent(ulong from, ulong end)
    {
        if (end > Limit)
            end = Limit;
        if (_fabricate is null)
            return Table.NextPresent(from, end);
        if (from >= end)
            return ulong.MaxValue;
        if (IsIo)
            return from;
        var p = _fabricate.NextPage(from);
        return p < end ? p : ulong.MaxValue;
    }

    internal bool TrySet(ulong page, MappingNode node) => Table.TrySet(page, node, Owner.Quota);

    internal void Clear(ulong page) => Table.Clear(page);

    internal void ResetTable() => Table.Reset(Owner.Quota);

    internal int ChunkCount => Table.Chunks;

    /// <summary>All present mappings in page order.</summary>
    public IEnumerable<MappingNode> Enumerate()
    {
        if (_fabricate is not null)
            yield break;
        var p = Table.NextPresent(0, Limit);
        while (p != ulong.MaxValue)
        {
            yield return Table.Get(p)!;
            p = Table.NextPresent(p + 1, Limit);
        }
    }
}
