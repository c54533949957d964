namespace L4Re.Uvmm.Vz;

/// <summary>Configuration of a <see cref="Vcpu"/>.</summary>
public sealed record VcpuOptions
{
    /// <summary>vCPU number (EBase.CPUNum, RDHWR $0).</summary>
    public int CpuNum { get; init; }

    /// <summary>Guest JTLB entries (16–64, a power of two); the P5600 VTLB has 64.</summary>
    public int TlbEntries { get; init; } = 64;

    /// <summary>
    /// Apply Fiasco's masks to VMM writes of GuestCtl0 (<c>Ctl_0_mbz</c> 0x7f7f0281, <c>Ctl_0_mb1</c> 0x0c000000:
    /// AT is always 3) and GuestCtl0Ext (0x0d7). Turn off to drive the hardware registers directly (e.g. AT = 1).
    /// </summary>
    public bool FiascoMasks { get; init; } = true;
}
