using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel;

public sealed partial class Microkernel
{
    /// <summary>
    /// The IPC fast path (in the spirit of Fiasco's IPC shortcut): a call without typed items and with
    /// infinite timeouts, through an IPC gate or thread capability, to a synchronous server that waits
    /// in an open receive with no queued senders. The server runs on the caller's scheduling context and
    /// stack; a reply without items goes straight back. The resulting state is exactly what the general
    /// path produces; any other case returns false and takes the general path.
    /// </summary>
    private bool TryFastCall(L4Thread ct, KernelObject obj, MsgTag tag, ulong label, CapRights rights, byte attr)
    {
        L4Thread? srv;
        ulong fromSpec;
        if (obj is IpcGate g)
        {
            if (tag.Protocol == ProtocolLabel.KObject && (attr & SndItem.ObjRight1) != 0)
                return false;
            srv = g.Thread;
            fromSpec = g.Label | ((ulong)rights & 3);
        }
        else if (obj is L4Thread t)
        {
            if (tag.Protocol == ProtocolLabel.Thread)
                return false;
            srv = t;
            fromSpec = label;
        }
        else
        {
            return false;
        }
        if (srv is null || srv.WaitFor != WaitKind.Receive || !srv.RcvOpenWait || srv.Driver is not ServerDriver sd
            || !srv.OnCpu || !srv.Senders.IsEmpty || srv.InSyscall || ReferenceEquals(ct.ReplyCaller, srv) || ReferenceEquals(srv, ct)
            || _inlineDepth >= Options.MaxInlineDepth)
            return false;

        // Send phase: the message goes into the waiting server.
        var words = (int)tag.Words;
        var src = ct.Utcb.Mrs;
        var dst = srv.Utcb.Mrs;
        for (var i = 0; i < words; i++)
            dst[i] = src[i];
        srv.Utcb.ErrorRaw = 0;
        srv.ResultTag = tag;
        srv.ResultLabel = fromSpec;
        srv.SysDone = true;
        srv.WaitFor = WaitKind.None;
        srv.WaitObject = null;
        srv.ReplyCaller = ct;
        srv.ReplyRights = rights;
        ct.SndPartner = srv;
        ct.SndTag = tag;
        ct.SndFromSpec = fromSpec;
        ct.SndRights = rights;
        ct.HaveReceive = true;
        ct.ClosedSender = srv;
        ct.RcvOpenWait = false;
        ct.WaitFor = WaitKind.Receive;
        ct.WaitObject = srv;

        // Direct switch: the server runs now, on the caller's time slice.
        var prevCur = Current;
        var prevSc = CurrentSc;
        _inlineDepth++;
        Current = srv;
        CurrentSc = prevSc ?? ct;
        srv.State = ThreadRunState.Running;
        try
        {
            var reply = sd.Server.Dispatch(new IpcRequest(srv, fromSpec, tag), srv.Utcb, out var replyTag);
            if (reply && replyTag.Items == 0 && ReferenceEquals(srv.Driver, sd) && !srv.IsDead
                && ReferenceEquals(srv.ReplyCaller, ct) && ct.WaitFor == WaitKind.Receive && ReferenceEquals(ct.ClosedSender, srv)
                && srv.Senders.IsEmpty && !ct.IsDead)
            {
                // The server's reply_and_wait, fast: reply words back to the caller, then an open wait.
                srv.SysDest = ServerDriver.ReplyAndWaitSel;
                srv.SysOp = SyscallFlags.ReplyAndWait;
                srv.SysTag = replyTag;
                srv.SysTimeouts = TimeoutPair.SendZero;
                srv.SysLabel = 0;
                srv.SysDone = false;
                srv.Utcb.ErrorRaw = 0;
                var cost = Options.SyscallCostNs;
                if (cost != 0)
                    Charge(srv, cost);
                srv.ReplyCaller = null;
                var rw = (int)replyTag.Words;
                var rs = srv.Utcb.Mrs;
                var rd = ct.Utcb.Mrs;
                for (var i = 0; i < rw; i++)
                    rd[i] = rs[i];
                ct.Utcb.ErrorRaw = 0;
                ct.ResultTag = replyTag.WithError(false);
                ct.ResultLabel = 0;
                ct.SysDone = true;
                ct.WaitFor = WaitKind.None;
                ct.WaitObject = null;
                srv.SndPartner = ct;
                srv.SndTag = replyTag;
                srv.SndFromSpec = 0;
                srv.SndRights = rights;
                srv.HaveReceive = true;
                srv.ClosedSender = null;
                srv.RcvOpenWait = true;
                srv.WaitFor = WaitKind.Receive;
                srv.State = ThreadRunState.Blocked;
            }
            else if (sd.AfterDispatch(srv, reply, replyTag))
            {
                sd.Loop(srv);
            }
        }
        finally
        {
            if (srv.State == ThreadRunState.Running)
                srv.State = srv.SysDone ? ThreadRunState.Ready : ThreadRunState.Blocked;
            Current = prevCur;
            CurrentSc = prevSc;
            _inlineDepth--;
        }
        return true;
    }
}
