using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

/// <summary>
/// An IPC gate (Fiasco's <c>Ipc_gate</c>): a capability-addressable entry point to a server thread.
/// An IPC through the gate reaches the bound thread with the label <c>gate label | (W|S rights of the
/// caller's capability)</c>, so a server learns which rights its client holds. A capability carrying
/// the server attribute (<see cref="SndItem.ObjRight1"/>, <c>L4_FPAGE_C_IPCGATE_SVR</c>) also speaks the
/// gate's own protocol (<see cref="RcvEndpointOp.Bind"/>, <see cref="RcvEndpointOp.GetInfo"/>); mapped
/// without it, kernel-object messages are plain IPC to the server. Senders through an unbound gate wait
/// (up to their send timeout) until a thread is bound.
/// </summary>
public sealed class IpcGate : KernelObject
{
    internal readonly SenderList Waiting = new();

    internal IpcGate(Microkernel kernel, Factory? quota, L4Thread? thread, ulong label)
        : base(kernel, quota, ObjectSizes.IpcGate)
    {
        Thread = thread;
        Label = label;
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.KObject;

    /// <inheritdoc />
    public override string KindName => "Ipc_gate";

    /// <summary>The bound server thread, or null.</summary>
    public L4Thread? Thread { get; private set; }

    /// <summary>The gate's label (the two low bits are always clear: they carry the caller's rights).</summary>
    public ulong Label { get; private set; }

    /// <summary>Binds the gate to <paramref name="thread"/> with <paramref name="label"/> (host API) and releases waiting senders.</summary>
    /// <exception cref="ArgumentException">The label uses the two low bits.</exception>
    public void Bind(L4Thread thread, ulong label)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if ((label & 3) != 0)
            throw new ArgumentException("an IPC gate label must have its two low bits clear", nameof(label));
        DoBind(thread, label);
    }

    private void DoBind(L4Thread thread, ulong label)
    {
        Label = label;
        Thread = thread;
        // Fiasco Ipc_gate_obj::unblock_all: every waiting sender continues its IPC to the new thread.
        while (Waiting.Dequeue() is L4Thread sender)
        {
            sender.EndGateWait();
            IpcTo(sender, sender.SysOp, sender.SysRights);
        }
    }

    internal override void Invoke(L4Thread ct, SyscallFlags op, CapRights rights, byte attr)
    {
        if (ct.SysTag.Protocol == ProtocolLabel.KObject && (op & SyscallFlags.Send) != 0 && (attr & SndItem.ObjRight1) != 0)
        {
            base.Invoke(ct, op, rights, attr);
            return;
        }
        if (Thread is null)
        {
            // Fiasco Ipc_gate::block: wait for a thread to be bound, bounded by the send timeout.
            ct.SysRights = rights;
            ct.BeginGateWait(this);
            return;
        }
        IpcTo(ct, op, rights);
    }

    private void IpcTo(L4Thread ct, SyscallFlags op, CapRights rights)
    {
        var t = Thread!;
        var partner = (op & SyscallFlags.Send) != 0 ? t : null;
        var haveRecv = (op & SyscallFlags.Recv) != 0;
        var sender = haveRecv && (op & SyscallFlags.OpenWait) == 0 ? t : null;
        if (!haveRecv && partner is null)
        {
            ct.CompleteSyscall(ct.CommitError(IpcErrorWord.Send(IpcErrorCode.NotExistent)), 0);
            return;
        }
        var fromSpec = Label | ((ulong)rights & (ulong)(CapRights.W | CapRights.S));
        ct.DoIpc(ct.SysTag, fromSpec, partner, haveRecv, sender, ct.SysTimeouts, rights);
    }

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        if (tag.Words < 1)
            return MsgTag.FromError(L4Error.Inval);
        switch ((RcvEndpointOp)input.Mrs[0])
        {
            case RcvEndpointOp.Bind:
            {
                if ((rights & CapRights.S) == 0)
                    return MsgTag.FromError(L4Error.Perm);
                if (tag.Words < 2)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                var id = input.Mrs[1];
                if ((id & 3) != 0)
                    return MsgTag.FromError(L4Error.Inval);
                var t = L4Task.DerefItem<L4Thread>(ct, tag, input, out var tr, out var err);
                if (t is null)
                    return err;
                if ((tr & CapRights.S) == 0)
                    return MsgTag.FromError(L4Error.Perm);
                DoBind(t, id);
                return MsgTag.Result(0);
            }
            case RcvEndpointOp.GetInfo:
                output.Mrs[0] = Label;
                return MsgTag.Result(0, 1);
            default:
                return MsgTag.FromError(L4Error.NoSys);
        }
    }

    private protected override void OnDestroy()
    {
        // Senders still waiting for a binding learn that the gate is gone.
        while (Waiting.Dequeue() is L4Thread sender)
        {
            sender.EndGateWait();
            sender.CompleteSyscall(sender.CommitError(IpcErrorWord.Send(IpcErrorCode.NotExistent)), 0);
        }
        Thread = null;
    }
}
