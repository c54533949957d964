using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

/// <summary>
/// The kernel's interrupt controller (boot capability <see cref="BootCap.Icu"/>, Fiasco's ICU protocol
/// on label <see cref="ProtocolLabel.Irq"/>): pins to which IRQ objects or semaphores are bound.
/// Device models drive the pins with <see cref="Raise"/> (edge) and <see cref="SetLine"/> (level);
/// clients bind, unbind, mask, unmask and set the trigger mode with the ICU protocol, host-driven components with
/// the host calls <see cref="Bind"/>, <see cref="Unbind(uint)"/>, <see cref="Mask"/>, <see cref="Unmask"/> and
/// <see cref="SetMode"/>, which do what the protocol operations do.
/// </summary>
/// <remarks>Source: fiasco src/kern/icu_helper.cpp (<c>op_icu_bind</c>, <c>op_icu_unbind</c>, <c>op_icu_set_mode</c>,
/// <c>op_icu_mask</c>/<c>unmask</c>).</remarks>
public sealed class Icu : KernelObject
{
    private readonly IrqBase?[] _pins;
    private readonly bool[] _lines;
    private readonly bool[] _level;

    internal Icu(Microkernel kernel, int pins)
        : base(kernel, null, 0)
    {
        _pins = new IrqBase?[pins];
        _lines = new bool[pins];
        _level = new bool[pins];
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Irq;

    /// <inheritdoc />
    public override string KindName => "Icu";

    /// <summary>The number of pins.</summary>
    public int PinCount => _pins.Length;

    /// <summary>The IRQ object bound to <paramref name="pin"/>, or null.</summary>
    public IrqBase? BoundTo(uint pin) => pin < (uint)_pins.Length ? _pins[pin] : null;

    /// <summary>An edge on <paramref name="pin"/> (host API for device models): the bound IRQ fires, or records it as pending while masked.</summary>
    public void Raise(uint pin)
    {
        if (pin >= (uint)_pins.Length)
            return;
        Kernel.Trace.Record(TraceKind.IrqHit, null, this, pin, 1);
        _pins[pin]?.Hit();
    }

    /// <summary>Sets the level of <paramref name="pin"/> (host API); an asserted level-triggered line fires whenever it is unmasked.</summary>
    public void SetLine(uint pin, bool asserted)
    {
        if (pin >= (uint)_pins.Length)
            return;
        var was = _lines[pin];
        _lines[pin] = asserted;
        if (asserted && (!was || _level[pin]))
        {
            if (_pins[pin] is { } irq && (!_level[pin] || !irq.IsMasked))
            {
                Kernel.Trace.Record(TraceKind.IrqHit, null, this, pin, 2);
                irq.Hit();
            }
        }
    }

    internal bool IsLineAsserted(uint pin) => pin < (uint)_lines.Length && _lines[pin];

    /// <summary>True when <paramref name="pin"/> is level-triggered (<see cref="SetMode"/> with <see cref="IrqMode.Level"/>).</summary>
    public bool IsLevelTriggered(uint pin) => pin < (uint)_level.Length && _level[pin];

    /// <summary>
    /// Unbinds whatever IRQ is bound to <paramref name="pin"/> (host side of <c>l4_icu_unbind</c>: Fiasco's
    /// <c>op_icu_unbind</c> detaches the pin's IRQ, whichever capability names it). Returns false when nothing was bound.
    /// </summary>
    public bool Unbind(uint pin)
    {
        if (pin >= (uint)_pins.Length || _pins[pin] is not { } irq)
            return false;
        Detach(irq);
        return true;
    }

    /// <summary>Unbinds <paramref name="irq"/> from <paramref name="pin"/>; false (and nothing changes) when it is not bound there.</summary>
    public bool Unbind(uint pin, IrqBase irq)
    {
        ArgumentNullException.ThrowIfNull(irq);
        if (pin >= (uint)_pins.Length || !ReferenceEquals(_pins[pin], irq))
            return false;
        Detach(irq);
        return true;
    }

    /// <summary>Masks the IRQ bound to <paramref name="pin"/> (host side of <c>l4_icu_mask</c>); an unbound pin is left alone.</summary>
    public void Mask(uint pin) => OpMask(pin, mask: true);

    /// <summary>Unmasks the IRQ bound to <paramref name="pin"/> (host side of <c>l4_icu_unmask</c>): a pending hit, or an asserted level, is delivered now.</summary>
    public void Unmask(uint pin) => OpMask(pin, mask: false);

    /// <summary>
    /// Sets the trigger mode of <paramref name="pin"/> (host side of <c>l4_icu_set_mode</c>): only a mode with
    /// <see cref="IrqMode.SetMode"/> changes anything; the bound IRQ switches with the pin.
    /// </summary>
    /// <returns><see cref="L4Error.Ok"/>, or <see cref="L4Error.Inval"/> for a pin out of range.</returns>
    public L4Error SetMode(uint pin, IrqMode mode) => OpSetMode(pin, mode).ResultError;

    /// <summary>Binds <paramref name="irq"/> to <paramref name="pin"/> (host API); fails when the pin is out of range or taken.</summary>
    public L4Error Bind(uint pin, IrqBase irq)
    {
        ArgumentNullException.ThrowIfNull(irq);
        irq.Chip?.Detach(irq);
        if (pin >= (uint)_pins.Length || _pins[pin] is not null)
            return L4Error.Inval;
        _pins[pin] = irq;
        irq.Chip = this;
        irq.Pin = pin;
        irq.IsLevelTriggered = _level[pin];
        return L4Error.Ok;
    }

    internal void Detach(IrqBase irq)
    {
        if (!ReferenceEquals(irq.Chip, this))
            return;
        if (irq.Pin < (uint)_pins.Length && ReferenceEquals(_pins[irq.Pin], irq))
            _pins[irq.Pin] = null;
        irq.Chip = null;
    }

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        if (tag.Protocol != ProtocolLabel.Irq)
            return MsgTag.FromError(L4Error.BadProto);
        return IcuProtocol.Invoke(ct, tag, input, output, PinCount, this);
    }

