namespace L4Re.Io.Vbus;

/// <summary>
/// Flags of <c>l4vbus_assign_dma_domain</c> (<c>L4vbus_dma_domain_assign_flags</c>, kernkonzept/io
/// <c>libvbus/include/vbus.h</c>).
/// </summary>
[Flags]
public enum DmaDomainAssignFlags : uint
{
    /// <summary>Unbind the DMA space (<c>L4VBUS_DMAD_UNBIND</c>); the space is an <c>L4Re::Dma_space</c> (<c>L4VBUS_DMAD_L4RE_DMA_SPACE</c>).</summary>
    Unbind = 0,
    /// <summary>Bind the DMA space (<c>L4VBUS_DMAD_BIND</c>).</summary>
    Bind = 1,
    /// <summary>The space is a kernel DMA space (<c>L4VBUS_DMAD_KERNEL_DMA_SPACE</c>).</summary>
    KernelDmaSpace = 2,
}
