namespace L4Re.Io.Dma;

/// <summary>The outcome of a DMA translation or transfer.</summary>
public enum DmaStatus : byte
{
    /// <summary>The transfer (or translation) succeeded.</summary>
    Ok,
    /// <summary>The DMA address is not mapped in the device's DMA space (an IOMMU fault), or, in CPU-phys mode, is not RAM.</summary>
    NotMapped,
    /// <summary>The address is mapped without the right the access needs (e.g. a device write to a read-only mapping).</summary>
    NoPermission,
    /// <summary>With an IOMMU: the device's domain has no DMA space bound (or the device is on no vbus), so the IOMMU blocks everything.</summary>
    NoDmaSpace,
}
