using L4Re.Kernel.Memory;

namespace L4Re.Io.Dma;

/// <summary>
/// The kernel's physical memory as bus masters see it without an IOMMU: DMA address = physical
/// address. This is io's CPU-phys DMA domain (<c>Dma_domain_phys</c>, kernkonzept/io
/// <c>io/server/src/main.cc</c>) over the one physical memory model of the system,
/// <see cref="PhysicalMemory"/> of the kernel, so a device reaches every RAM region placed there —
/// whatever its driver mapped. Only RAM is reachable: I/O memory (<see cref="PhysicalMemoryKind.IoMemory"/>,
/// the devices' register windows) and holes are not. Translation allocates nothing.
/// </summary>
public sealed class PhysicalDmaSpace : IDmaSpace
{
    private readonly PhysicalMemory _memory;
    private readonly Func<Dataspace, bool> _isIoMemory;

    /// <summary>Creates the view over <paramref name="memory"/>; <paramref name="isIoMemory"/> names further dataspaces that are not reachable (optional).</summary>
    public PhysicalDmaSpace(PhysicalMemory memory, Func<Dataspace, bool>? isIoMemory = null)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _isIoMemory = isIoMemory ?? (_ => false);
    }

    /// <inheritdoc />
    public DmaStatus Translate(ulong dmaAddress, DmaAccess access, out DmaTarget target)
    {
        if (_memory.FindRegion(dmaAddress) is not { Kind: PhysicalMemoryKind.Ram } region || _isIoMemory(region.Dataspace))
        {
            target = default;
            return DmaStatus.NotMapped;
        }
        var ds = region.Dataspace;
        var offset = (long)(dmaAddress - region.Base);
        target = new DmaTarget(ds, offset, ds.Size - offset);
        return DmaStatus.Ok;
    }
}
