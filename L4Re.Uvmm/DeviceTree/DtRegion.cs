namespace L4Re.Uvmm.DeviceTree;

/// <summary>One <c>(address, size)</c> pair of a node's <c>reg</c> property.</summary>
/// <param name="Address">The start address (in the parent bus's address space, or translated to a CPU physical
/// address when obtained through <see cref="DtNode.GetTranslatedReg"/>).</param>
/// <param name="Size">The size in bytes (0 when the bus has <c>#size-cells = 0</c>).</param>
public readonly record struct DtRegion(ulong Address, ulong Size)
{
    /// <summary>The first address after the region.</summary>
    public ulong End => Address + Size;

    /// <inheritdoc />
    public override string ToString() => $"[0x{Address:x}, +0x{Size:x})";
}
