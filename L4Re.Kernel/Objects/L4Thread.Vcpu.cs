using L4Re.Kernel.Native;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Vcpu;

namespace L4Re.Kernel.Objects;

public sealed partial class L4Thread
{
    /// <summary>Enables vCPU mode (host side of <c>l4_thread_vcpu_control</c>) and returns the vCPU state.</summary>
    public VcpuState EnableVcpu(ulong handle = 1)
    {
        Vcpu ??= new VcpuState(this, handle);
        return Vcpu;
    }

    private MsgTag SysVcpuControl(MsgTag tag, Utcb input)
    {
        // Fiasco sys_vcpu_control: mr1 = the vCPU state; the extended vCPU state is not supported here.
        if ((input.Mrs[0] & 0x10000) != 0)
            return MsgTag.FromError(L4Error.NoSys);
        if (tag.Words < 2 || input.Mrs[1] == 0)
            return MsgTag.FromError(L4Error.Inval);
        EnableVcpu(input.Mrs[1]);
        return MsgTag.Result(0);
    }

    /// <summary>
    /// Resumes this thread's vCPU (host API for the VMM thread itself; the same as <c>vcpu_resume</c>):
    /// runs the guest through <see cref="VcpuExecutor"/> until it exits or an IRQ upcall happens.
    /// </summary>
    /// <returns>The result tag: label = <see cref="VcpuResumeOutcome"/> or a negated <see cref="L4Error"/>.</returns>
    /// <exception cref="InvalidOperationException">The thread is not host-driven.</exception>
    public MsgTag VcpuResume()
    {
        if (Driver is not HostDriver)
            throw new InvalidOperationException($"{this} is not host-driven");
        Utcb.Mrs[0] = (ulong)ThreadOp.VcpuResume;
        var r = Ipc(CapSel.Invalid.WithFlags(SyscallFlags.Call), MsgTag.Of(ProtocolLabel.Thread, 1), TimeoutPair.Never);
        return r.Tag;
    }

    private MsgTag SysVcpuResume(L4Thread ct, MsgTag tag, Utcb input)
    {
        if (!ReferenceEquals(ct, this) || Vcpu is not { } vcpu)
            return MsgTag.FromError(L4Error.Inval);
        var ut = vcpu.UserTask;
        if (!ut.IsInvalid && ut.Flags == 0)
        {
            var found = Task?.Caps is { } caps && caps.TryLookup(ut.Index, out var o, out var a) ? (o as L4Task, a) : (null, (byte)0);
            if (found.Item1 is not null && (found.Item2 & (byte)CapRights.S) == 0)
                return MsgTag.FromError(L4Error.Perm);
            vcpu.UserSpace = found.Item1;
            vcpu.UserTask = ut.WithFlags(SyscallFlags.Send);
        }
        else if (ut.Flags == SyscallFlags.Reply)
        {
            vcpu.UserSpace = null;
        }
        if (vcpu.UserSpace is { } us)
        {
            var it = new SendItemIterator(input, tag.Words);
            for (var n = tag.Items; n > 0 && it.Next(); n--)
            {
                var err = MapOperations.Map(Task!, new Fpage(it.Word1), us, Fpage.All, it.Item);
                if (!err.IsOk)
                    return CommitError(err);
            }
        }
        while (true)
        {
            if ((vcpu.SavedState & VcpuStateFlags.Irqs) != 0 && (vcpu.StickyFlags & VcpuStickyFlags.IrqPending) != 0 && Upcall(vcpu))
                return MsgTag.Result((long)VcpuResumeOutcome.IpcUpcall);
            vcpu.State = vcpu.SavedState;
            if ((vcpu.State & VcpuStateFlags.UserMode) == 0)
                return MsgTag.Result((long)VcpuResumeOutcome.KernelMode);
            if (vcpu.UserSpace is not { } space)
                return MsgTag.FromError(L4Error.NoEnt);
            if (VcpuExecutor is not { } exec)
                return MsgTag.FromError(L4Error.NoSys);
            var budget = Kernel.BudgetFor(this);
            var r = exec.Run(new VcpuResumeContext(this, vcpu, space, budget));
            Kernel.Charge(this, Math.Max(0, r.ConsumedNs));
            if (r.Status == VcpuRunStatus.Exit)
            {
                vcpu.SavedState = vcpu.State;
                return MsgTag.Result((long)VcpuResumeOutcome.GuestExit);
            }
            if (vcpu.InterruptPending)
                vcpu.StickyFlags |= VcpuStickyFlags.IrqPending;
            vcpu.SavedState = vcpu.State;
            Kernel.YieldInsideSyscall(this);
        }
    }

    /// <summary>Receives a pending IPC with zero timeouts into the vCPU IPC registers (an upcall).</summary>
    private bool Upcall(VcpuState vcpu)
    {
        vcpu.StickyFlags &= ~VcpuStickyFlags.IrqPending;
        var next = NextSenderOpen();
        if (next is null)
            return false;
        var saved = (SysTimeouts, HaveReceive, ClosedSender, RcvOpenWait, SysDone, ResultTag, ResultLabel);
        HaveReceive = true;
        ClosedSender = null;
        RcvOpenWait = true;
        next.SendQueued(this, true);
        vcpu.IpcTag = ResultTag;
        vcpu.IpcLabel = ResultLabel;
        vcpu.IpcError = Utcb.Error;
        vcpu.State &= ~(VcpuStateFlags.Irqs | VcpuStateFlags.UserMode);
        (SysTimeouts, HaveReceive, ClosedSender, RcvOpenWait, SysDone, ResultTag, ResultLabel) = saved;
        return true;
    }

    private IIpcSender? NextSenderOpen() => Senders.First;
}
