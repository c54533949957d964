using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Dma;

/// <summary>
/// The DMA domain of one vbus: io's virtual DMA domain (<c>Dma_domain_set</c>, kernkonzept/io
/// <c>io/server/src/dma_domain.h/.cc</c>) — "usually one per virtual bus", grouping the hardware domains
/// of its DMA-capable devices. A client binds a kernel DMA space to the whole set with the domain id
/// <c>~0</c> (<see cref="Vbus.VirtualBus.WholeBusDomain"/>), or to one device's domain with its number.
/// </summary>
public sealed class DmaDomainSet
{
    private DmaSpace? _space;

    internal DmaDomainSet(string vbus, IReadOnlyList<DmaDomain> domains)
    {
        Vbus = vbus;
        Domains = domains;
    }

    /// <summary>The vbus the set belongs to.</summary>
    public string Vbus { get; }

    /// <summary>The hardware domains of the vbus's devices, each once.</summary>
    public IReadOnlyList<DmaDomain> Domains { get; }

    /// <summary>The domain numbers (the <c>DMAD</c> resources' ranges).</summary>
    public IEnumerable<uint> Ids => Domains.Select(d => d.Id);

    /// <summary>The kernel DMA space bound to the whole set, or null.</summary>
    public DmaSpace? Space => _space is { IsDeleted: false } s ? s : null;

    /// <summary>The domain numbered <paramref name="id"/> in this set, or null.</summary>
    public DmaDomain? Find(uint id) => Domains.FirstOrDefault(d => d.Id == id);

    /// <summary>
    /// io's <c>Dma_domain_set::set_dma_task</c>: binds the space to every member domain that has none, or
    /// unbinds it from the members it is bound to. A set that is bound refuses another binding
    /// (<see cref="L4Error.Busy"/>), and so does a set of which a member is bound to a different space;
    /// unbinding needs the bound space (<see cref="L4Error.Inval"/>). The first member error stops it.
    /// </summary>
    internal L4Error SetDmaTask(bool set, DmaSpace space, IIommuPort? port)
    {
        if (set && Space is not null)
            return L4Error.Busy;
        if (!set && (Space is null || !ReferenceEquals(Space, space)))
            return L4Error.Inval;
        if (set && Domains.Any(d => d.Space is { } other && !ReferenceEquals(other, space)))
            return L4Error.Busy;
        foreach (var d in Domains)
        {
            var r = L4Error.Ok;
            if (set && d.Space is null)
                r = d.SetDmaTask(true, space, port);
            else if (!set && ReferenceEquals(d.Space, space))
                r = d.SetDmaTask(false, space, port);
            if (r != L4Error.Ok)
                return r;
        }
        _space = set ? space : null;
        return L4Error.Ok;
    }

    /// <summary>Drops every binding of the set and its members (the vbus is revoked).</summary>
    internal void Revoke()
    {
        foreach (var d in Domains)
            d.Revoke();
        _space = null;
    }

    /// <inheritdoc />
    public override string ToString() => $"DMA domains of vbus {Vbus} [{string.Join(",", Ids)}]{(Space is null ? "" : " bound")}";
}
