using L4Re.Kernel.Memory;

namespace L4Re.Io.Dma;

/// <summary>
/// The machine's RAM as bus masters see it without an IOMMU: physical address = DMA address. Used as
/// the DMA space of every device in <see cref="DmaMode.CpuPhys"/> (the Baikal-T1 case); also usable to
/// look at physical memory in tests and samples. Thread-safe; translation allocates nothing.
/// </summary>
public sealed class PhysicalMemory : IDmaSpace
{
    private readonly Lock _gate = new();
    private RamRegion[] _regions = [];

    /// <summary>The RAM regions, ordered by address.</summary>
    public IReadOnlyList<RamRegion> Regions => _regions;

    /// <summary>Places <paramref name="ram"/> at physical address <paramref name="physicalBase"/>.</summary>
    /// <exception cref="ArgumentException">The base is not page-aligned, the region wraps, or it overlaps another region.</exception>
    public void AddRam(ulong physicalBase, Dataspace ram)
    {
        ArgumentNullException.ThrowIfNull(ram);
        if (physicalBase % Dataspace.PageSize != 0)
            throw new ArgumentException($"RAM must start on a page boundary, not at 0x{physicalBase:x}", nameof(physicalBase));
        var region = new RamRegion(physicalBase, ram);
        if (region.Last < physicalBase)
            throw new ArgumentException($"RAM of {ram.Size} bytes at 0x{physicalBase:x} wraps around the address space", nameof(ram));
        lock (_gate)
        {
            foreach (var r in _regions)
                if (region.Base <= r.Last && r.Base <= region.Last)
                    throw new ArgumentException($"RAM at 0x{physicalBase:x}..0x{region.Last:x} overlaps {r.Dataspace.Name} at 0x{r.Base:x}..0x{r.Last:x}", nameof(physicalBase));
            _regions = [.. _regions.Append(region).OrderBy(r => r.Base)];
        }
    }

    /// <inheritdoc />
    public DmaStatus Translate(ulong dmaAddress, DmaAccess access, out DmaTarget target)
    {
        foreach (var r in _regions)
        {
            if (!r.Contains(dmaAddress))
                continue;
            var offset = (long)(dmaAddress - r.Base);
            target = new DmaTarget(r.Dataspace, offset, r.Dataspace.Size - offset);
            return DmaStatus.Ok;
        }
        target = default;
        return DmaStatus.NotMapped;
    }
}
