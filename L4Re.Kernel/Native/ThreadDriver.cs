using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Native;

/// <summary>What a thread executes when the scheduler dispatches it.</summary>
internal abstract class ThreadDriver
{
    /// <summary>True when the driver can run on a caller's stack during a direct switch.</summary>
    public virtual bool CanRunInline => true;

    /// <summary>True for host-driven threads, which the scheduler never dispatches.</summary>
    public virtual bool IsHost => false;

    /// <summary>Runs the thread until it blocks, is preempted or ends.</summary>
    public abstract void Run(L4Thread thread);
}

/// <summary>A thread whose system calls host code performs synchronously.</summary>
internal sealed class HostDriver : ThreadDriver
{
    public static readonly HostDriver Instance = new();

    public override bool CanRunInline => false;

    public override bool IsHost => true;

    public override void Run(L4Thread thread)
    {
    }
}

/// <summary>A synchronous server: a reply-and-wait loop around <see cref="IIpcServer.Dispatch"/>.</summary>
internal sealed class ServerDriver(IIpcServer server) : ThreadDriver
{
    internal static readonly CapSel WaitSel = CapSel.Invalid.WithFlags(SyscallFlags.Wait);
    internal static readonly CapSel ReplyAndWaitSel = CapSel.Invalid.WithFlags(SyscallFlags.ReplyAndWait);
    private bool _started;

    internal IIpcServer Server => server;

    public override void Run(L4Thread t)
    {
        if (!_started)
        {
            _started = true;
            t.Kernel.Syscall(t, WaitSel, default, TimeoutPair.Never, 0);
            if (!t.SysDone || !ReferenceEquals(t.Driver, this))
                return;
        }
        Loop(t);
    }

    /// <summary>Serves messages while the server's receive completes immediately.</summary>
    internal void Loop(L4Thread t)
    {
        while (t.SysDone)
        {
            if (!TryDispatch(t, this, out var reply, out var replyTag) || !AfterDispatch(t, reply, replyTag))
                return;
        }
    }

    /// <summary>Runs the handler for the received message; a handler that throws stops the server thread (its caller keeps waiting, as for a killed server).</summary>
    internal static bool TryDispatch(L4Thread t, ServerDriver d, out bool reply, out MsgTag replyTag)
    {
        if (t.ResultTag.HasError)
        {
            replyTag = default;
            reply = false;
            return true;
        }
        return Invoke(d, t, t.ResultLabel, t.ResultTag, out reply, out replyTag);
    }

    /// <summary>Calls the handler, turning an exception into the server thread's death.</summary>
    /// <remarks>Not inlined: its exception region would keep the fast path's locals on the stack.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal static bool Invoke(ServerDriver d, L4Thread t, ulong label, MsgTag tag, out bool reply, out MsgTag replyTag)
    {
        try
        {
            reply = d.Server.Dispatch(new IpcRequest(t, label, tag), t.Utcb, out replyTag);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            t.Kill($"server failed: {e.GetType().Name}: {e.Message}");
            reply = false;
            replyTag = default;
            return false;
        }
    }

    /// <summary>Replies (or not) and waits again; false when the loop must stop (preempted, driver changed, thread dead).</summary>
    internal bool AfterDispatch(L4Thread t, bool reply, MsgTag replyTag)
    {
        if (!ReferenceEquals(t.Driver, this) || t.IsDead)
            return false;
        var k = t.Kernel;
        if (reply)
            k.Syscall(t, ReplyAndWaitSel, replyTag, TimeoutPair.SendZero, 0);
        else
            k.Syscall(t, WaitSel, default, TimeoutPair.Never, 0);
        if (!ReferenceEquals(t.Driver, this))
            return false;
        if (t.SysDone && k.ShouldPreempt(t))
        {
            k.Preempt(t);
            return false;
        }
        return true;
    }
}
