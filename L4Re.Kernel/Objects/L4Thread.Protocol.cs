using L4Re.Kernel.Native;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

public sealed partial class L4Thread
{
    /// <summary>
    /// Fiasco's <c>Thread_object::invoke</c>: a Thread-protocol send is a thread operation; anything else
    /// (another label, a receive-only or reply invocation) is an IPC with this thread as partner.
    /// </summary>
    internal override void Invoke(L4Thread ct, SyscallFlags op, CapRights rights, byte attr)
    {
        var tag = ct.SysTag;
        if ((op != 0 && (op & SyscallFlags.Send) == 0) || (op & SyscallFlags.Reply) != 0 || tag.Protocol != ProtocolLabel.Thread)
        {
            var partner = (op & SyscallFlags.Send) != 0 ? this : null;
            var haveRecv = (op & SyscallFlags.Recv) != 0;
            var sender = haveRecv && (op & SyscallFlags.OpenWait) == 0 ? this : null;
            if (!haveRecv && partner is null)
            {
                ct.CompleteSyscall(ct.CommitError(IpcErrorWord.Send(IpcErrorCode.NotExistent)), 0);
                return;
            }
            ct.DoIpc(tag, ct.SysLabel, partner, haveRecv, sender, ct.SysTimeouts, rights);
            return;
        }
        if (tag.Words < 1)
        {
            ct.CompleteSyscall(MsgTag.FromError(L4Error.MsgTooShort), 0);
            return;
        }
        var have = (op & SyscallFlags.Recv) != 0;
        var output = have ? ct.Utcb : Kernel.DummyUtcb;
        var input = ct.Utcb;
        MsgTag res;
        switch ((ThreadOp)(input.Mrs[0] & 0xffff))
        {
            case ThreadOp.Control:
                res = SysControl(ct, rights, tag, input, output);
                break;
            case ThreadOp.ExRegs:
                res = SysExRegs(tag, input, output);
                break;
            case ThreadOp.Switch:
                res = SysSwitch(ct);
                break;
            case ThreadOp.Stats:
                output.Mrs[0] = (ulong)(ConsumedNs / 1000);
                res = MsgTag.Result(0, 1);
                break;
            case ThreadOp.VcpuResume:
                res = SysVcpuResume(ct, tag, input);
                break;
            case ThreadOp.VcpuControl:
                res = SysVcpuControl(tag, input);
                break;
            case ThreadOp.RegisterDeleteIrq:
            {
                var irq = L4Task.DerefItem<Irq>(ct, tag, input, out var ir, out var err);
                res = irq is null ? err : (ir & CapRights.W) == 0 ? MsgTag.FromError(L4Error.Perm) : MsgTag.Result(0);
                break;
            }
            case ThreadOp.ModifySenders:
                res = SysModifySenders(tag, input);
                break;
            default:
                res = MsgTag.FromError(L4Error.NoSys);
                break;
        }
        ct.CompleteSyscall(have || res.HasError ? res : tag, 0);
    }

    private MsgTag SysControl(L4Thread ct, CapRights rights, MsgTag tag, Utcb input, Utcb output)
    {
        // Fiasco Thread_object::sys_control: S right, at least 6 words.
        if ((rights & CapRights.S) == 0)
            return MsgTag.FromError(L4Error.Perm);
        if (tag.Words < 6)
            return MsgTag.FromError(L4Error.Inval);
        var flags = (ThreadControlFlags)input.Mrs[0];
        var oldPager = Pager.IsInvalid ? CapSel.Invalid.Raw : Pager.Index << CapSel.Shift;
        var oldExc = ExceptionHandler.IsInvalid ? CapSel.Invalid.Raw : ExceptionHandler.Index << CapSel.Shift;
        if ((flags & ThreadControlFlags.BindTask) != 0)
        {
            var task = L4Task.DerefItem<L4Task>(ct, tag, input, out var tr, out var err);
            if (task is null)
                return err;
            if ((tr & CapRights.S) == 0)
                return MsgTag.FromError(L4Error.Perm);
            if (!task.AllowsThreads)
                return MsgTag.FromError(L4Error.Inval);
            if (BindCore(task, input.Mrs[5]) != L4Error.Ok)
                return MsgTag.FromError(L4Error.Inval);
        }
        if ((flags & ThreadControlFlags.SetPager) != 0)
            Pager = CapSel.FromIndex(input.Mrs[1] >> CapSel.Shift);
        if ((flags & ThreadControlFlags.SetExcHandler) != 0)
            ExceptionHandler = CapSel.FromIndex(input.Mrs[2] >> CapSel.Shift);
        if ((flags & ThreadControlFlags.Alien) != 0)
            return MsgTag.FromError(L4Error.NoSys); // alien threads are not configured in this kernel
        output.Mrs[1] = oldPager;
        output.Mrs[2] = oldExc;
        return MsgTag.Result(0, 3);
    }

