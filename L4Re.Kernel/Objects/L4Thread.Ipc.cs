using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Scheduling;

namespace L4Re.Kernel.Objects;

public sealed partial class L4Thread
{
    /// <summary>Fires when an IPC timeout of the thread expires.</summary>
    private sealed class IpcTimer(L4Thread thread) : KernelTimer
    {
        protected internal override void Fire() => thread.OnTimeout();
    }

    internal void BeginSyscall(CapSel dest, MsgTag tag, TimeoutPair timeouts, ulong label)
    {
        SysDest = dest;
        SysOp = dest.Flags;
        SysTag = tag;
        SysTimeouts = timeouts;
        SysLabel = label;
        SysDone = false;
        InSyscall = true;
        Utcb.ErrorRaw = 0;
    }

    internal void EndSyscall()
    {
        InSyscall = false;
        if (!SysDone && State != ThreadRunState.Dead)
            State = ThreadRunState.Blocked;
    }

    /// <summary>Writes an IPC error into the UTCB and returns the error tag (Fiasco's <c>commit_error</c>).</summary>
    internal MsgTag CommitError(IpcErrorWord error)
    {
        Utcb.ErrorRaw = error.Raw;
        return MsgTag.IpcFailed;
    }

    /// <summary>Records the result of the system call; the thread becomes ready (it continues when dispatched).</summary>
    internal void SetResult(MsgTag tag, ulong label)
    {
        ResultTag = tag;
        ResultLabel = label;
        SysDone = true;
        WaitFor = WaitKind.None;
        WaitObject = null;
        TimerQueue.Cancel(_timer);
        if (State == ThreadRunState.Blocked)
            State = ThreadRunState.Ready;
    }

    /// <summary>Completes the system call and wakes the thread.</summary>
    internal void CompleteSyscall(MsgTag tag, ulong label)
    {
        SetResult(tag, label);
        Kernel.Activate(this, directSwitch: false);
    }

    private bool IsCurrent => ReferenceEquals(Kernel.Current, this);

    /// <summary>True when this thread waits to receive and accepts <paramref name="sender"/> (Fiasco's <c>sender_ok</c>).</summary>
    internal bool CanReceiveFrom(IIpcSender sender) =>
        WaitFor == WaitKind.Receive && (RcvOpenWait || ReferenceEquals(ClosedSender, sender));

    private IIpcSender? NextSender()
    {
        if (Senders.IsEmpty)
            return null;
        if (ClosedSender is { } s)
            return ReferenceEquals(s.Link.List, Senders) ? s : null;
        return Senders.First;
    }

    /// <summary>
    /// The IPC of Fiasco's <c>Thread::do_ipc</c>: an optional send phase to <paramref name="partner"/>
    /// (directly into a waiting receiver, or queued with the send timeout) and an optional receive phase
    /// (closed on <paramref name="sender"/> or open). A call switches directly to the receiver.
    /// </summary>
    internal void DoIpc(MsgTag tag, ulong fromSpec, L4Thread? partner, bool haveReceive, IIpcSender? sender, TimeoutPair timeouts, CapRights rights)
    {
        DoIpcCore(tag, fromSpec, partner, haveReceive, sender, timeouts, rights);
        if (SysDone)
            Kernel.Activate(this, directSwitch: false);
    }

    private void DoIpcCore(MsgTag tag, ulong fromSpec, L4Thread? partner, bool haveReceive, IIpcSender? sender, TimeoutPair timeouts, CapRights rights)
    {
        HaveReceive = haveReceive;
        ClosedSender = haveReceive ? sender : null;
        RcvOpenWait = haveReceive && sender is null;
        if (haveReceive && SysDest.IsReply && (SysOp & SyscallFlags.Reply) == 0)
        {
            // No explicit reply-capability space in this model: a receive into one has no slot.
            SetResult(CommitError(IpcErrorWord.Receive(IpcErrorCode.NoReplyCap)), 0);
            return;
        }
        L4Thread? activate = null;
        if (partner is not null)
        {
            // reset_caller: sending straight to our caller consumes the reply capability.
            if (ReferenceEquals(ReplyCaller, partner))
                ReplyCaller = null;
            SndPartner = partner;
            SndTag = tag;
            SndFromSpec = fromSpec;
            SndRights = rights;
            if (partner.IsDead || partner.Task is null || partner.IsDeleted)
            {
                SetResult(CommitError(IpcErrorWord.Send(IpcErrorCode.NotExistent)), 0);
                return;
            }
            if (partner.CanReceiveFrom(this))
            {
                TimerQueue.Cancel(partner._timer);
                var openWait = partner.RcvOpenWait;
                var ok = MessageTransfer.Transfer(this, partner, tag, rights, fromSpec, openWait);
                activate = partner;
                Kernel.Trace.Record(TraceKind.IpcTransfer, this, partner, tag.Raw, fromSpec);
                if (!ok)
                {
                    SetResult(MsgTag.IpcFailed, 0);
                    Kernel.Activate(partner, directSwitch: false);
                    return;
                }
                if (!haveReceive)
                {
                    SetResult(tag.WithError(false), 0);
                    Kernel.Activate(partner, directSwitch: tag.DoSwitch && IsCurrent && !ReferenceEquals(Kernel.CurrentSc ?? this, this));
                    return;
                }
            }
            else
            {
                if (!ArmTimeoutOrFail(timeouts.Send, IpcErrorWord.Send(IpcErrorCode.SeTimeout)))
                    return;
                WaitFor = WaitKind.Send;
                WaitObject = partner;
                partner.Senders.Enqueue(_link, Priority);
                partner.OnSenderQueued();
                return;
            }
        }
        ReceivePhase(activate, tag.DoSwitch);
    }

