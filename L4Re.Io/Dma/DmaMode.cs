namespace L4Re.Io.Dma;

/// <summary>
/// How devices reach memory on the platform — the switch between a system with an IOMMU and the
/// Baikal-T1, which has none. io chooses the same way at start-up: with an <c>iommu</c> capability it
/// gives every DMA source its own domain, without one it uses "CPU-phys for DMA", a single
/// <c>Dma_domain_phys</c> on the system bus (kernkonzept/io <c>io/server/src/main.cc</c>), and a
/// client's DMA space is merely associated with physical memory
/// (<c>Dma_space_mgr::associate_phys</c>, l4re-core <c>l4re/include/dma_space</c>).
/// </summary>
public enum DmaMode
{
    /// <summary>
    /// An IOMMU translates every DMA address through the DMA space bound to the device's domain; an
    /// address the owner did not map faults and nothing is transferred.
    /// </summary>
    Iommu,
    /// <summary>
    /// No IOMMU (Baikal-T1): DMA addresses are CPU physical addresses and a device reaches all RAM,
    /// whatever its owner mapped. Binding a DMA space is accepted but restricts nothing.
    /// </summary>
    CpuPhys,
}
