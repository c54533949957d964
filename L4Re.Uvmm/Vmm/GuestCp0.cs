namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Guest CP0 registers the VMM touches on exits, as (register, select) pairs (MIPS32 Vol. III; Linux
/// <c>arch/mips/include/asm/mipsregs.h</c>; uvmm uses the same set as <c>L4_VM_CP0_*</c>).
/// </summary>
public static class GuestCp0
{
    /// <summary>Encodes (register, select) as uvmm does: register &lt;&lt; 3 | select.</summary>
    /// <param name="register">Register 0–31.</param>
    /// <param name="select">Select 0–7.</param>
    public static int Id(int register, int select) => register << 3 | select;

    /// <summary>GlobalNumber (3, 1).</summary>
    public const int GlobalNumber = 3 << 3 | 1;
    /// <summary>Count (9, 0).</summary>
    public const int Count = 9 << 3;
    /// <summary>Compare (11, 0).</summary>
    public const int Compare = 11 << 3;
    /// <summary>Status (12, 0).</summary>
    public const int Status = 12 << 3;
    /// <summary>IntCtl (12, 1).</summary>
    public const int IntCtl = 12 << 3 | 1;
    /// <summary>SRSCtl (12, 2).</summary>
    public const int SrsCtl = 12 << 3 | 2;
    /// <summary>SRSMap (12, 3).</summary>
    public const int SrsMap = 12 << 3 | 3;
    /// <summary>Cause (13, 0).</summary>
    public const int Cause = 13 << 3;
    /// <summary>PRId (15, 0).</summary>
    public const int PrId = 15 << 3;
    /// <summary>CDMMBase (15, 2).</summary>
    public const int CdmmBase = 15 << 3 | 2;
    /// <summary>CMGCRBase (15, 3).</summary>
    public const int CmGcrBase = 15 << 3 | 3;
    /// <summary>Config0–7 (16, 0–7).</summary>
    public const int Config0 = 16 << 3, Config4 = 16 << 3 | 4, Config5 = 16 << 3 | 5, Config6 = 16 << 3 | 6, Config7 = 16 << 3 | 7;
    /// <summary>LLAddr (17, 0), MAAR (17, 1), MAARI (17, 2).</summary>
    public const int LlAddr = 17 << 3, Maar = 17 << 3 | 1, MaarI = 17 << 3 | 2;
    /// <summary>ErrCtl (26, 0).</summary>
    public const int ErrCtl = 26 << 3;
    /// <summary>TagLo/DataLo (28, 0–3), TagHi/DataHi (29, 0–3).</summary>
    public const int TagLo = 28 << 3, TagHi = 29 << 3;

    /// <summary>Status bits.</summary>
    public const uint StatusIe = 1, StatusExl = 2, StatusErl = 4, StatusImMask = 0xff00;
    /// <summary>Cause.TI (timer interrupt pending), Cause.BD and the IP field.</summary>
    public const uint CauseTi = 1u << 30, CauseBd = 1u << 31, CauseIpMask = 0xff00;
    /// <summary>Cause bits a guest MTC0 may change: DC 27, IV 23, WP 22, IP1:0 9:8 (MIPS32 Vol. III "Cause Register").</summary>
    public const uint CauseWritable = 1u << 27 | 1u << 23 | 1u << 22 | 0x300;
}
