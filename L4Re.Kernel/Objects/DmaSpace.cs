using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Objects;

/// <summary>
/// A DMA space (Fiasco's <c>Dma_space</c>): the address space a device sees when it masters the bus.
/// Memory is mapped into it with the Task protocol like into any task; an <see cref="Iommu"/> binds it
/// to device source ids. A device model translates each DMA address with
/// <see cref="Memory.MemSpace.TryTranslate"/> on <see cref="L4Task.Memory"/> — an address without a
/// mapping is a DMA fault, so a device reaches only the memory its domain was given.
/// </summary>
public sealed class DmaSpace : L4Task
{
    internal DmaSpace(Microkernel kernel, Factory quota)
        : base(kernel, quota, ObjectSizes.DmaSpace, TaskKind.DmaSpace)
    {
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.DmaSpace;

    /// <inheritdoc />
    public override string KindName => "Dma_space";

    /// <summary>The device source ids bound to this space through an IOMMU.</summary>
    public IReadOnlyCollection<ulong> BoundSourceIds => SourceIds;

    internal readonly SortedSet<ulong> SourceIds = [];

    private protected override void OnDestroy()
    {
        Kernel.Iommu.UnbindAll(this);
        base.OnDestroy();
    }
}