    private MsgTag SysExRegs(MsgTag tag, Utcb input, Utcb output)
    {
        if (tag.Words != 3)
            return MsgTag.FromError(L4Error.Inval);
        var flags = (ExRegsFlags)input.Mrs[0];
        if ((flags & ExRegsFlags.ArchMask) != 0)
            return MsgTag.FromError(L4Error.Inval);
        ExRegs(input.Mrs[1], input.Mrs[2], flags, out var oldIp, out var oldSp, out var oldFlags);
        output.Mrs[0] = oldFlags;
        output.Mrs[1] = oldIp;
        output.Mrs[2] = oldSp;
        return MsgTag.Result(0, 3);
    }

    /// <summary>
    /// Exchanges the instruction and stack pointers (host side of <c>l4_thread_ex_regs</c>). A new
    /// instruction pointer starts the native program registered at that address in the task
    /// (<see cref="L4Task.RegisterProgram"/>); a thread that never ran or died is resurrected;
    /// <see cref="ExRegsFlags.Cancel"/> cancels a blocked IPC.
    /// </summary>
    public void ExRegs(ulong ip, ulong sp, ExRegsFlags flags, out ulong oldIp, out ulong oldSp, out ulong oldFlags)
    {
        oldIp = Ip;
        oldSp = Sp;
        oldFlags = 0;
        if (ip != ulong.MaxValue)
        {
            Ip = ip;
            if (Driver is not HostDriver and not ServerDriver)
                Driver = new AsyncDriver(Task?.ProgramAt(ip), ip);
        }
        if (sp != ulong.MaxValue)
            Sp = sp;
        if (State is ThreadRunState.Dead or ThreadRunState.Inactive)
        {
            if (Task is null || Driver is null)
                return;
            StopReason = null;
            SysDone = true;
            State = ThreadRunState.Ready;
            Kernel.MakeReady(this);
        }
        else if ((flags & ExRegsFlags.Cancel) != 0)
        {
            CancelIpc();
        }
        if ((flags & ExRegsFlags.TriggerException) != 0)
            ExceptionPending = true;
    }

    private MsgTag SysSwitch(L4Thread ct)
    {
        if (ReferenceEquals(ct, this))
            return MsgTag.Result(0);
        Kernel.SwitchTo(ct, this);
        return MsgTag.Result(0);
    }

    private MsgTag SysModifySenders(MsgTag tag, Utcb input)
    {
        // Fiasco sys_modify_senders: groups of (test mask, test value, delete mask, add mask) applied to queued thread senders' labels.
        int elems = (int)tag.Words;
        if (elems < 5)
            return MsgTag.Result(0);
        var groups = (elems - 1) / 4;
        foreach (var s in Senders.ToList())
        {
            if (s is not L4Thread st)
                continue;
            for (var g = 0; g < groups; g++)
            {
                var b = 1 + g * 4;
                if ((st.SndFromSpec & input.Mrs[b]) == input.Mrs[b + 1])
                {
                    st.SndFromSpec = (st.SndFromSpec & ~input.Mrs[b + 2]) | input.Mrs[b + 3];
                    break;
                }
            }
        }
        return MsgTag.Result(0);
    }
}
