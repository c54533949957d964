using L4Re.Kernel.Abi;

namespace L4Re.Io.Hw;

/// <summary>
/// One resource of a device, the value io hands to a vbus client as <c>l4vbus_resource_t</c>
/// (kernkonzept/io <c>libvbus/include/vbus_types.h</c>): a type, 16 flag bits, an inclusive range
/// and a 4-letter id. Memory resources carry <see cref="Hw.MemFlags"/>, IRQ resources an
/// <see cref="Kernel.Abi.IrqMode"/> in <see cref="Flags"/>; a DMA domain resource's range is its domain
/// number.
/// </summary>
/// <param name="Type">The resource type.</param>
/// <param name="Flags">The type-specific flags as <c>l4vbus_resource_t.flags</c>.</param>
/// <param name="Start">First address / number of the range.</param>
/// <param name="End">Last address / number of the range (inclusive, as in l4vbus).</param>
/// <param name="Id">The 4-letter resource name.</param>
public readonly record struct Resource(ResourceType Type, ushort Flags, ulong Start, ulong End, ResourceId Id)
{
    /// <summary>A memory-mapped I/O window of <paramref name="size"/> bytes at <paramref name="start"/> (io's <c>Io.Res.mmio</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is zero or the window wraps around the address space.</exception>
    public static Resource Mmio(string name, ulong start, ulong size, MemFlags flags = MemFlags.RW) =>
        new(ResourceType.Mem, (ushort)flags, start, LastOf(start, size), ResourceId.FromName(name));

    /// <summary>An interrupt line (io's <c>Io.Res.irq</c>).</summary>
    public static Resource Irq(string name, uint irq, IrqMode mode = IrqMode.None) =>
        new(ResourceType.Irq, (ushort)mode, irq, irq, ResourceId.FromName(name));

    /// <summary>An I/O port range of <paramref name="count"/> ports (io's <c>Io.Res.io</c>; x86 only on real hardware).</summary>
    public static Resource Port(string name, ulong start, ulong count) =>
        new(ResourceType.Port, 0, start, LastOf(start, count), ResourceId.FromName(name));

    /// <summary>A bus-number range (<c>L4VBUS_RESOURCE_BUS</c>), e.g. the buses behind a PCI bridge.</summary>
    public static Resource Bus(string name, ulong first, ulong last) =>
        new(ResourceType.Bus, 0, first, last, ResourceId.FromName(name));

    /// <summary>A range of GPIO pins (<c>L4VBUS_RESOURCE_GPIO</c>).</summary>
    public static Resource Gpio(string name, ulong firstPin, ulong lastPin) =>
        new(ResourceType.Gpio, 0, firstPin, lastPin, ResourceId.FromName(name));

    /// <summary>The DMA domain resource io adds to a DMA-capable device: id <c>"DMAD"</c>, range = domain number (io's <c>Dma_domain</c> in <c>dma_domain.h</c>).</summary>
    public static Resource DmaDomain(uint domain) =>
        new(ResourceType.DmaDomain, 0, domain, domain, ResourceId.FromName("DMAD"));

    /// <summary>The number of addresses in the range; 0 stands for the whole 64-bit space.</summary>
    public ulong Size => unchecked(End - Start + 1);

    /// <summary>The memory flags of a <see cref="ResourceType.Mem"/> resource.</summary>
    public MemFlags MemFlags => (MemFlags)Flags;

    /// <summary>The trigger and polarity of an <see cref="ResourceType.Irq"/> resource.</summary>
    public IrqMode IrqMode => (IrqMode)(Flags & 0xf);

    /// <summary>True when <paramref name="other"/> has the same type and lies completely inside this range (io's <c>Resource::contains</c>).</summary>
    public bool Contains(in Resource other) => other.Type == Type && other.Start >= Start && other.End <= End && other.Start <= other.End;

    /// <summary>True when both have the same type and their ranges share at least one address.</summary>
    public bool Overlaps(in Resource other) => other.Type == Type && other.Start <= End && Start <= other.End;

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        ResourceType.Mem => $"mmio {Id} 0x{Start:x}..0x{End:x} {MemFlags}",
        ResourceType.Irq => Start == End ? $"irq {Id} {Start} {IrqMode}" : $"irq {Id} {Start}..{End} {IrqMode}",
        ResourceType.DmaDomain => $"dma-domain {Id} {Start}",
        _ => $"{Type.ToString().ToLowerInvariant()} {Id} 0x{Start:x}..0x{End:x}",
    };

    private static ulong LastOf(ulong start, ulong size)
    {
        if (size == 0 || start + (size - 1) < start)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"a range of {size} at 0x{start:x} is empty or wraps around");
        return start + (size - 1);
    }
}
