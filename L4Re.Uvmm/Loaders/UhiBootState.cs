namespace L4Re.Uvmm.Loaders;

/// <summary>
/// The register state a vCPU starts a kernel with under the MIPS UHI boot protocol, which Linux's generic MIPS
/// kernel expects (<c>CONFIG_UHI_BOOT</c>; <c>arch/mips/generic/init.c</c> <c>plat_get_fdt</c>: "fw_arg0 == -2
/// … fw_arg1 is the KSEG0 address of the flattened device-tree blob"). The vCPU engine applies it to a vCPU in
/// its architectural reset state.
/// </summary>
/// <param name="Pc">Where execution starts (the ELF entry point).</param>
/// <param name="A0">$a0 ($4): -2 (0xfffffffe), "a DTB is passed".</param>
/// <param name="A1">$a1 ($5): the kseg0 virtual address of the DTB.</param>
/// <param name="A2">$a2 ($6): 0.</param>
/// <param name="A3">$a3 ($7): 0.</param>
/// <param name="Status">Guest CP0 Status: the reset value with ERL and BEV cleared — kernel mode, interrupts off.
/// (Leaving ERL set made decompression much slower under QEMU; with ERL set kuseg is unmapped.)</param>
public sealed record UhiBootState(uint Pc, uint A0, uint A1, uint A2, uint A3, uint Status)
{
    /// <summary>The UHI marker in $a0.</summary>
    public const uint UhiMarker = unchecked((uint)-2);

    /// <summary>Status.ERL (bit 2).</summary>
    public const uint StatusErl = 1u << 2;

    /// <summary>Status.BEV (bit 22).</summary>
    public const uint StatusBev = 1u << 22;

    /// <summary>The UHI state for a kernel entry point and a DTB at a physical address below 512 MiB.</summary>
    /// <param name="entryPoint">The kernel entry (kseg0).</param>
    /// <param name="dtbPhysical">The DTB's physical address (8-byte aligned).</param>
    /// <param name="resetStatus">The vCPU's architectural reset Status (BEV and ERL set); ERL and BEV are cleared from it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The DTB is not 8-byte aligned or not below 512 MiB.</exception>
    public static UhiBootState ForDtb(uint entryPoint, ulong dtbPhysical, uint resetStatus = StatusBev | StatusErl)
    {
        if (dtbPhysical % 8 != 0)
            throw new ArgumentOutOfRangeException(nameof(dtbPhysical), $"the DTB at 0x{dtbPhysical:x} must be 8-byte aligned");
        return new UhiBootState(entryPoint, UhiMarker, MipsAddress.ToKseg0(dtbPhysical), 0, 0, resetStatus & ~(StatusErl | StatusBev));
    }

    /// <summary>Writes the argument registers and the PC into a vCPU register file (other GPRs are left as they are).</summary>
    /// <param name="gpr">The 32 GPRs.</param>
    /// <param name="pc">The PC.</param>
    public void Apply(Span<uint> gpr, ref uint pc)
    {
        if (gpr.Length < 32)
            throw new ArgumentException("32 GPRs are required", nameof(gpr));
        gpr[4] = A0;
        gpr[5] = A1;
        gpr[6] = A2;
        gpr[7] = A3;
        pc = Pc;
    }
}
