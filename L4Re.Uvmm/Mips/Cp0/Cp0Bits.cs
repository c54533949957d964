namespace L4Re.Uvmm.Mips;

/// <summary>Bit fields of Status, Cause, IntCtl, PageGrain, EntryHi/Lo and Config registers (MIPS32 PRA, MD00090).</summary>
public static class Cp0Bits
{
    /// <summary>Status.IE (0): interrupt enable.</summary>
    public const uint StatusIE = 1u << 0;
    /// <summary>Status.EXL (1): exception level.</summary>
    public const uint StatusEXL = 1u << 1;
    /// <summary>Status.ERL (2): error level (reset, NMI).</summary>
    public const uint StatusERL = 1u << 2;
    /// <summary>Status.KSU field (4:3): 0 kernel, 1 supervisor, 2 user.</summary>
    public const uint StatusKSU = 3u << 3;
    /// <summary>Status.IM7–IM0 (15:8).</summary>
    public const uint StatusIM = 0xffu << 8;
    /// <summary>Status.NMI (19).</summary>
    public const uint StatusNMI = 1u << 19;
    /// <summary>Status.SR (20).</summary>
    public const uint StatusSR = 1u << 20;
    /// <summary>Status.TS (21).</summary>
    public const uint StatusTS = 1u << 21;
    /// <summary>Status.BEV (22): bootstrap exception vectors.</summary>
    public const uint StatusBEV = 1u << 22;
    /// <summary>Status.MX (24).</summary>
    public const uint StatusMX = 1u << 24;
    /// <summary>Status.RE (25).</summary>
    public const uint StatusRE = 1u << 25;
    /// <summary>Status.FR (26).</summary>
    public const uint StatusFR = 1u << 26;
    /// <summary>Status.RP (27).</summary>
    public const uint StatusRP = 1u << 27;
    /// <summary>Status.CU0 (28).</summary>
    public const uint StatusCU0 = 1u << 28;
    /// <summary>Status.CU1 (29).</summary>
    public const uint StatusCU1 = 1u << 29;
    /// <summary>Status.CU2 (30).</summary>
    public const uint StatusCU2 = 1u << 30;
    /// <summary>Status.CU3 (31).</summary>
    public const uint StatusCU3 = 1u << 31;

    /// <summary>Cause.ExcCode field (6:2).</summary>
    public const uint CauseExcCode = 0x1fu << 2;
    /// <summary>Cause.IP1–IP0 (9:8): software interrupts.</summary>
    public const uint CauseSoftIP = 3u << 8;
    /// <summary>Cause.IP7–IP2 (15:10): hardware interrupts.</summary>
    public const uint CauseHwIP = 0x3fu << 10;
    /// <summary>Cause.WP (22).</summary>
    public const uint CauseWP = 1u << 22;
    /// <summary>Cause.IV (23): interrupts use the special vector (offset 0x200).</summary>
    public const uint CauseIV = 1u << 23;
    /// <summary>Cause.DC (27): disable Count.</summary>
    public const uint CauseDC = 1u << 27;
    /// <summary>Cause.CE field shift (29:28): coprocessor of a Coprocessor Unusable exception.</summary>
    public const int CauseCEShift = 28;
    /// <summary>Cause.TI (30): timer interrupt pending.</summary>
    public const uint CauseTI = 1u << 30;
    /// <summary>Cause.BD (31): the exception was taken in a branch delay slot.</summary>
    public const uint CauseBD = 1u << 31;

    /// <summary>IntCtl.IPTI shift (31:29): the IP line of the timer interrupt.</summary>
    public const int IntCtlIptiShift = 29;
    /// <summary>IntCtl.VS (9:5): vector spacing.</summary>
    public const uint IntCtlVS = 0x1fu << 5;

    /// <summary>PageGrain.RIE (31): EntryLo.RI enabled.</summary>
    public const uint PageGrainRIE = 1u << 31;
    /// <summary>PageGrain.XIE (30): EntryLo.XI enabled.</summary>
    public const uint PageGrainXIE = 1u << 30;
    /// <summary>PageGrain.IEC (27): RI/XI violations use TLBRI/TLBXI exception codes.</summary>
    public const uint PageGrainIEC = 1u << 27;

    /// <summary>EntryHi.EHINV (10): the entry is invalid (TLBINV support, Config4.IE = 2).</summary>
    public const uint EntryHiEHINV = 1u << 10;
    /// <summary>EntryHi.ASID (7:0).</summary>
    public const uint EntryHiAsid = 0xffu;
    /// <summary>EntryHi.VPN2 (31:13).</summary>
    public const uint EntryHiVpn2 = 0xffff_e000;

    /// <summary>EntryLo.G (0): global.</summary>
    public const uint EntryLoG = 1u << 0;
    /// <summary>EntryLo.V (1): valid.</summary>
    public const uint EntryLoV = 1u << 1;
    /// <summary>EntryLo.D (2): dirty (writable).</summary>
    public const uint EntryLoD = 1u << 2;
    /// <summary>EntryLo.XI (30): execute inhibit.</summary>
    public const uint EntryLoXI = 1u << 30;
    /// <summary>EntryLo.RI (31): read inhibit.</summary>
    public const uint EntryLoRI = 1u << 31;

    /// <summary>Index.P (31): probe failure.</summary>
    public const uint IndexP = 1u << 31;

    /// <summary>LLAddr.LLB (0): the LLbit (Config5.LLB = 1).</summary>
    public const uint LlAddrLLB = 1u << 0;

    /// <summary>HWREna.ULR (29): user mode may read UserLocal with RDHWR $29.</summary>
    public const uint HwrEnaUlr = 1u << 29;
}
