namespace L4Re.Uvmm.Vz;

/// <summary>
/// Fields of the root register GuestCtl0 (CP0 $12 sel 6) and Fiasco's masks for VMM writes. Bit positions
/// from Linux arch/mips/include/asm/mipsregs.h (MIPS_GCTL0_*) and the VZ ASE; masks from Fiasco
/// src/kern/mips/vz.cpp (<c>Ctl_0_mbz</c>, <c>Ctl_0_mb1</c>).
/// </summary>
public static class GuestCtl0Bits
{
    /// <summary>GM (31): guest mode (always set while the engine runs).</summary>
    public const uint GM = 1u << 31;
    /// <summary>RI (30): reserved instructions in guest mode exit as GRR instead of a guest RI exception.</summary>
    public const uint RI = 1u << 30;
    /// <summary>MC (29): guest mode changes (kernel/user via exception entry or ERET) exit as GHFC.</summary>
    public const uint MC = 1u << 29;
    /// <summary>CP0 (28): the guest may access its CP0 context (otherwise every CP0 access is a GPSI).</summary>
    public const uint CP0 = 1u << 28;
    /// <summary>AT field shift (27:26): 1 = root controls the guest MMU, 3 = guest MMU under guest control.</summary>
    public const int AtShift = 26;
    /// <summary>GT (25): the guest may access Count/Compare (otherwise GPSI).</summary>
    public const uint GT = 1u << 25;
    /// <summary>CG (24): the guest may execute CACHE hit operations (index operations always exit).</summary>
    public const uint CG = 1u << 24;
    /// <summary>CF (23): guest Config register access control (stored; Config writes follow the guest write masks).</summary>
    public const uint CF = 1u << 23;
    /// <summary>G1 (22): GuestCtl1 implemented (read-only 1).</summary>
    public const uint G1 = 1u << 22;
    /// <summary>G0E (19): GuestCtl0Ext implemented (read-only 1).</summary>
    public const uint G0E = 1u << 19;
    /// <summary>PT (18): pass-through of root interrupts (read-only 0).</summary>
    public const uint PT = 1u << 18;
    /// <summary>RAD (9): GuestID-based root TLB dealiasing (read-only 1).</summary>
    public const uint RAD = 1u << 9;
    /// <summary>DRG (8): direct root-to-guest access (read-only 0).</summary>
    public const uint DRG = 1u << 8;
    /// <summary>G2 (7): GuestCtl2 implemented (read-only 1).</summary>
    public const uint G2 = 1u << 7;
    /// <summary>GExcCode field shift (6:2).</summary>
    public const int GExcCodeShift = 2;
    /// <summary>SFC2 (1): software field change control 2 (stored, not interpreted).</summary>
    public const uint SFC2 = 1u << 1;
    /// <summary>SFC1 (0): software field change control 1 (stored, not interpreted).</summary>
    public const uint SFC1 = 1u << 0;

    /// <summary>Read-only capability bits of the modelled P5600: G1, G0E, RAD, G2.</summary>
    public const uint Capabilities = G1 | G0E | RAD | G2;

    /// <summary>Bits a root write may change (hardware view).</summary>
    public const uint Writable = RI | MC | CP0 | (3u << AtShift) | GT | CG | CF | SFC2 | SFC1;

    /// <summary>Fiasco's mask of bits a VMM may set (<c>Ctl_0_mbz</c> = 0x7f7f0281).</summary>
    public const uint FiascoAllowed = 0x7f7f_0281;

    /// <summary>Fiasco's forced bits (<c>Ctl_0_mb1</c> = 0x0c000000: AT = 3).</summary>
    public const uint FiascoForced = 0x0c00_0000;

    /// <summary>The reset value a new vCPU gets, as Fiasco's <c>Vz::State::init</c> builds it: CP0 = 1, AT = 3.</summary>
    public const uint Default = Capabilities | CP0 | (3u << AtShift);
}
