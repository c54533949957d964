namespace L4Re.Platform.BaikalT.Soc;

/// <summary>One block of the Baikal-T1 physical memory map.</summary>
/// <param name="Name">The block's name as the Baikal-T1 device trees call it.</param>
/// <param name="Compatible">The device-tree compatible string, or empty for memory and windows.</param>
/// <param name="Base">Physical base address.</param>
/// <param name="Size">Size of the register window or memory region in bytes.</param>
/// <param name="Irqs">GIC shared interrupt numbers, empty when the block has none.</param>
public sealed record SocBlock(string Name, string Compatible, ulong Base, ulong Size, IReadOnlyList<int> Irqs)
{
    /// <summary>The first address after the block.</summary>
    public ulong End => Base + Size;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name,-12} 0x{Base:x8}-0x{End - 1:x8}{(Irqs.Count > 0 ? " irq " + string.Join(",", Irqs) : "")}";
}
