using L4Re.Uvmm.Mips;

namespace L4Re.Platform.BaikalT.Soc;

/// <summary>
/// The MIPS P5600 cores of the Baikal-T1: what the hardware reports to the root (L4Re's kernel) and what a guest
/// running on the SDK's vCPU sees. The guest values are the vCPU's (<see cref="P5600Guest"/>): the PRId of a
/// P5600 but only the features the engine implements, the way uvmm masks what its vCPU does not support — no FPU,
/// MSA, XPA/LPA, page walker, VZ-in-the-guest, CM/CDMM discovery through Config3 (reference/mips-vz.md).
/// Config bit positions follow the MIPS32 PRA (Linux <c>asm/mipsregs.h</c>).
/// </summary>
public static class P5600Core
{
    /// <summary>PRId: company MIPS (1), processor P5600 (0xa8), revision 0.</summary>
    public const uint ProcessorId = 0x0001_a800;

    /// <summary>Cores on the SoC.</summary>
    public const int Cores = 2;

    /// <summary>Highest core clock of the Baikal-T1 (1.2 GHz); the VM's <c>cpu@0</c> clock and the vCPU's cycle rate.</summary>
    public const uint ClockHz = 1_200_000_000;

    /// <summary>CP0 Count rate: half the core clock (Linux generic <c>plat_time_init</c>).</summary>
    public const uint CountHz = ClockHz / 2;

    /// <summary>Entries of the variable TLB (the FTLB is not modelled).</summary>
    public const int VtlbEntries = 64;

    /// <summary>Config3 bits (MIPS32 PRA).</summary>
    public const uint Config3M = 1u << 31, Config3CmGcr = 1u << 29, Config3Msa = 1u << 28, Config3Bp = 1u << 27, Config3Bi = 1u << 26,
        Config3Pw = 1u << 24, Config3Vz = 1u << 23, Config3Ulri = 1u << 13, Config3Rxi = 1u << 12, Config3Lpa = 1u << 7, Config3VInt = 1u << 5;

    /// <summary>
    /// Config3 of the hardware as the root sees it (reference/mips-vz.md: VZ, MSA, ULRI, CMGCR, PW, RXI, LPA, VInt;
    /// BP/BI for BadInstr/BadInstrP).
    /// </summary>
    public const uint HostConfig3 = Config3M | Config3CmGcr | Config3Msa | Config3Bp | Config3Bi | Config3Pw | Config3Vz | Config3Ulri | Config3Rxi | Config3Lpa | Config3VInt;

    /// <summary>Config0 a guest sees.</summary>
    public const uint GuestConfig0 = P5600Guest.Config0;

    /// <summary>Config1 a guest sees (64-entry TLB, 32 KB 4-way L1 I/D, FP = 0).</summary>
    public static uint GuestConfig1 => P5600Guest.Config1(VtlbEntries);

    /// <summary>Config2 a guest sees.</summary>
    public const uint GuestConfig2 = P5600Guest.Config2;

    /// <summary>Config3 a guest sees: M, BP, BI, ULRI, RXI, VInt — without VZ, MSA, PW, LPA, CMGCR.</summary>
    public const uint GuestConfig3 = P5600Guest.Config3;

    /// <summary>Config4 a guest sees (KScrExist = 0x1c, TLBINV).</summary>
    public const uint GuestConfig4 = P5600Guest.Config4;

    /// <summary>Config5 a guest sees (LLB).</summary>
    public const uint GuestConfig5 = P5600Guest.Config5;

    /// <summary>Config3 features of the hardware the guest does not see.</summary>
    public const uint HiddenFromGuest = HostConfig3 & ~GuestConfig3;

    /// <summary>The guest Config registers 0–5.</summary>
    public static IReadOnlyList<uint> GuestConfig => [GuestConfig0, GuestConfig1, GuestConfig2, GuestConfig3, GuestConfig4, GuestConfig5];
}
