namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the IOMMU protocol (label <see cref="ProtocolLabel.Iommu"/>).</summary>
/// <remarks>Source: fiasco src/kern/arm/arm_dmar.cpp (<c>L4_RPC(0, bind, ...)</c>, <c>L4_RPC(1, unbind, ...)</c>).</remarks>
public enum IommuOp : ulong
{
    /// <summary>Bind a DMA space to a device source id (mr1 = source id, item = DMA space).</summary>
    Bind = 0,
    /// <summary>Unbind a DMA space from a source id.</summary>
    Unbind = 1,
}
