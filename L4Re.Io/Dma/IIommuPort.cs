using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Dma;

/// <summary>
/// How io reaches the kernel's IOMMU when a client assigns a DMA space: io's IOMMU capability, invoked from io's
/// server thread inside its dispatch (io's <c>Iommu_dma_domain::set_dma_task</c> binds through the kernel's
/// <c>L4::Iommu</c> interface).
/// </summary>
internal interface IIommuPort
{
    /// <summary><c>l4_iommu_bind(source id, DMA space)</c>.</summary>
    L4Error Bind(uint sourceId, DmaSpace space);

    /// <summary><c>l4_iommu_unbind(source id, DMA space)</c>.</summary>
    L4Error Unbind(uint sourceId, DmaSpace space);
}
