using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Objects;

/// <summary>
/// The part common to IRQ objects and semaphores (Fiasco's <c>Irq</c>): something an interrupt
/// controller pin can be bound to, with a mask and a trigger mode, that is "hit" when the interrupt
/// fires or software triggers it.
/// </summary>
public abstract class IrqBase : KernelObject
{
    private protected IrqBase(Microkernel kernel, Factory? quota, long size)
        : base(kernel, quota, size)
    {
    }

    /// <summary>The interrupt controller this object is bound to, or null.</summary>
    public Icu? Chip { get; internal set; }

    /// <summary>The pin on <see cref="Chip"/>.</summary>
    public uint Pin { get; internal set; }

    /// <summary>True while the interrupt is masked (delivery is held back and recorded as pending).</summary>
    public bool IsMasked { get; internal set; }

    /// <summary>True when an interrupt arrived that has not been delivered yet.</summary>
    public bool IsPending { get; internal set; }

    /// <summary>True for level-triggered mode (masked after each delivery until unmasked).</summary>
    public bool IsLevelTriggered { get; internal set; }

    /// <summary>Fires the IRQ (host API: a software trigger, the same as the Irq protocol's trigger operation).</summary>
    public void Trigger()
    {
        Kernel.Trace.Record(TraceKind.IrqHit, null, this, Pin, 0);
        Hit();
    }

    /// <summary>Called when the interrupt fires.</summary>
    internal abstract void Hit();

    /// <summary>Unmasks; a pending interrupt is delivered now.</summary>
    internal virtual void Unmask()
    {
        IsMasked = false;
        if (IsPending)
        {
            IsPending = false;
            Hit();
        }
        else if (Chip is { } c && IsLevelTriggered && c.IsLineAsserted(Pin))
        {
            Hit();
        }
    }

    internal void Mask() => IsMasked = true;

    private protected override void OnDestroy() => Chip?.Detach(this);

    /// <summary>Fiasco's <c>Irq::get_irq_opcode</c>: an IRQ-protocol message with no words is a trigger.</summary>
    private protected static ulong Opcode(MsgTag tag, Ipc.Utcb input)
    {
        if (tag.Protocol == ProtocolLabel.Irq && tag.Words == 0)
            return (ulong)IrqOp.Trigger;
        if (tag.Words < 1)
            return ulong.MaxValue;
        return input.Mrs[0] & 0xffff;
    }
}
