namespace L4Re.Uvmm.Vz;

/// <summary>
/// Groups of VZ vCPU state, as bits of <see cref="VzState.ModifiedCp0Map"/>. The bit values are Fiasco's
/// (<c>Vz::State::Modified_bits</c> in src/kern/mips/vz.cpp): a VMM that changes state sets the bit so the
/// engine reloads it on the next resume.
/// </summary>
[Flags]
public enum VzStateFields : uint
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>Guest Config0–5.</summary>
    Cfg = 1u << 0,
    /// <summary>Guest MMU registers (Index, EntryLo0/1, Context, PageMask, Wired, EntryHi) and the guest TLB.</summary>
    Mmu = 1u << 1,
    /// <summary>Address translation registers (PageGrain, SegCtl).</summary>
    Xlat = 1u << 2,
    /// <summary>Page walker registers (not implemented: Config3.PW = 0).</summary>
    Pw = 1u << 3,
    /// <summary>BadVAddr, BadInstr, BadInstrP.</summary>
    Bad = 1u << 4,
    /// <summary>KScratch registers.</summary>
    Kscr = 1u << 5,
    /// <summary>Status.</summary>
    Status = 1u << 6,
    /// <summary>Cause.</summary>
    Cause = 1u << 7,
    /// <summary>EPC, ErrorEPC.</summary>
    Epc = 1u << 8,
    /// <summary>HWREna.</summary>
    HwrEna = 1u << 9,
    /// <summary>IntCtl.</summary>
    IntCtl = 1u << 10,
    /// <summary>EBase.</summary>
    EBase = 1u << 11,
    /// <summary>UserLocal.</summary>
    Ulr = 1u << 12,
    /// <summary>GuestCtl0.</summary>
    GuestCtl0 = 1u << 16,
    /// <summary>GuestCtl0Ext.</summary>
    GuestCtl0Ext = 1u << 17,
    /// <summary>GuestCtl2.</summary>
    GuestCtl2 = 1u << 18,
    /// <summary>GTOffset.</summary>
    GtOffset = 1u << 24,
    /// <summary>Guest Compare.</summary>
    Compare = 1u << 25,
    /// <summary>When set, the LLbit (LLAddr.LLB) is cleared on resume.</summary>
    LlBit = 1u << 26,
    /// <summary>Every group.</summary>
    All = Cfg | Mmu | Xlat | Pw | Bad | Kscr | Status | Cause | Epc | HwrEna | IntCtl | EBase | Ulr
        | GuestCtl0 | GuestCtl0Ext | GuestCtl2 | GtOffset | Compare | LlBit,
}
