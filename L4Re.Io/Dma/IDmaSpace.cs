namespace L4Re.Io.Dma;

/// <summary>
/// A DMA address space: the translation an IOMMU applies to a device's bus addresses — the seam
/// between io's DMA model and the kernel. <see cref="KernelDmaSpace"/> implements it over the kernel's
/// <c>Dma_space</c> object (a task-like address space its owner fills with the kernel's map operation);
/// <see cref="PhysicalDmaSpace"/> implements it as the identity over the kernel's RAM for platforms
/// without an IOMMU. Implementations must not allocate in <see cref="Translate"/>.
/// </summary>
public interface IDmaSpace
{
    /// <summary>
    /// Translates <paramref name="dmaAddress"/> for an access of kind <paramref name="access"/>.
    /// Returns <see cref="DmaStatus.Ok"/> and the target, <see cref="DmaStatus.NotMapped"/> when
    /// nothing is mapped there, or <see cref="DmaStatus.NoPermission"/> when the mapping lacks a right.
    /// </summary>
    DmaStatus Translate(ulong dmaAddress, DmaAccess access, out DmaTarget target);
}
