using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel;

public sealed partial class Microkernel
{
    /// <summary>
    /// The IPC fast path (in the spirit of Fiasco's IPC shortcut): a call without typed items and with
    /// infinite timeouts, through an IPC gate or thread capability, to a synchronous server that waits
    /// in an open receive with no queued senders. The server runs on the caller's scheduling context and
    /// stack; a reply without items goes straight back. The resulting state is what the general path
    /// produces; any other case returns false (nothing changed) and takes the general path.
    /// </summary>
    private bool TryFastCall(L4Thread ct, L4Thread sc, KernelObject obj, CapSel dest, MsgTag tag, ulong label, CapRights rights, byte attr)
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
            || _inlineDepth >= _maxInline)
            return false;

        // The caller's system call: send, then a closed receive from the server. (The selector, flags
        // and label are only read while a system call starts, so the fast path does not record them.)
        ct.SysTag = tag;
        ct.SysTimeouts = default;
        ct.SysDone = false;
        ct.InSyscall = true;
        ct.Utcb.ErrorRaw = 0;

        // Send phase: the message goes into the waiting server, which gets the reply capability.
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
        srv.ReplyCaller = ct;
        srv.ReplyRights = rights;
        ct.HaveReceive = true;
        if (!ReferenceEquals(ct.ClosedSender, srv))
            ct.ClosedSender = srv; // (conditional stores spare the GC write barrier in ping-pong loops)
        ct.RcvOpenWait = false;
        ct.WaitFor = WaitKind.Receive;

        // Direct switch: the server runs now, on the caller's time slice.
        var prevCur = Current;
        var prevSc = CurrentSc;
        _inlineDepth++;
        Current = srv;
        if (!ReferenceEquals(prevSc, sc))
            CurrentSc = sc;
        srv.State = ThreadRunState.Running;
        if (ServerDriver.Invoke(sd, srv, fromSpec, tag, out var reply, out var replyTag))
        {
            if (reply && replyTag.Items == 0 && ReferenceEquals(srv.Driver, sd) && ReferenceEquals(srv.ReplyCaller, ct)
                && ct.WaitFor == WaitKind.Receive && ReferenceEquals(ct.ClosedSender, srv) && srv.Senders.IsEmpty)
            {
                // The server's reply_and_wait, fast: the reply words go back to the caller, then an open wait.
                if (_syscallCost != 0)
                    ChargeOn(srv, sc, _syscallCost);
                srv.SysTag = replyTag;
                srv.SysTimeouts = TimeoutPair.SendZero;
                srv.Utcb.ErrorRaw = 0;
                srv.ReplyCaller = null;
                var rw = (int)replyTag.Words;
                var rs = srv.Utcb.Mrs;
                var rd = ct.Utcb.Mrs;
                for (var i = 0; i < rw; i++)
                    rd[i] = rs[i];
                ct.ResultTag = replyTag.WithError(false);
                ct.ResultLabel = 0;
                ct.SysDone = true;
                ct.WaitFor = WaitKind.None;
                srv.SysDone = false;
                srv.HaveReceive = true;
                if (srv.ClosedSender is not null)
                    srv.ClosedSender = null;
                srv.RcvOpenWait = true;
                srv.WaitFor = WaitKind.Receive;
                srv.State = ThreadRunState.Blocked;
            }
            else
            {
                FastCallFallback(srv, sd, reply, replyTag);
            }
        }
        if (srv.State == ThreadRunState.Running)
            srv.State = srv.SysDone ? ThreadRunState.Ready : ThreadRunState.Blocked;
        // (Storing the constant null for a host-driven caller, which is not current, spares the GC write barrier.)
        if (prevCur is null)
            Current = null;
        else
            Current = prevCur;
        if (prevSc is null)
            CurrentSc = null;
        else if (!ReferenceEquals(CurrentSc, prevSc))
            CurrentSc = prevSc;
        _inlineDepth--;
        ct.EndSyscall();
        return true;
    }

    /// <summary>The server did not reply in the simple way: continue with the general reply-and-wait loop.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FastCallFallback(L4Thread srv, ServerDriver sd, bool reply, MsgTag replyTag)
    {
        if (sd.AfterDispatch(srv, reply, replyTag))
            sd.Loop(srv);
    }
}
