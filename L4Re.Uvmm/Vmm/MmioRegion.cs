namespace L4Re.Uvmm.Vmm;

/// <summary>A guest-physical range dispatched to one device.</summary>
/// <param name="Start">First guest-physical address.</param>
/// <param name="Size">Size in bytes (non-zero).</param>
/// <param name="Device">The device that handles it.</param>
/// <param name="Name">A name for diagnostics (usually the device tree path).</param>
public sealed record MmioRegion(ulong Start, ulong Size, IMmioDevice Device, string Name)
{
    /// <summary>The first address after the region.</summary>
    public ulong End => Start + Size;

    /// <summary>True when <c>[address, address + length)</c> lies inside the region.</summary>
    /// <param name="address">Start of the access.</param>
    /// <param name="length">Length of the access in bytes.</param>
    public bool Contains(ulong address, ulong length) => address >= Start && length <= Size && address - Start <= Size - length;

    /// <inheritdoc />
    public override string ToString() => $"{Name} [0x{Start:x}, 0x{End:x})";
}
