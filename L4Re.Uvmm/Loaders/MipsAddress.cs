namespace L4Re.Uvmm.Loaders;

/// <summary>
/// MIPS32 segment arithmetic for boot addresses (MIPS32 Architecture Vol. III, "Virtual Memory"): kseg0
/// (0x80000000–0x9fffffff, cached) and kseg1 (0xa0000000–0xbfffffff, uncached) are unmapped windows onto the
/// first 512 MiB of physical memory.
/// </summary>
public static class MipsAddress
{
    /// <summary>Start of kseg0.</summary>
    public const uint Kseg0 = 0x8000_0000;

    /// <summary>Start of kseg1.</summary>
    public const uint Kseg1 = 0xa000_0000;

    /// <summary>Start of kseg2 (mapped).</summary>
    public const uint Kseg2 = 0xc000_0000;

    /// <summary>Size of the unmapped windows (512 MiB).</summary>
    public const uint WindowSize = 0x2000_0000;

    /// <summary>
    /// The physical address behind a boot address: kseg0/kseg1 addresses map to their low 29 bits; kuseg addresses
    /// (below 0x80000000, as in ELF files with physical <c>p_paddr</c>) are taken as physical.
    /// </summary>
    /// <param name="address">A kseg0, kseg1 or physical address.</param>
    /// <param name="physical">The physical address.</param>
    /// <returns>False for mapped segments (kseg2/kseg3), which have no fixed physical address.</returns>
    public static bool TryToPhysical(uint address, out uint physical)
    {
        physical = address < Kseg0 ? address : address & (WindowSize - 1);
        return address < Kseg2;
    }

    /// <summary>The kseg0 address of a physical address in the first 512 MiB.</summary>
    /// <param name="physical">Physical address.</param>
    /// <exception cref="ArgumentOutOfRangeException">The address is not below 512 MiB.</exception>
    public static uint ToKseg0(ulong physical)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(physical, (ulong)WindowSize);
        return Kseg0 | (uint)physical;
    }
}
