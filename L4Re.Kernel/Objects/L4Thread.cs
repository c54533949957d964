using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;
using L4Re.Kernel.Scheduling;
using L4Re.Kernel.Vcpu;

namespace L4Re.Kernel.Objects;

/// <summary>
/// A thread (Fiasco's <c>Thread_object</c>; <c>L4Thread</c> here to keep clear of
/// <see cref="System.Threading.Thread"/>): an execution context bound to a task, with a UTCB, a pager
/// and an exception handler, a priority and a time quantum. Invoked with the Thread protocol it is
/// controlled (control, ex_regs, switch, stats, vCPU operations); invoked otherwise it is the partner of
/// an IPC. What it executes is a native program (<see cref="NativeMain"/>), a synchronous server
/// (<see cref="IIpcServer"/>), or host code that drives it (<see cref="Drive"/>).
/// </summary>
public sealed partial class L4Thread : KernelObject, IIpcSender
{
    private readonly SenderLink _link;
    private readonly IpcTimer _timer;

    internal L4Thread(Microkernel kernel, Factory? quota, long size)
        : base(kernel, quota, size)
    {
        _link = new SenderLink(this);
        _timer = new IpcTimer(this);
        Priority = kernel.Options.DefaultPriority;
        QuantumNs = kernel.Options.DefaultQuantumNs;
        SliceLeft = QuantumNs;
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Thread;

    /// <inheritdoc />
    public override string KindName => "Thread";

    /// <summary>The task the thread runs in, or null when unbound.</summary>
    public L4Task? Task { get; private set; }

    /// <summary>The thread's UTCB.</summary>
    public Utcb Utcb { get; } = new();

    /// <summary>The UTCB address given at bind time (informational).</summary>
    public ulong UtcbAddress { get; private set; }

    /// <summary>The pager's capability selector in the thread's task (page faults become IPC calls to it).</summary>
    public CapSel Pager { get; set; } = CapSel.Invalid;

    /// <summary>The exception handler's capability selector.</summary>
    public CapSel ExceptionHandler { get; set; } = CapSel.Invalid;

    /// <summary>The user instruction pointer (for native programs: the entry the program was started at).</summary>
    public ulong Ip { get; internal set; }

    /// <summary>The user stack pointer.</summary>
    public ulong Sp { get; internal set; }

    /// <summary>The priority, 1..255.</summary>
    public byte Priority { get; private set; }

    /// <summary>The time quantum in virtual nanoseconds.</summary>
    public long QuantumNs { get; private set; }

    /// <summary>Virtual CPU time consumed, in nanoseconds.</summary>
    public long ConsumedNs { get; internal set; }

    /// <summary>The run state.</summary>
    public ThreadRunState State { get; internal set; } = ThreadRunState.Inactive;

    /// <summary>Why the thread stopped, when <see cref="State"/> is <see cref="ThreadRunState.Dead"/>.</summary>
    public string? StopReason { get; private set; }

    /// <summary>True when the thread was killed or its program ended.</summary>
    public bool IsDead => State == ThreadRunState.Dead;

    /// <summary>True once the scheduler has placed the thread on the CPU (<c>run_thread</c>).</summary>
    public bool IsOnCpu => OnCpu;

    /// <summary>The vCPU state when vCPU mode is enabled, else null.</summary>
    public VcpuState? Vcpu { get; private set; }

    /// <summary>The engine that runs this thread's vCPU in guest mode (set by the VMM package).</summary>
    public IVcpuExecutor? VcpuExecutor { get; set; }

    // the task's capability space, cached for the system-call path
    internal Caps.CapSpace? Caps;

    // scheduling
    internal long SliceLeft;
    internal bool OnCpu;
    internal bool InReadyQueue;
    internal L4Thread? ReadyNext;
    internal L4Thread? ReadyPrev;
    internal ThreadDriver? Driver;

    // the current system call
    internal CapSel SysDest;
    internal SyscallFlags SysOp;
    internal MsgTag SysTag;
    internal TimeoutPair SysTimeouts;
    internal ulong SysLabel;
    internal CapRights SysRights;
    internal bool SysDone = true;
    internal bool InSyscall;
    internal MsgTag ResultTag;
    internal ulong ResultLabel;

    // IPC state
    internal WaitKind WaitFor;
    internal KernelObject? WaitObject;
    internal L4Thread? SndPartner;
    internal MsgTag SndTag;
    internal ulong SndFromSpec;
    internal CapRights SndRights;
    internal bool HaveReceive;
    internal IIpcSender? ClosedSender;
    internal bool RcvOpenWait;
    internal readonly SenderList Senders = new();
    private L4Thread? _replyCaller;
    private bool _hasReplyCaller;

    /// <summary>
    /// The caller the reply capability names, or null. Setting it again to the same caller stores no reference (no
    /// GC write barrier in a call/reply loop): clearing only drops the flag and keeps the last caller for the next compare.
    /// </summary>
    internal L4Thread? ReplyCaller
    {
        get => _hasReplyCaller ? _replyCaller : null;
        set
        {
            if (value is null)
            {
                _hasReplyCaller = false;
                return;
            }
            if (!ReferenceEquals(_replyCaller, value))
                _replyCaller = value;
            _hasReplyCaller = true;
        }
    }
    internal CapRights ReplyRights;
    internal bool ExceptionPending;

    SenderLink IIpcSender.Link => _link;

    /// <summary>The result of the last completed system call.</summary>
    public IpcResult LastResult => new(ResultTag, ResultLabel, Utcb.Error);

    /// <summary>The number of senders (threads and IRQs) waiting to deliver to this thread.</summary>
    public int QueuedSenders => Senders.Count;

    // ---- binding and starting (host API) --------------------------------------------------

    /// <summary>Binds the thread to <paramref name="task"/> (host side of thread control with <see cref="ThreadControlFlags.BindTask"/>).</summary>
    /// <exception cref="L4Exception">The thread is already bound or the task does not take threads.</exception>
    public void Bind(L4Task task, ulong utcbAddress = 0)
    {
        ArgumentNullException.ThrowIfNull(task);
        var e = BindCore(task, utcbAddress);
        if (e != L4Error.Ok)
            throw new L4Exception(e, $"cannot bind {this} to {task}");
    }

    private L4Error BindCore(L4Task task, ulong utcbAddress)
    {
        if (!task.AllowsThreads || task.IsDeleted)
            return L4Error.Inval;
        if (Task is not null)
            return L4Error.Inval; // unbind first
        Task = task;
        Caps = task.Caps;
        UtcbAddress = utcbAddress;
        task.BoundThreads.Add(this);
        return L4Error.Ok;
    }

    /// <summary>
    /// Starts the native program <paramref name="main"/> on this bound thread with <paramref name="priority"/>
    /// (host shortcut for <c>ex_regs</c> + <c>run_thread</c>); it runs when the scheduler dispatches it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The thread is not bound to a task.</exception>
    public void Start(NativeMain main, int priority = 0, long quantumNs = 0)
    {
        ArgumentNullException.ThrowIfNull(main);
        RequireBound();
        Driver = new AsyncDriver(main);
        Activate(priority, quantumNs);
    }

    /// <summary>
    /// Makes this bound thread a synchronous server: it waits for IPC, runs <paramref name="server"/> for
    /// each message and replies, forever (a <c>reply_and_wait</c> loop). Messages from callers that
    /// switch to it directly are served on the caller's host stack — the IPC fast path.
    /// </summary>
    /// <exception cref="InvalidOperationException">The thread is not bound to a task.</exception>
    public void Serve(IIpcServer server, int priority = 0, long quantumNs = 0)
    {
        ArgumentNullException.ThrowIfNull(server);
        RequireBound();
        Driver = new ServerDriver(server);
        Activate(priority, quantumNs);
    }

    /// <summary>
    /// Makes this bound thread host-driven: host code performs its system calls (<see cref="Ipc"/>,
    /// <see cref="Call"/>...) synchronously; the scheduler never dispatches it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The thread is not bound to a task.</exception>
    public void Drive(int priority = 0)
    {
        RequireBound();
        Driver = HostDriver.Instance;
        if (priority > 0)
            Priority = (byte)Math.Min(priority, 255);
        OnCpu = true;
        State = ThreadRunState.Running;
        StopReason = null;
    }

    private void RequireBound()
    {
        if (Task is null)
            throw new InvalidOperationException($"{this} is not bound to a task");
        if (IsDeleted)
            throw new InvalidOperationException($"{this} is deleted");
    }

    private void Activate(int priority, long quantumNs)
    {
        StopReason = null;
        SysDone = true;
        if (priority > 0)
            Priority = (byte)Math.Min(priority, 255);
        if (quantumNs > 0)
            QuantumNs = quantumNs;
        SliceLeft = QuantumNs;
        OnCpu = true;
        State = ThreadRunState.Ready;
        Kernel.MakeReady(this);
    }

    internal void SetSchedParams(byte priority, long quantumNs, bool onCpu)
    {
        var queued = InReadyQueue;
        if (queued)
            Kernel.Ready.Remove(this);
        Priority = priority;
        QuantumNs = quantumNs;
        SliceLeft = quantumNs;
        OnCpu = onCpu;
        if (_link.List is { } l)
        {
            // keep the sender queue ordered by the new priority
            l.Remove(_link);
            l.Enqueue(_link, priority);
        }
        if (onCpu && (queued || (State == ThreadRunState.Ready && Driver is { IsHost: false } && !InSyscall)))
            Kernel.Ready.Enqueue(this, atHead: false);
    }

    /// <summary>Kills the thread (no pager, deleted task or object): it stops, leaves every queue, and its senders are canceled.</summary>
    internal void KillAndUnbind(string reason)
    {
        Kill(reason);
        if (Task is { } t)
        {
            t.BoundThreads.Remove(this);
            Task = null;
            Caps = null;
        }
    }

    internal void Kill(string reason)
    {
        if (State == ThreadRunState.Dead && Driver is null)
            return;
        AbortWait();
        Kernel.Ready.Remove(this);
        State = ThreadRunState.Dead;
        StopReason = reason;
        Driver = null;
        SysDone = true;
        // "In case we're engaged in a call ... the caller is left waiting forever."
        ReplyCaller = null;
        _replyCaller = null;
        while (Senders.Dequeue() is { } s)
        {
            if (s is L4Thread st)
            {
                st.WaitFor = WaitKind.None;
                TimerQueue.Cancel(st._timer);
                st.CompleteSyscall(st.CommitError(IpcErrorWord.Send(IpcErrorCode.SeCanceled)), 0);
            }
            else if (s is Irq irq)
            {
                irq.IsPending = true;
            }
        }
        Kernel.Trace.Record(TraceKind.ThreadDead, this, this, 0, 0);
        Kernel.LogThreadStopped(this, reason);
    }

    private protected override void OnDestroy() => KillAndUnbind("thread deleted");

    /// <summary>Deletes the thread object (host API), as the last capability going away would.</summary>
    public void DeleteObject() => Delete();

    // ---- host-driven system calls -------------------------------------------------------------

    /// <summary>
    /// Performs one system call on behalf of this host-driven thread (the <c>l4_ipc</c> binding): invokes
    /// <paramref name="dest"/> with the flags in its low bits, the message in this thread's UTCB, and the
    /// timeouts. When the thread blocks, the scheduler runs the other threads until the call completes or
    /// the system idles with the thread still blocked.
    /// <para>
    /// A synchronous server (<see cref="Serve"/>) may call this too, on its own thread, from inside
    /// <see cref="IIpcServer.Dispatch"/> — as an L4Re server invokes kernel objects (an ICU, the IOMMU, a factory) or
    /// calls other servers while it handles a request. The call runs on the server's scheduling context and must
    /// complete without blocking, because a dispatch cannot be suspended: kernel objects answer at once, a synchronous
    /// server or a program waiting for the message answers on the spot; an operation that would block is canceled
    /// instead (<see cref="IpcErrorCode.SeCanceled"/> in the send phase, <see cref="IpcErrorCode.ReCanceled"/> in the
    /// receive phase). The UTCB is the server's: read the request before, build the reply after.
    /// </para>
    /// </summary>
    /// <param name="dest">The capability selector with <see cref="SyscallFlags"/> in bits 0–3.</param>
    /// <param name="tag">The message tag.</param>
    /// <param name="timeouts">Send and receive timeouts.</param>
    /// <param name="label">The label a receiver sees when the destination is a thread capability.</param>
    /// <returns>The result; <see cref="IpcResult.IsBlocked"/> when the thread is still blocked.</returns>
    /// <exception cref="InvalidOperationException">The thread is neither host-driven nor a server inside its dispatch.</exception>
    public IpcResult Ipc(CapSel dest, MsgTag tag, TimeoutPair timeouts = default, ulong label = 0)
    {
        if (!ReferenceEquals(Driver, HostDriver.Instance) || !SysDone)
            return NestedIpc(dest, tag, timeouts, label);
        Kernel.HostSyscall(this, dest, tag, timeouts, label);
        if (!SysDone)
            Kernel.RunUntilDone(this);
        return SysDone ? new IpcResult(ResultTag, ResultLabel, Utcb.Error) : IpcResult.Blocked;
    }

    /// <summary>A system call of a synchronous server from inside its dispatch; anything else is not allowed.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private IpcResult NestedIpc(CapSel dest, MsgTag tag, TimeoutPair timeouts, ulong label)
    {
        if (Driver is not ServerDriver || !ReferenceEquals(Kernel.Current, this) || !SysDone || InSyscall)
            ThrowNotReady();
        Kernel.NestedSyscall(this, dest, tag, timeouts, label);
        return new IpcResult(ResultTag, ResultLabel, Utcb.Error);
    }

    private void ThrowNotReady() => throw new InvalidOperationException(
        Driver is ServerDriver ? $"{this} is a server: it makes system calls only from inside its Dispatch"
        : !ReferenceEquals(Driver, HostDriver.Instance) ? $"{this} is not host-driven (call Drive() first)" : $"{this} is still blocked in its previous system call");

    /// <summary>Calls <paramref name="dest"/>: send, then a closed receive from the same partner (<c>l4_ipc_call</c>).</summary>
    public IpcResult Call(CapSel dest, MsgTag tag, TimeoutPair timeouts = default) => Ipc(dest.WithFlags(SyscallFlags.Call), tag, timeouts);

    /// <summary>Sends to <paramref name="dest"/> (<c>l4_ipc_send</c>).</summary>
    public IpcResult Send(CapSel dest, MsgTag tag, TimeoutPair timeouts = default, ulong label = 0) => Ipc(dest.WithFlags(SyscallFlags.Send), tag, timeouts, label);

    /// <summary>Open wait for any sender (<c>l4_ipc_wait</c>).</summary>
    public IpcResult Wait(TimeoutPair timeouts = default) => Ipc(CapSel.Invalid.WithFlags(SyscallFlags.Wait), default, timeouts);

    /// <summary>Closed receive from <paramref name="from"/> (<c>l4_ipc_receive</c>).</summary>
    public IpcResult Receive(CapSel from, TimeoutPair timeouts = default) => Ipc(from.WithFlags(SyscallFlags.Recv), default, timeouts);

    /// <summary>Replies to the caller and waits for the next message (<c>l4_ipc_reply_and_wait</c>).</summary>
    public IpcResult ReplyAndWait(MsgTag tag, TimeoutPair timeouts = default) =>
        Ipc(CapSel.Invalid.WithFlags(SyscallFlags.ReplyAndWait), tag, timeouts);

    /// <summary>Sends to <paramref name="dest"/> and waits for any message (<c>l4_ipc_send_and_wait</c>).</summary>
    public IpcResult SendAndWait(CapSel dest, MsgTag tag, TimeoutPair timeouts = default) =>
        Ipc(dest.WithFlags(SyscallFlags.SendAndWait), tag, timeouts);

    /// <summary>Replies to the caller without waiting (<c>l4_ipc_send</c> on the reply capability).</summary>
    public IpcResult Reply(MsgTag tag, TimeoutPair timeouts = default) =>
        Ipc(CapSel.Invalid.WithFlags(SyscallFlags.Send | SyscallFlags.Reply), tag, timeouts);

    /// <summary>Cancels the blocked system call of this thread, as <c>ex_regs</c> with <see cref="ExRegsFlags.Cancel"/> does.</summary>
    public void Cancel() => CancelIpc();
}
