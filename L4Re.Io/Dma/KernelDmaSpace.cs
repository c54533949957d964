using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Dma;

/// <summary>
/// The kernel's <c>Dma_space</c> as io's DMA seam: a device-visible address space (a task-like kernel
/// object, <see cref="DmaSpace"/>) that its owner fills with the kernel's map operation — flexpages from
/// its own task, so every DMA mapping is a node in the mapping database below the owner's mapping.
/// Translation reads the space's page table: a DMA address without a mapping, or a mapping without the
/// right the access needs, does not translate; unmapping in the kernel (by the owner, or by anyone
/// above it in the mapping tree) therefore revokes the device's access at once, and a deleted space
/// translates nothing. Allocation free.
/// </summary>
/// <param name="Space">The kernel DMA space.</param>
public sealed record KernelDmaSpace(DmaSpace Space) : IDmaSpace
{
    /// <inheritdoc />
    public DmaStatus Translate(ulong dmaAddress, DmaAccess access, out DmaTarget target) => Translate(Space, dmaAddress, access, out target);

    /// <summary>Translates <paramref name="dmaAddress"/> through <paramref name="space"/> (see <see cref="KernelDmaSpace"/>).</summary>
    public static DmaStatus Translate(DmaSpace space, ulong dmaAddress, DmaAccess access, out DmaTarget target)
    {
        ArgumentNullException.ThrowIfNull(space);
        target = default;
        if (space.IsDeleted || !space.Memory.TryTranslate(dmaAddress, out var t))
            return DmaStatus.NotMapped;
        var need = ((access & DmaAccess.Read) != 0 ? MemRights.R : 0) | ((access & DmaAccess.Write) != 0 ? MemRights.W : 0);
        if ((t.Rights & need) != need)
            return DmaStatus.NoPermission;
        target = new DmaTarget(t.Dataspace, t.Offset, Dataspace.PageSize - (long)(dmaAddress & (Dataspace.PageSize - 1)));
        return DmaStatus.Ok;
    }
}
