namespace L4Re.Uvmm.Mips;

/// <summary>
/// One JTLB entry as TLBR/TLBWI see it: EntryHi (VPN2, EHINV, ASID), PageMask and the even/odd EntryLo
/// values (PFN, C, D, V, G, RI, XI). The entry is global when both EntryLo G bits are set.
/// </summary>
/// <param name="EntryHi">VPN2 (31:13), EHINV (10), ASID (7:0).</param>
/// <param name="PageMask">Mask bits 28:13.</param>
/// <param name="EntryLo0">Even page.</param>
/// <param name="EntryLo1">Odd page.</param>
public readonly record struct TlbEntry(uint EntryHi, uint PageMask, uint EntryLo0, uint EntryLo1)
{
    /// <summary>An invalidated entry (EHINV set).</summary>
    public static TlbEntry Invalid => new(Cp0Bits.EntryHiEHINV, 0, 0, 0);

    /// <summary>Both halves global.</summary>
    public bool Global => (EntryLo0 & EntryLo1 & Cp0Bits.EntryLoG) != 0;

    /// <summary>Invalidated by TLBINV/TLBINVF or written with EHINV.</summary>
    public bool Invalidated => (EntryHi & Cp0Bits.EntryHiEHINV) != 0;

    /// <summary>Offset mask within one (even or odd) page, e.g. 0xfff for 4 KiB pages.</summary>
    public uint OffsetMask => (PageMask | 0x1fff) >> 1;

    /// <summary>Whether the entry maps <paramref name="va"/> for address-space <paramref name="asid"/>.</summary>
    public bool Matches(uint va, uint asid)
    {
        if (Invalidated)
            return false;
        var vpnMask = ~(PageMask | 0x1fff);
        return ((va ^ EntryHi) & vpnMask) == 0 && (Global || (EntryHi & Cp0Bits.EntryHiAsid) == asid);
    }
}
