using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

/// <summary>
/// An IRQ object (Fiasco's <c>Irq_sender</c>): turns an interrupt into an IPC to the thread it is
/// bound to, with the bound label and an empty tag. Bound with <see cref="RcvEndpointOp.Bind"/> (the
/// IRQ capability needs S, the thread capability S); detached with <see cref="IrqSenderOp.Detach"/>;
/// <see cref="IrqOp.Eoi"/> unmasks (with a receive phase it also waits for the next interrupt);
/// <see cref="IrqOp.Trigger"/> fires it from software. While undelivered it waits in the thread's
/// sender queue; interrupts arriving meanwhile are coalesced.
/// </summary>
public sealed class Irq : IrqBase, IIpcSender
{
    private readonly SenderLink _link;

    internal Irq(Microkernel kernel, Factory? quota)
        : base(kernel, quota, ObjectSizes.Irq)
    {
        _link = new SenderLink(this);
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.IrqSender;

    /// <inheritdoc />
    public override string KindName => "Irq";

    /// <summary>The thread IRQ messages go to, or null.</summary>
    public L4Thread? Target { get; private set; }

    /// <summary>The label IRQ messages carry.</summary>
    public ulong Label { get; private set; }

    /// <summary>True while a message waits in the target's queue.</summary>
    public bool IsQueued => _link.IsQueued;

    SenderLink IIpcSender.Link => _link;

    /// <summary>Binds the IRQ to <paramref name="thread"/> with <paramref name="label"/> (host API).</summary>
    public void Bind(L4Thread thread, ulong label)
    {
        ArgumentNullException.ThrowIfNull(thread);
        DetachThread();
        Target = thread;
        Label = label;
        if (IsPending && !IsMasked)
        {
            IsPending = false;
            Hit();
        }
    }

    /// <summary>Detaches from the bound thread (host API); a queued message is withdrawn and stays pending.</summary>
    public void DetachThread()
    {
        if (_link.List is { } l)
        {
            l.Remove(_link);
            IsPending = true;
        }
        Target = null;
    }

    internal override void Hit()
    {
        var t = Target;
        if (t is null || t.IsDead || IsMasked)
        {
            IsPending = true;
            return;
        }
        if (_link.IsQueued)
        {
            IsPending = true; // coalesced with the undelivered one
            return;
        }
        if (IsLevelTriggered)
            IsMasked = true;
        if (t.CanReceiveFrom(this))
        {
            t.ReceiveIrq(this, t.RcvOpenWait);
            return;
        }
        t.Senders.Enqueue(_link, t.Priority);
        t.OnSenderQueued();
    }

    void IIpcSender.SendQueued(L4Thread receiver, bool openWait)
    {
        receiver.Senders.Remove(_link);
        receiver.ReceiveIrq(this, openWait);
    }

    internal void AfterDelivery()
    {
        if (IsPending && !IsMasked && Target is not null)
        {
            IsPending = false;
            Hit();
        }
    }

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        var op = Opcode(tag, input);
        if (op == ulong.MaxValue)
            return MsgTag.FromError(L4Error.Inval);
        switch (tag.Protocol)
        {
            case ProtocolLabel.KObject:
                if ((RcvEndpointOp)op != RcvEndpointOp.Bind)
                    return MsgTag.FromError(L4Error.NoSys);
                if ((rights & CapRights.S) == 0)
                    return MsgTag.FromError(L4Error.Perm);
                var t = L4Task.DerefItem<L4Thread>(ct, tag, input, out var tr, out var err);
                if (t is null)
                    return err;
                if ((tr & CapRights.S) == 0)
                    return MsgTag.FromError(L4Error.Perm);
                Bind(t, tag.Words >= 2 ? input.Mrs[1] : 0);
                return MsgTag.Result(0);
            case ProtocolLabel.Irq:
                switch ((IrqOp)op)
                {
                    case IrqOp.Eoi:
                        if (!_link.IsQueued)
                            Unmask();
                        return MsgTag.NoReply;
                    case IrqOp.Trigger:
                        Trigger();
                        return MsgTag.NoReply;
                    default:
                        return MsgTag.FromError(L4Error.NoSys);
                }
            case ProtocolLabel.IrqSender:
                switch ((IrqSenderOp)op)
                {
                    case IrqSenderOp.Detach:
                        if ((rights & CapRights.S) == 0)
                            return MsgTag.FromError(L4Error.Perm);
                        var wasQueued = _link.IsQueued;
                        DetachThread();
                        return MsgTag.Result(wasQueued ? 1 : 0); // Fiasco Detach_pending = 1, Detach_inactive = 0
                    default:
                        return MsgTag.FromError(L4Error.NoSys); // Bind_vcpu: no direct injection in this model
                }
            default:
                return MsgTag.FromError(L4Error.BadProto);
        }
    }

    private protected override void OnDestroy()
    {
        DetachThread();
        base.OnDestroy();
    }
}
