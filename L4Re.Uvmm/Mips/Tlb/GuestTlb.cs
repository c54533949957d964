namespace L4Re.Uvmm.Mips;

/// <summary>
/// The guest JTLB (default 64 entries, as the P5600 VTLB): fully associative, variable page sizes, ASIDs,
/// global bit, per-page valid/dirty/RI/XI. The VMM may read and write entries (like Fiasco's wired-entry
/// save/restore); every change bumps <see cref="Version"/> so the engine drops stale translations.
/// When several entries match an address the lowest index wins (the P5600 would raise a machine check).
/// </summary>
public sealed class GuestTlb
{
    private readonly TlbEntry[] _entries;

    /// <summary>Creates a TLB of <paramref name="size"/> invalid entries.</summary>
    /// <param name="size">A power of two from 16 to 64 (Config1.MMUSize − 1 is six bits wide).</param>
    public GuestTlb(int size = 64)
    {
        if (size is < 16 or > 64 || (size & (size - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "the guest TLB size must be a power of two from 16 to 64");
        _entries = new TlbEntry[size];
        InvalidateAll();
    }

    /// <summary>Number of entries.</summary>
    public int Size => _entries.Length;

    /// <summary>Incremented on every change made through this class's public members (the engine then drops all cached translations).</summary>
    public long Version { get; private set; }

    /// <summary>Entry <paramref name="index"/>.</summary>
    public TlbEntry this[int index]
    {
        get => _entries[index];
        set
        {
            _entries[index] = value;
            Version++;
        }
    }

    /// <summary>A guest TLBWI/TLBWR: the engine invalidates the translations of the replaced entry itself.</summary>
    internal void WriteFromGuest(int index, TlbEntry entry) => _entries[index] = entry;

    /// <summary>Invalidates every entry (TLBINVF).</summary>
    public void InvalidateAll()
    {
        Array.Fill(_entries, TlbEntry.Invalid);
        Version++;
    }

    /// <summary>Invalidates the non-global entries of <paramref name="asid"/> (TLBINV).</summary>
    public void InvalidateAsid(uint asid)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            var e = _entries[i];
            if (!e.Invalidated && !e.Global && (e.EntryHi & Cp0Bits.EntryHiAsid) == asid)
                _entries[i] = e with { EntryHi = e.EntryHi | Cp0Bits.EntryHiEHINV };
        }
        Version++;
    }

    /// <summary>The index of the entry matching <paramref name="va"/> and <paramref name="asid"/>, or −1.</summary>
    public int Find(uint va, uint asid)
    {
        var entries = _entries;
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Matches(va, asid))
                return i;
        }
        return -1;
    }

    /// <summary>TLBP semantics: the index of an entry whose VPN2 (under either mask) and ASID/G match <paramref name="entryHi"/>, or −1.</summary>
    public int Probe(uint entryHi) => Find(entryHi & Cp0Bits.EntryHiVpn2, entryHi & Cp0Bits.EntryHiAsid);
}
