using L4Re.Kernel.Abi;
using L4Re.Kernel.Caps;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel;

public sealed partial class Microkernel
{
    private const ulong ItemsMask = 0x3fUL << 6;

    /// <summary>
    /// The system call (Fiasco's <c>sys_ipc_wrapper</c>): resolves the selector — the reply capability
    /// for <see cref="SyscallFlags.Reply"/>, the thread itself for a special selector, else a slot of the
    /// thread's capability space — and invokes the object. An empty slot gives
    /// <see cref="IpcErrorCode.NotExistent"/>. Never throws for any input words.
    /// </summary>
    internal void Syscall(L4Thread ct, CapSel dest, MsgTag tag, TimeoutPair timeouts, ulong label)
    {
        if (_syscallCost != 0)
            Charge(ct, _syscallCost);
        if (IsFastCandidate(dest, tag, timeouts) && TryFastSyscall(ct, CurrentSc ?? ct, dest, tag, label))
            return;
        SyscallGeneral(ct, dest, tag, timeouts, label);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool IsFastCandidate(CapSel dest, MsgTag tag, TimeoutPair timeouts) =>
        (dest.Raw & (CapSel.FlagsMask | CapSel.SpecialBits)) == (ulong)SyscallFlags.Call && (tag.Raw & ItemsMask) == 0 && timeouts.Raw == 0 && !Trace.On;

    /// <summary>The fast path's capability lookup; the caller already charged the kernel entry.</summary>
    private bool TryFastSyscall(L4Thread ct, L4Thread sc, CapSel dest, MsgTag tag, ulong label) =>
        ct.Caps is { } fc && fc.TryLookup(dest.Index, out var fo, out var fa) && !fo.IsDeleted
        && TryFastCall(ct, sc, fo, dest, tag, label, (CapRights)(fa & 0xf), fa);

    private void SyscallGeneral(L4Thread ct, CapSel dest, MsgTag tag, TimeoutPair timeouts, ulong label)
    {
        ct.BeginSyscall(dest, tag, timeouts, label);
        var op = dest.Flags;
        KernelObject? obj = null;
        CapRights rights = 0;
        byte attr = 0;
        if ((op & SyscallFlags.Reply) != 0)
        {
            if (!dest.IsReply && ct.TakeReplyCap(out var caller, out rights))
            {
                obj = caller;
                attr = CapSlot.Full;
            }
        }
        else if (dest.IsSpecial)
        {
            obj = ct;
            rights = CapRights.RWS;
            attr = CapSlot.Full;
        }
        else if (ct.Caps is { } caps && caps.TryLookup(dest.Index, out var o, out var a))
        {
            obj = o;
            rights = (CapRights)(a & 0xf);
            attr = a;
        }
        if (obj is null || obj.IsDeleted)
            ct.SetResult(ct.CommitError(IpcErrorWord.Send(IpcErrorCode.NotExistent)), 0);
        else
            obj.Invoke(ct, op, rights, attr);
        ct.EndSyscall();
    }

    /// <summary>
    /// A system call a synchronous server makes from inside its dispatch (it is the current thread). A dispatch
    /// cannot be suspended, so an operation that would block is canceled at once (SeCanceled / ReCanceled).
    /// </summary>
    internal void NestedSyscall(L4Thread ct, CapSel dest, MsgTag tag, TimeoutPair timeouts, ulong label)
    {
        Syscall(ct, dest, tag, timeouts, label);
        if (!ct.SysDone)
        {
            ct.InSyscall = true; // completes without queueing the thread: it is running its dispatch
            ct.CancelIpc();
            if (!ct.SysDone)
                ct.SetResult(ct.CommitError(IpcErrorWord.Send(IpcErrorCode.SeCanceled)), 0);
            ct.InSyscall = false;
            Ready.Remove(ct);
        }
        ct.State = ThreadRunState.Running;
    }

    /// <summary>A system call of a host-driven thread: the thread is current for its duration.</summary>
    internal void HostSyscall(L4Thread ct, CapSel dest, MsgTag tag, TimeoutPair timeouts, ulong label)
    {
        if (_syscallCost != 0)
            ChargeOn(ct, ct, _syscallCost);
        if (!IsFastCandidate(dest, tag, timeouts) || !TryFastSyscall(ct, ct, dest, tag, label))
            HostSyscallGeneral(ct, dest, tag, timeouts, label);
    }

    private void HostSyscallGeneral(L4Thread ct, CapSel dest, MsgTag tag, TimeoutPair timeouts, ulong label)
    {
        var prevCur = Current;
        var prevSc = CurrentSc;
        Current = ct;
        CurrentSc = ct;
        try
        {
            SyscallGeneral(ct, dest, tag, timeouts, label);
        }
        finally
        {
            Current = prevCur;
            CurrentSc = prevSc;
        }
    }
}
