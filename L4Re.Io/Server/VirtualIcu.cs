using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Objects;
using Microsoft.Extensions.Logging;

namespace L4Re.Io.Server;

/// <summary>
/// The virtual ICU of one vbus (io's <c>Vi::Sw_icu</c>, kernkonzept/io <c>io/server/src/virt/vicu.cc</c>),
/// served on its own IPC gate with the ICU protocol (label <see cref="ProtocolLabel.Irq"/>, opcodes of
/// <see cref="IcuOp"/>). Its pins are exactly the IRQ numbers of the vbus's devices. Binding a client's
/// IRQ object to a pin binds it directly to the kernel ICU's line (io's <c>Kernel_irq_pin::bind</c>) after
/// setting the line's trigger mode from the resource; a device model raising the line then triggers the
/// client's IRQ. io lets one IRQ object per line be bound: a pin already bound is <see cref="L4Error.Perm"/>, a
/// shared line bound through another vbus <see cref="L4Error.Busy"/> (io: "chaining not supported"). The trigger
/// mode of a pin whose resource declares one cannot be changed (set_mode is accepted and ignored, as io does).
/// Unmask through the ICU is a no-op without reply: clients unmask through their IRQ object.
/// </summary>
internal sealed partial class VirtualIcu(IoTask io, VirtualBus bus, ISet<uint> boundLines, ILogger logger)
{
    /// <summary><c>L4::Icu::F_msi</c>: the pin number names an MSI.</summary>
    public const uint MsiFlag = 0x8000_0000;

    private readonly SortedDictionary<uint, ulong> _bound = [];

    /// <summary>io's slot of the ICU gate, once the client asked for it.</summary>
    public ulong? GateSlot { get; set; }

    /// <summary>The pins bound now and the IRQ objects bound to them.</summary>
    public IEnumerable<(uint Pin, IrqBase Irq)> Bindings =>
        _bound.Select(kv => (kv.Key, io.Task.Caps!.Get<IrqBase>(kv.Value))).Where(x => x.Item2 is not null).Select(x => (x.Key, x.Item2!));

    /// <summary>Handles one ICU-protocol message; false when there is no reply (unmask).</summary>
    public bool Dispatch(MsgTag tag, Utcb utcb, out MsgTag reply)
    {
        reply = MsgTag.FromError(L4Error.BadProto);
        if (tag.Protocol != ProtocolLabel.Irq)
            return true;
        var mr = utcb.Mr;
        reply = MsgTag.FromError(L4Error.MsgTooShort);
        if (tag.Words < 1)
            return true;
        switch ((IcuOp)mr[0])
        {
            case IcuOp.Bind:
                if (tag.Words >= 2)
                    reply = MsgTag.FromError(Bind(mr[1]));
                return true;
            case IcuOp.Unbind:
                if (tag.Words >= 2)
                    reply = MsgTag.FromError(Unbind(mr[1]));
                return true;
            case IcuOp.Info:
                mr[0] = 0; // features: no MSIs on this vbus
                mr[1] = bus.Irqs.Count == 0 ? 0 : (ulong)bus.Irqs.Keys.Max() + 1;
                mr[2] = 0;
                reply = MsgTag.Result(0, 3);
                return true;
            case IcuOp.MsiInfo:
                reply = MsgTag.FromError(L4Error.Inval);
                return true;
            case IcuOp.Mask:
                reply = MsgTag.FromError(L4Error.NoSys);
                return true;
            case IcuOp.Unmask:
                return false;
            case IcuOp.SetMode:
                if (tag.Words >= 3)
                    reply = MsgTag.FromError(SetMode(mr[1], (IrqMode)mr[2]));
                return true;
            default:
                reply = MsgTag.FromError(L4Error.NoSys);
                return true;
        }
    }

    private bool TryPin(ulong number, out uint pin, out IrqMode mode)
    {
        pin = (uint)Math.Min(number, uint.MaxValue);
        mode = IrqMode.None;
        return number <= uint.MaxValue && (pin & MsiFlag) == 0 && bus.Irqs.TryGetValue(pin, out mode);
    }

    /// <summary>True when <paramref name="pin"/> is bound through this ICU and the bound IRQ still exists (io's <c>Sw_irq_pin::bound</c>).</summary>
    private bool IsBound(uint pin)
    {
        if (!_bound.TryGetValue(pin, out var slot))
            return false;
        if (io.Task.Caps!.Lookup(slot) is not null)
            return true;
        // The client deleted its IRQ: the kernel detached it already; forget the binding.
        Forget(pin, slot);
        return false;
    }

    private L4Error Bind(ulong number)
    {
        if (io.Received is not IrqBase)
            return L4Error.Inval;
        if (!TryPin(number, out var pin, out var mode))
            return L4Error.NoEnt;
        if (IsBound(pin))
            return L4Error.Perm;
        if (boundLines.Contains(pin))
            return L4Error.Busy;
        if (mode != IrqMode.None && io.IcuSetMode(pin, mode | IrqMode.SetMode) is var e and not L4Error.Ok)
            return e;
        var slot = io.KeepReceived();
        var err = io.IcuBind(pin, slot);
        if (err != L4Error.Ok)
        {
            io.Release(slot);
            return err;
        }
        _bound[pin] = slot;
        boundLines.Add(pin);
        LogBound(logger, pin, bus.Name);
        return L4Error.Ok;
    }

    private L4Error Unbind(ulong number)
    {
        if (!TryPin(number, out var pin, out _))
            return L4Error.NoEnt;
        if (!IsBound(pin))
            return boundLines.Contains(pin) ? L4Error.Ok : L4Error.Inval;
        var slot = _bound[pin];
        var err = io.IcuUnbind(pin, slot);
        Forget(pin, slot);
        return err;
    }

    private L4Error SetMode(ulong number, IrqMode mode)
    {
        if (!TryPin(number, out var pin, out var declared))
            return L4Error.NoEnt;
        if (declared != IrqMode.None)
            return L4Error.Ok; // io: changing the declared type is prohibited; the call succeeds and changes nothing
        return io.IcuSetMode(pin, mode);
    }

    private void Forget(uint pin, ulong slot)
    {
        _bound.Remove(pin);
        boundLines.Remove(pin);
        io.Release(slot);
    }

    /// <summary>
    /// Unbinds every IRQ bound through this ICU and deletes the ICU gate (the vbus is revoked). This is a host
    /// operation of the model (io has no such request), so it uses the kernel ICU's host call.
    /// </summary>
    public void Revoke()
    {
        foreach (var (pin, slot) in _bound.ToArray())
        {
            if (io.Task.Caps!.Get<IrqBase>(slot) is { } irq)
                io.Kernel.Icu.Unbind(pin, irq);
            Forget(pin, slot);
        }
        if (GateSlot is { } g)
            io.Delete(g);
        GateSlot = null;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "vbus {Vbus}: IRQ {Pin} bound to the client's IRQ object")]
    private static partial void LogBound(ILogger logger, uint pin, string vbus);
}
