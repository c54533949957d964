using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

/// <summary>
/// A semaphore (Fiasco's <c>Semaphore</c>, an IRQ kind; <c>L4Semaphore</c> here to keep clear of
/// <see cref="System.Threading.Semaphore"/>): "up" is an IRQ trigger (also from an interrupt pin), "down"
/// (<see cref="SemaphoreOp.Down"/>, needs S) takes one count or blocks up to the receive timeout.
/// Waiters are woken in priority order.
/// </summary>
public sealed class L4Semaphore : IrqBase
{
    internal readonly SenderList Waiting = new();

    internal L4Semaphore(Microkernel kernel, Factory? quota)
        : base(kernel, quota, ObjectSizes.Semaphore)
    {
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Semaphore;

    /// <inheritdoc />
    public override string KindName => "Semaphore";

    /// <summary>The current count.</summary>
    public long Count { get; private set; }

    /// <summary>The number of blocked "down" callers.</summary>
    public int WaiterCount => Waiting.Count;

    internal override void Hit()
    {
        if (Waiting.Dequeue() is L4Thread t)
        {
            t.EndSemaphoreWait();
            t.CompleteSyscall(MsgTag.Result(0), 0);
            return;
        }
        if (Count < long.MaxValue)
            Count++;
    }

    internal override void Invoke(L4Thread ct, SyscallFlags op, CapRights rights, byte attr)
    {
        var tag = ct.SysTag;
        if ((op & SyscallFlags.Send) != 0 && tag.Protocol == ProtocolLabel.Semaphore && Opcode(tag, ct.Utcb) == (ulong)SemaphoreOp.Down)
        {
            Down(ct, rights);
            return;
        }
        base.Invoke(ct, op, rights, attr);
    }

    private void Down(L4Thread ct, CapRights rights)
    {
        // Fiasco Semaphore::sys_down: S right; take a count or wait with the receive timeout.
        if ((rights & CapRights.S) == 0)
        {
            ct.CompleteSyscall(MsgTag.FromError(L4Error.Perm), 0);
            return;
        }
        ct.Utcb.ErrorRaw = 0;
        if (Count > 0)
        {
            Count--;
            ct.CompleteSyscall(MsgTag.Result(0), 0);
            return;
        }
        ct.BeginSemaphoreWait(this);
    }

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        var op = Opcode(tag, input);
        if (op == ulong.MaxValue)
            return MsgTag.FromError(L4Error.Inval);
        switch (tag.Protocol)
        {
            case ProtocolLabel.Irq:
                switch ((IrqOp)op)
                {
                    case IrqOp.Eoi:
                        if (Count < 1)
                            Unmask();
                        return MsgTag.NoReply;
                    case IrqOp.Trigger:
                        Trigger();
                        return MsgTag.NoReply;
                    default:
                        return MsgTag.FromError(L4Error.NoSys);
                }
            case ProtocolLabel.Semaphore:
                return MsgTag.FromError(L4Error.NoSys);
            default:
                return MsgTag.FromError(L4Error.BadProto);
        }
    }

    private protected override void OnDestroy()
    {
        while (Waiting.Dequeue() is L4Thread t)
        {
            t.EndSemaphoreWait();
            t.CompleteSyscall(t.CommitError(IpcErrorWord.Send(IpcErrorCode.NotExistent)), 0);
        }
        base.OnDestroy();
    }
}
