namespace L4Re.Kernel.Memory;

/// <summary>
/// What a physical region is, as the kernel info page's memory descriptors tell sigma0 and sigma0 keeps
/// it in two resource maps (l4re-core <c>sigma0/server/src/init_mem.cc</c>: conventional memory goes to
/// the RAM map, the rest of the physical address space to the I/O-memory map;
/// <c>memmap.cc</c>: <c>SIGMA0_REQ_FPAGE_RAM</c> is served from RAM only, <c>SIGMA0_REQ_FPAGE_IOMEM</c>
/// and <c>SIGMA0_REQ_FPAGE_IOMEM_CACHED</c> from I/O memory only, page faults from RAM only).
/// </summary>
public enum PhysicalMemoryKind
{
    /// <summary>Conventional memory: handed out first come, first served; what bus masters reach without an IOMMU.</summary>
    Ram,

    /// <summary>I/O memory: device register windows (a device model's register file); never RAM.</summary>
    IoMemory,
}
