namespace L4Re.Kernel.Memory;

/// <summary>
/// A sparse page table: page number → mapping, in chunks of 1,024 entries (one 4 KiB page-table page
/// each, charged to the owning task's quota). Lookups hit a one-chunk cache first; present pages can be
/// enumerated in order without walking holes (and without scanning chunks that are empty).
/// <para>
/// A chunk stays when its last entry is cleared, as Fiasco's page tables do: unmapping only clears the entry
/// (<c>Mem_space::v_delete</c>), the lower page-table levels go with the space (<c>Mem_space</c>'s destructor frees
/// the page directory). Mapping and unmapping one page again and again (io handing out one MMIO page) therefore
/// allocates no page-table memory after the first time; the chunk's quota is refunded with <see cref="Reset"/>.
/// </para>
/// </summary>
internal sealed class PageTable
{
    internal const int Shift = 10;
    internal const int Size = 1 << Shift;
    internal const long ChunkBytes = 4096;

    private sealed class Chunk
    {
        public readonly MappingNode?[] Entries = new MappingNode?[Size];
        public int Count;
    }

    private readonly Dictionary<ulong, Chunk> _chunks = [];
    private readonly List<ulong> _keys = [];
    private ulong _lastKey = ulong.MaxValue;
    private Chunk? _last;

    /// <summary>Number of present entries.</summary>
    public int Count { get; private set; }

    /// <summary>Number of allocated chunks.</summary>
    public int Chunks => _chunks.Count;

    public MappingNode? Get(ulong page)
    {
        var key = page >> Shift;
        if (key == _lastKey)
            return _last!.Entries[page & (Size - 1)];
        if (!_chunks.TryGetValue(key, out var c))
            return null;
        _lastKey = key;
        _last = c;
        return c.Entries[page & (Size - 1)];
    }

    /// <summary>Sets an empty entry; allocates a chunk when needed (false when the quota refuses it).</summary>
    public bool TrySet(ulong page, MappingNode node, Objects.Factory? quota)
    {
        var key = page >> Shift;
        Chunk? c;
        if (key == _lastKey)
            c = _last!;
        else if (!_chunks.TryGetValue(key, out c))
        {
            if (quota is not null && !quota.TryCharge(ChunkBytes))
                return false;
            c = new Chunk();
            _chunks.Add(key, c);
            var i = _keys.BinarySearch(key);
            _keys.Insert(~i, key);
        }
        ref var e = ref c.Entries[page & (Size - 1)];
        if (e is null)
        {
            c.Count++;
            Count++;
        }
        e = node;
        return true;
    }

    /// <summary>Clears an entry; an emptied chunk stays allocated (and charged) until <see cref="Reset"/>.</summary>
    public void Clear(ulong page)
    {
        var key = page >> Shift;
        Chunk? c;
        if (key == _lastKey)
            c = _last!;
        else if (!_chunks.TryGetValue(key, out c))
            return;
        ref var e = ref c.Entries[page & (Size - 1)];
        if (e is null)
            return;
        e = null;
        c.Count--;
        Count--;
    }

    /// <summary>The first present page in [<paramref name="from"/>, <paramref name="end"/>), or <see cref="ulong.MaxValue"/>.</summary>
    public ulong NextPresent(ulong from, ulong end)
    {
        if (from >= end)
            return ulong.MaxValue;
        var key = from >> Shift;
        var i = _keys.BinarySearch(key);
        if (i < 0)
            i = ~i;
        for (; i < _keys.Count; i++)
        {
            var k = _keys[i];
            var first = k << Shift;
            if (first >= end)
                return ulong.MaxValue;
            var c = _chunks[k];
            if (c.Count == 0)
                continue;
            var start = from > first ? (int)(from - first) : 0;
            for (var j = start; j < Size; j++)
            {
                if (c.Entries[j] is not null)
                {
                    var p = first + (ulong)j;
                    return p < end ? p : ulong.MaxValue;
                }
            }
        }
        return ulong.MaxValue;
    }

    /// <summary>Drops everything and refunds the chunks.</summary>
    public void Reset(Objects.Factory? quota)
    {
        quota?.Refund(_chunks.Count * ChunkBytes);
        _chunks.Clear();
        _keys.Clear();
        _lastKey = ulong.MaxValue;
        _last = null;
        Count = 0;
    }
}
