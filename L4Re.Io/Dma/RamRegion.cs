using L4Re.Kernel.Memory;

namespace L4Re.Io.Dma;

/// <summary>A block of RAM at a physical address, backed by a dataspace.</summary>
/// <param name="Base">The physical address of the first byte.</param>
/// <param name="Dataspace">The memory.</param>
public readonly record struct RamRegion(ulong Base, Dataspace Dataspace)
{
    /// <summary>The last physical address of the region (inclusive).</summary>
    public ulong Last => Base + (ulong)Dataspace.Size - 1;

    /// <summary>True when <paramref name="address"/> is inside the region.</summary>
    public bool Contains(ulong address) => address >= Base && address <= Last;
}