    internal MsgTag OpBind(L4Thread ct, MsgTag tag, Utcb input)
    {
        var irq = L4Task.DerefItem<IrqBase>(ct, tag, input, out var r, out var err);
        if (irq is null)
            return err;
        if ((r & CapRights.W) == 0)
            return MsgTag.FromError(L4Error.Perm);
        return MsgTag.FromError(Bind((uint)Math.Min(input.Mrs[1], uint.MaxValue), irq));
    }

    internal MsgTag OpUnbind(ulong pin)
    {
        if (pin <= uint.MaxValue)
            Unbind((uint)pin);
        return MsgTag.Result(0);
    }

    internal void OpMask(ulong pin, bool mask)
    {
        if (pin >= (ulong)_pins.Length || _pins[pin] is not { } irq)
            return;
        if (mask)
            irq.Mask();
        else
            irq.Unmask();
    }

    internal MsgTag OpSetMode(ulong pin, IrqMode mode)
    {
        if (pin >= (ulong)_pins.Length)
            return MsgTag.FromError(L4Error.Inval);
        if ((mode & IrqMode.SetMode) == 0)
            return MsgTag.Result(0);
        _level[pin] = (mode & IrqMode.Level) != 0;
        if (_pins[pin] is { } irq)
            irq.IsLevelTriggered = _level[pin];
        return MsgTag.Result(0);
    }
}

/// <summary>The ICU protocol shared by the ICU, the scheduler and the log (Fiasco's <c>Icu_h::icu_invoke</c>).</summary>
internal static class IcuProtocol
{
    public static MsgTag Invoke(L4Thread ct, MsgTag tag, Utcb input, Utcb output, int pins, Icu? icu)
    {
        if (tag.Words < 1)
            return MsgTag.FromError(L4Error.MsgTooShort);
        switch ((IcuOp)input.Mrs[0])
        {
            case IcuOp.Bind:
                if (tag.Words < 2 || tag.Items == 0 || tag.Words + tag.Items > Utcb.MaxWords)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                return icu is null ? MsgTag.FromError(L4Error.Inval) : icu.OpBind(ct, tag, input);
            case IcuOp.Unbind:
                if (tag.Words < 2 || tag.Items == 0 || tag.Words + tag.Items > Utcb.MaxWords)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                var irq = L4Task.DerefItem<IrqBase>(ct, tag, input, out _, out var err);
                if (irq is null)
                    return err;
                return icu is null ? MsgTag.Result(0) : icu.OpUnbind(input.Mrs[1]);
            case IcuOp.Info:
                output.Mrs[0] = 0; // features: no MSIs
                output.Mrs[1] = (ulong)pins;
                output.Mrs[2] = 0;
                return MsgTag.Result(0, 3);
            case IcuOp.MsiInfo:
                return MsgTag.FromError(L4Error.NoSys);
            case IcuOp.Unmask:
            case IcuOp.Mask:
                if (tag.Words >= 2)
                    icu?.OpMask(input.Mrs[1], (IcuOp)input.Mrs[0] == IcuOp.Mask);
                return MsgTag.NoReply;
            case IcuOp.SetMode:
                if (tag.Words < 3 || tag.Words > Utcb.MaxWords)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                return icu is null ? (input.Mrs[1] == 0 ? MsgTag.Result(0) : MsgTag.FromError(L4Error.Inval)) : icu.OpSetMode(input.Mrs[1], (IrqMode)input.Mrs[2]);
            default:
                return MsgTag.FromError(L4Error.NoSys);
        }
    }
}