    /// <summary>The receive phase of <see cref="DoIpc"/> (Fiasco's <c>do_ipc_receive</c>), activating the send partner first.</summary>
    private void ReceivePhase(L4Thread? activate, bool doSwitch)
    {
        var next = NextSender();
        var expired = false;
        if (next is null)
        {
            var rcv = SysTimeouts.Receive;
            if (rcv.IsZero)
            {
                expired = true;
            }
            else
            {
                if (!rcv.IsNever)
                {
                    var deadline = DeadlineNs(rcv);
                    if (deadline <= Kernel.Now)
                        expired = true;
                    else
                        Kernel.ArmTimer(_timer, deadline);
                }
                if (!expired)
                {
                    WaitFor = WaitKind.Receive;
                    WaitObject = ClosedSender as KernelObject;
                }
            }
        }
        if (activate is not null)
        {
            var direct = doSwitch && next is null && !expired && IsCurrent && (ClosedSender is not null || !ReferenceEquals(Kernel.CurrentSc ?? this, this));
            Kernel.Activate(activate, direct);
            if (SysDone)
                return;
            next ??= NextSender();
        }
        if (next is not null)
        {
            WaitFor = WaitKind.None;
            TimerQueue.Cancel(_timer);
            next.SendQueued(this, RcvOpenWait);
            return;
        }
        if (expired)
            ReceiveFailed(IpcErrorCode.ReTimeout);
    }

    private void ReceiveFailed(IpcErrorCode code)
    {
        // A caller whose receive ends unanswered drops the callee's reply capability to it.
        if (ClosedSender is L4Thread p && ReferenceEquals(p.ReplyCaller, this))
            p.ReplyCaller = null;
        Utcb.ErrorRaw = IpcErrorWord.Receive(code).Raw;
        SetResult(SysTag.WithError(true), 0);
    }

    private long DeadlineNs(L4Timeout t)
    {
        var us = t.Deadline((ulong)(Kernel.Now / 1000), Utcb.Brs);
        if (us == 0)
            return 0;
        return us > (ulong)(long.MaxValue / 1000) ? long.MaxValue : (long)us * 1000;
    }

    /// <summary>Called when this thread, queued as a sender, is picked by <paramref name="receiver"/> (Fiasco's <c>ipc_send_msg</c>).</summary>
    void IIpcSender.SendQueued(L4Thread receiver, bool openWait)
    {
        receiver.Senders.Remove(_link);
        TimerQueue.Cancel(_timer);
        WaitFor = WaitKind.None;
        WaitObject = null;
        var ok = MessageTransfer.Transfer(this, receiver, SndTag, SndRights, SndFromSpec, openWait);
        Kernel.Trace.Record(TraceKind.IpcTransfer, this, receiver, SndTag.Raw, SndFromSpec);
        if (!ok)
        {
            CompleteSyscall(MsgTag.IpcFailed, 0);
            return;
        }
        if (!HaveReceive)
        {
            CompleteSyscall(SndTag.WithError(false), 0);
            return;
        }
        // Continue with our own receive phase (a call now waits for the reply).
        var next = NextSender();
        if (next is not null)
        {
            next.SendQueued(this, RcvOpenWait);
            Kernel.Activate(this, directSwitch: false);
            return;
        }
        var rcv = SysTimeouts.Receive;
        if (rcv.IsZero)
        {
            ReceiveFailed(IpcErrorCode.ReTimeout);
            Kernel.Activate(this, directSwitch: false);
            return;
        }
        if (!rcv.IsNever)
        {
            var deadline = DeadlineNs(rcv);
            if (deadline <= Kernel.Now)
            {
                ReceiveFailed(IpcErrorCode.ReTimeout);
                Kernel.Activate(this, directSwitch: false);
                return;
            }
            Kernel.ArmTimer(_timer, deadline);
        }
        WaitFor = WaitKind.Receive;
        WaitObject = ClosedSender as KernelObject;
    }

    /// <summary>A sender was queued: a thread receiving in its vCPU may need an upcall.</summary>
    internal void OnSenderQueued() => Vcpu?.OnIpcPending();

    /// <summary>Delivers an IRQ message (empty tag, the IRQ's label) to this receiving thread.</summary>
    internal void ReceiveIrq(Irq irq, bool openWait)
    {
        TimerQueue.Cancel(_timer);
        Utcb.ErrorRaw = 0;
        SetResult(new MsgTag(0), irq.Label);
        Kernel.Trace.Record(TraceKind.IrqDelivered, this, irq, irq.Label, 0);
        irq.AfterDelivery();
        Kernel.Activate(this, directSwitch: false);
    }

