using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Dma;

/// <summary>
/// One hardware DMA domain, the <c>DMAD</c> resource of a device (io's <c>Dma_domain</c>,
/// kernkonzept/io <c>io/server/src/dma_domain.h</c>). With an IOMMU every DMA-capable device has its own
/// domain (io's <c>Iommu_dma_domain</c>, <c>main.cc</c>) whose number is also the device's IOMMU source
/// id: binding a kernel DMA space to it binds that space to the source id in the kernel's
/// <see cref="Iommu"/>, which is what the device's DMA then goes through. Without an IOMMU there is one
/// CPU-phys domain, 0, shared by all devices (<c>Dma_domain_phys</c>), and a kernel DMA space cannot be
/// bound to it (<see cref="L4Error.NoDev"/>).
/// </summary>
public sealed class DmaDomain
{
    private readonly Iommu _iommu;
    private DmaSpace? _space;

    internal DmaDomain(uint id, bool remapping, Iommu iommu)
    {
        Id = id;
        SupportsRemapping = remapping;
        _iommu = iommu;
    }

    /// <summary>The domain number (the <c>DMAD</c> resource's range) and, with an IOMMU, the device's source id.</summary>
    public uint Id { get; }

    /// <summary>True with an IOMMU; false for the CPU-phys domain.</summary>
    public bool SupportsRemapping { get; }

    /// <summary>The kernel DMA space bound to the domain, or null (a deleted space counts as unbound).</summary>
    public DmaSpace? Space => _space is { IsDeleted: false } s ? s : null;

    /// <summary>
    /// io's <c>Iommu_dma_domain::set_dma_task</c>: binds <paramref name="space"/> (or unbinds it) through the
    /// IOMMU — through <paramref name="port"/> (io's IOMMU capability) or, without one, the kernel's host call. A bound
    /// domain refuses a second binding (<see cref="L4Error.Busy"/>); unbinding needs the bound space
    /// (<see cref="L4Error.Inval"/> otherwise); an error of the IOMMU changes nothing.
    /// </summary>
    internal L4Error SetDmaTask(bool set, DmaSpace space, IIommuPort? port)
    {
        if (!SupportsRemapping)
            return L4Error.NoDev;
        if (set && Space is not null)
            return L4Error.Busy;
        if (!set && (Space is null || !ReferenceEquals(Space, space)))
            return L4Error.Inval;
        if (set)
        {
            var err = L4Error.Ok;
            if (port is not null)
                err = port.Bind(Id, space);
            else
                _iommu.Bind(Id, space);
            if (err == L4Error.Ok)
                _space = space;
            return err;
        }
        if (port is null)
        {
            Revoke();
            return L4Error.Ok;
        }
        var e = port.Unbind(Id, space);
        if (e == L4Error.Ok)
            _space = null;
        return e;
    }

    /// <summary>Drops the binding, wherever it came from, with the kernel's host call (the vbus is revoked).</summary>
    internal void Revoke()
    {
        if (_space is { } s)
            _iommu.Unbind(Id, s);
        _space = null;
    }

    /// <inheritdoc />
    public override string ToString() => $"DMA domain {Id}{(SupportsRemapping ? "" : " (CPU-phys)")}{(Space is null ? "" : $" bound to {Space}")}";
}
