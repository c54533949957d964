namespace L4Re.Uvmm.Devices;

/// <summary>Addresses of the uvmm MIPS virtual platform (uvmm <c>configs/dts/ic-mips.dtsi</c>, Baikal-T1 memory map).</summary>
public static class MipsGicDefaults
{
    /// <summary>The GIC's physical base address.</summary>
    public const ulong Base = 0x1bdc0000;
}