    /// <summary>The receive-side take of the reply capability (Fiasco's <c>reset_reply_cap</c>): usable once.</summary>
    internal bool TakeReplyCap(out L4Thread caller, out CapRights rights)
    {
        caller = ReplyCaller!;
        rights = ReplyRights;
        ReplyCaller = null;
        return caller is not null && !caller.IsDeleted;
    }

    internal void SetReplyCap(L4Thread caller, CapRights rights)
    {
        ReplyCaller = caller;
        ReplyRights = rights;
    }

    private void OnTimeout()
    {
        Kernel.Trace.Record(TraceKind.Timeout, this, WaitObject, (ulong)WaitFor, 0);
        switch (WaitFor)
        {
            case WaitKind.Send:
                SndPartner?.Senders.Remove(_link);
                WaitFor = WaitKind.None;
                CompleteSyscall(CommitError(IpcErrorWord.Send(IpcErrorCode.SeTimeout)), 0);
                break;
            case WaitKind.Receive:
                ReceiveFailed(IpcErrorCode.ReTimeout);
                Kernel.Activate(this, directSwitch: false);
                break;
            case WaitKind.Gate:
                ((IpcGate)WaitObject!).Waiting.Remove(_link);
                WaitFor = WaitKind.None;
                CompleteSyscall(CommitError(IpcErrorWord.Send(IpcErrorCode.SeTimeout)), 0);
                break;
            case WaitKind.Semaphore:
                ((L4Semaphore)WaitObject!).Waiting.Remove(_link);
                WaitFor = WaitKind.None;
                CompleteSyscall(CommitError(IpcErrorWord.Receive(IpcErrorCode.ReTimeout)), 0);
                break;
        }
    }

    /// <summary>Cancels a blocked operation (<c>ex_regs</c> with <see cref="ExRegsFlags.Cancel"/>).</summary>
    internal void CancelIpc()
    {
        switch (WaitFor)
        {
            case WaitKind.Send:
                SndPartner?.Senders.Remove(_link);
                WaitFor = WaitKind.None;
                CompleteSyscall(CommitError(IpcErrorWord.Send(IpcErrorCode.SeCanceled)), 0);
                break;
            case WaitKind.Receive:
                ReceiveFailed(IpcErrorCode.ReCanceled);
                Kernel.Activate(this, directSwitch: false);
                break;
            case WaitKind.Gate:
                ((IpcGate)WaitObject!).Waiting.Remove(_link);
                WaitFor = WaitKind.None;
                CompleteSyscall(CommitError(IpcErrorWord.Send(IpcErrorCode.SeCanceled)), 0);
                break;
            case WaitKind.Semaphore:
                ((L4Semaphore)WaitObject!).Waiting.Remove(_link);
                WaitFor = WaitKind.None;
                CompleteSyscall(CommitError(IpcErrorWord.Receive(IpcErrorCode.ReCanceled)), 0);
                break;
        }
    }

    /// <summary>Leaves whatever queue the thread waits in, without completing (the thread is being killed).</summary>
    private void AbortWait()
    {
        TimerQueue.Cancel(_timer);
        _link.List?.Remove(_link);
        WaitFor = WaitKind.None;
        WaitObject = null;
    }

    internal void BeginGateWait(IpcGate gate)
    {
        if (!ArmTimeoutOrFail(SysTimeouts.Send, IpcErrorWord.Send(IpcErrorCode.SeTimeout)))
            return;
        WaitFor = WaitKind.Gate;
        WaitObject = gate;
        gate.Waiting.Enqueue(_link, Priority);
    }

    internal void EndGateWait() => EndObjectWait();

    internal void BeginSemaphoreWait(L4Semaphore sem)
    {
        if (!ArmTimeoutOrFail(SysTimeouts.Receive, IpcErrorWord.Receive(IpcErrorCode.ReTimeout)))
            return;
        WaitFor = WaitKind.Semaphore;
        WaitObject = sem;
        sem.Waiting.Enqueue(_link, Priority);
    }

    internal void EndSemaphoreWait() => EndObjectWait();

    /// <summary>Ends a wait in a gate's or semaphore's queue (the object already dequeued the thread).</summary>
    private void EndObjectWait()
    {
        TimerQueue.Cancel(_timer);
        WaitFor = WaitKind.None;
        WaitObject = null;
    }

    /// <summary>
    /// Starts the timeout of a blocking phase: false (with <paramref name="timeoutError"/> committed as the
    /// result) when it is zero or its deadline has passed, otherwise arms the timer unless it is NEVER.
    /// </summary>
    private bool ArmTimeoutOrFail(L4Timeout timeout, IpcErrorWord timeoutError)
    {
        if (timeout.IsNever)
            return true;
        var deadline = timeout.IsZero ? long.MinValue : DeadlineNs(timeout);
        if (deadline <= Kernel.Now)
        {
            SetResult(CommitError(timeoutError), 0);
            return false;
        }
        Kernel.ArmTimer(_timer, deadline);
        return true;
    }
}
