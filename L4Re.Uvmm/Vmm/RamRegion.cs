using L4Re.Kernel.Memory;

namespace L4Re.Uvmm.Vmm;

/// <summary>A block of guest RAM: a dataspace mapped at a guest-physical address (uvmm: <c>Vmm::Ram_ds</c>).</summary>
/// <param name="GuestPhysical">The guest-physical address of the first byte.</param>
/// <param name="Dataspace">The host memory behind it.</param>
/// <param name="Name">Name for diagnostics (the memory node's path).</param>
public sealed record RamRegion(ulong GuestPhysical, Dataspace Dataspace, string Name)
{
    /// <summary>Size in bytes.</summary>
    public ulong Size => (ulong)Dataspace.Size;

    /// <summary>The first guest-physical address after the region.</summary>
    public ulong End => GuestPhysical + Size;

    /// <summary>True when <c>[address, address + length)</c> lies inside the region.</summary>
    /// <param name="address">Guest-physical start.</param>
    /// <param name="length">Length in bytes.</param>
    public bool Contains(ulong address, ulong length) =>
        address >= GuestPhysical && length <= Size && address - GuestPhysical <= Size - length;

    /// <inheritdoc />
    public override string ToString() => $"{Name} [0x{GuestPhysical:x}, 0x{End:x})";
}
