namespace L4Re.Uvmm.Mips;

/// <summary>
/// Reset values and write masks of the guest CP0 context of the modelled P5600 (PRId 0x0001A800).
/// Feature bits advertise only what the engine implements, the way uvmm and Fiasco mask the guest Config
/// registers: no FPU (Config1.FP = 0), no MSA, no watch registers, no performance counters, no EJTAG,
/// no XPA/LPA, no page walker, no segmentation control, no EVA, no FTLB. Cache geometry, BI/BP, ULRI,
/// RXI, VInt, TLBINV (Config4.IE = 2), KScrExist and LLB follow QEMU's P5600 definition
/// (target/mips/cpu-defs.c.inc) and the P5600 values in reference/mips-vz.md.
/// </summary>
public static class P5600Guest
{
    /// <summary>The processor identification the VMM reports for guest PRId reads.</summary>
    public const uint PrId = 0x0001_a800;

    /// <summary>Config0: M, MM (write merge), AR = 1 (release 2+), MT = 1 (standard TLB), K0 = 2 (uncached).</summary>
    public const uint Config0 = 1u << 31 | 1u << 18 | 1u << 10 | 1u << 7 | 2;
    /// <summary>Config0 bits the guest may write: K0.</summary>
    public const uint Config0Writable = 7;

    /// <summary>Config1 without the MMU size: M, 32 KB 4-way 32-byte-line L1 I and D caches, FP = 0.</summary>
    public const uint Config1Base = 1u << 31 | 2u << 22 | 4u << 19 | 3u << 16 | 2u << 13 | 4u << 10 | 3u << 7;

    /// <summary>Config1 for a JTLB of <paramref name="tlbEntries"/> entries (MMUSize − 1 in bits 30:25).</summary>
    public static uint Config1(int tlbEntries) => Config1Base | (uint)(tlbEntries - 1) << 25;

    /// <summary>Config2: M (Config3 present), no L2 information.</summary>
    public const uint Config2 = 1u << 31;
    /// <summary>Config3: M, BP, BI, ULRI, RXI, VInt.</summary>
    public const uint Config3 = 1u << 31 | 1u << 27 | 1u << 26 | 1u << 13 | 1u << 12 | 1u << 5;
    /// <summary>Config3.ULRI (13): UserLocal implemented.</summary>
    public const uint Config3Ulri = 1u << 13;
    /// <summary>Config3.VInt (5): vectored interrupts.</summary>
    public const uint Config3VInt = 1u << 5;
    /// <summary>Config4: M, IE = 2 (TLBINV/TLBINVF, EntryHi.EHINV), KScrExist = 0x1c (KScratch1–3).</summary>
    public const uint Config4 = 1u << 31 | 2u << 29 | 0x1cu << 16;
    /// <summary>Config5: LLB (LLAddr.LLB holds the LLbit).</summary>
    public const uint Config5 = 1u << 4;
    /// <summary>Config5 bits a guest write may change once the VMM accepts it (K, CV, SBRI), see KVM's kvm_vz_config5_guest_wrmask.</summary>
    public const uint Config5Writable = 1u << 30 | 1u << 29 | 1u << 6;

    /// <summary>Status after reset: ERL = 1, BEV = 1.</summary>
    public const uint StatusReset = Cp0Bits.StatusERL | Cp0Bits.StatusBEV;
    /// <summary>Status bits a guest MTC0 writes directly (CU0, RP, BEV, TS, NMI, IM, KSU, ERL, EXL, IE).</summary>
    public const uint StatusWritable = Cp0Bits.StatusCU0 | Cp0Bits.StatusRP | Cp0Bits.StatusBEV | Cp0Bits.StatusTS
        | Cp0Bits.StatusNMI | Cp0Bits.StatusIM | Cp0Bits.StatusKSU | Cp0Bits.StatusERL | Cp0Bits.StatusEXL | Cp0Bits.StatusIE;
    /// <summary>Status fields whose change by a guest MTC0 raises a GSFC exit (CU1–CU3, RE, FR, MX).</summary>
    public const uint StatusSoftFields = Cp0Bits.StatusCU1 | Cp0Bits.StatusCU2 | Cp0Bits.StatusCU3 | Cp0Bits.StatusRE | Cp0Bits.StatusFR | Cp0Bits.StatusMX;

    /// <summary>Cause fields whose change by a guest MTC0 raises a GSFC exit (DC, IV, WP, IP1–IP0).</summary>
    public const uint CauseSoftFields = Cp0Bits.CauseDC | Cp0Bits.CauseIV | Cp0Bits.CauseWP | Cp0Bits.CauseSoftIP;
    /// <summary>Cause bits a root (VMM) write may set: the soft fields and TI.</summary>
    public const uint CauseRootWritable = CauseSoftFields | Cp0Bits.CauseTI;

    /// <summary>IntCtl after reset: IPTI = 7 (the timer raises IP7 = hardware interrupt 5).</summary>
    public const uint IntCtlReset = 7u << Cp0Bits.IntCtlIptiShift;
    /// <summary>IntCtl bits that may change (VS); a guest change raises a GSFC exit.</summary>
    public const uint IntCtlWritable = Cp0Bits.IntCtlVS;

    /// <summary>PageGrain bits that may be written: RIE, XIE, IEC.</summary>
    public const uint PageGrainWritable = Cp0Bits.PageGrainRIE | Cp0Bits.PageGrainXIE | Cp0Bits.PageGrainIEC;
    /// <summary>PageMask bits (28:13: 4 KiB to 256 MiB pages).</summary>
    public const uint PageMaskWritable = 0x1fff_e000;
    /// <summary>EntryLo bits without RI/XI: PFN (29:6), C, D, V, G.</summary>
    public const uint EntryLoBase = 0x3fff_ffff;
    /// <summary>EntryHi bits: VPN2, EHINV, ASID.</summary>
    public const uint EntryHiWritable = Cp0Bits.EntryHiVpn2 | Cp0Bits.EntryHiEHINV | Cp0Bits.EntryHiAsid;
    /// <summary>Context bits the guest writes (PTEBase, 31:23).</summary>
    public const uint ContextWritable = 0xff80_0000;
    /// <summary>HWREna bits: CPUNum, SYNCI_Step, CC, CCRes, ULR.</summary>
    public const uint HwrEnaWritable = 0x2000_000f;
    /// <summary>EBase after reset (exception base 0x80000000), without CPUNum.</summary>
    public const uint EBaseReset = 0x8000_0000;
    /// <summary>EBase.WG (11): write gate for bits 31:30.</summary>
    public const uint EBaseWG = 1u << 11;
    /// <summary>SYNCI step (bytes) reported by RDHWR $1.</summary>
    public const uint SynciStep = 32;
    /// <summary>Count resolution (cycles per Count increment) reported by RDHWR $3.</summary>
    public const uint CountResolution = 2;
    /// <summary>Bytes per instruction-cache line, the granule CACHE and SYNCI invalidate.</summary>
    public const uint CacheLine = 32;
}
