using L4Re.Kernel.Abi;

namespace L4Re.Io.Dma;

/// <summary>
/// The DMA domain of one vbus: io's virtual DMA domain (<c>Dma_domain_set</c>, kernkonzept/io
/// <c>io/server/src/dma_domain.h</c>) — "usually one per virtual bus", grouping the domains of all its
/// DMA-capable devices. The vbus client binds one DMA space to it (<see cref="Vbus.VirtualBus.AssignDmaDomain"/>);
/// with an IOMMU, the devices then reach exactly what the client mapped into that space.
/// </summary>
public sealed class DmaDomain
{
    private readonly Lock _gate = new();
    private volatile IDmaSpace? _space;

    internal DmaDomain(string vbus, IReadOnlyList<uint> ids)
    {
        Vbus = vbus;
        Ids = ids;
    }

    /// <summary>The vbus the domain belongs to.</summary>
    public string Vbus { get; }

    /// <summary>The DMA domain numbers of the vbus's devices (the <c>DMAD</c> resources' ranges).</summary>
    public IReadOnlyList<uint> Ids { get; }

    /// <summary>The bound DMA space, or null.</summary>
    public IDmaSpace? Space => _space;

    /// <summary>Binds or unbinds <paramref name="space"/> (io's <c>Dma_domain_if::set_dma_space</c>).</summary>
    /// <returns><see cref="L4Error.Ok"/>; <see cref="L4Error.Busy"/> when another space is already bound;
    /// <see cref="L4Error.Inval"/> when binding no space.</returns>
    internal L4Error Assign(bool bind, IDmaSpace? space)
    {
        lock (_gate)
        {
            if (!bind)
            {
                if (space is null || ReferenceEquals(_space, space))
                    _space = null;
                return L4Error.Ok;
            }
            if (space is null)
                return L4Error.Inval;
            if (_space is not null && !ReferenceEquals(_space, space))
                return L4Error.Busy;
            _space = space;
            return L4Error.Ok;
        }
    }

    /// <summary>Drops the binding when the vbus goes away.</summary>
    internal void Revoke() => _space = null;

    /// <inheritdoc />
    public override string ToString() => $"DMA domain of vbus {Vbus} [{string.Join(",", Ids)}]{(_space is null ? "" : " bound")}";
}
