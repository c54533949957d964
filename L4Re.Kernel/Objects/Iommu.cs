using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

/// <summary>
/// The IOMMU (boot capability <see cref="BootCap.Iommu"/>, protocol <see cref="ProtocolLabel.Iommu"/>):
/// binds DMA spaces to device source ids (<c>bind</c> op 0, <c>unbind</c> op 1; mr1 = source id, item
/// = DMA space). <see cref="Lookup"/> gives a device model the space that translates its DMA.
/// </summary>
/// <remarks>Source: fiasco src/kern/arm/arm_dmar.cpp (<c>L4_RPC(0, bind, ...)</c>, <c>L4_RPC(1, unbind, ...)</c>).</remarks>
public sealed class Iommu : KernelObject
{
    private readonly SortedDictionary<ulong, DmaSpace> _bindings = [];

    internal Iommu(Microkernel kernel)
        : base(kernel, null, 0)
    {
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Iommu;

    /// <inheritdoc />
    public override string KindName => "Iommu";

    /// <summary>The DMA space bound to device source id <paramref name="sourceId"/>, or null (the device may not master the bus).</summary>
    public DmaSpace? Lookup(ulong sourceId) => _bindings.TryGetValue(sourceId, out var s) ? s : null;

    /// <summary>Binds <paramref name="space"/> to <paramref name="sourceId"/> (host API); a previous binding of that id is replaced.</summary>
    public void Bind(ulong sourceId, DmaSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (_bindings.TryGetValue(sourceId, out var old))
            old.SourceIds.Remove(sourceId);
        _bindings[sourceId] = space;
        space.SourceIds.Add(sourceId);
    }

    /// <summary>Removes the binding of <paramref name="sourceId"/> to <paramref name="space"/>; false when it was not bound there.</summary>
    public bool Unbind(ulong sourceId, DmaSpace space)
    {
        if (!_bindings.TryGetValue(sourceId, out var s) || !ReferenceEquals(s, space))
            return false;
        _bindings.Remove(sourceId);
        space.SourceIds.Remove(sourceId);
        return true;
    }

    internal void UnbindAll(DmaSpace space)
    {
        foreach (var id in space.SourceIds.ToArray())
            _bindings.Remove(id);
        space.SourceIds.Clear();
    }

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        if (tag.Protocol != ProtocolLabel.Iommu)
            return MsgTag.FromError(L4Error.BadProto);
        if (tag.Words < 1)
            return MsgTag.FromError(L4Error.MsgTooShort);
        var op = (IommuOp)input.Mrs[0];
        if (op is not (IommuOp.Bind or IommuOp.Unbind))
            return MsgTag.FromError(L4Error.NoSys);
        if (tag.Words < 2 || tag.Items < 1)
            return MsgTag.FromError(L4Error.MsgTooShort);
        var space = L4Task.DerefItem<DmaSpace>(ct, tag, input, out _, out var err);
        if (space is null)
            return err;
        var id = input.Mrs[1];
        if (op == IommuOp.Bind)
        {
            Bind(id, space);
            return MsgTag.Result(0);
        }
        return MsgTag.Result(Unbind(id, space) ? 0 : -(long)L4Error.Inval);
    }
}
