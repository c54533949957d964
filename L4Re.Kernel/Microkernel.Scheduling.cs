using L4Re.Kernel.Abi;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;
using L4Re.Kernel.Scheduling;

namespace L4Re.Kernel;

public sealed partial class Microkernel
{
    internal readonly ReadyQueue Ready = new();
    private readonly TimerQueue _timers = new();
    private long _nextDeadline = long.MaxValue;
    private int _inlineDepth;
    private long _runUntil = long.MaxValue;
    private L4Thread? _hostWaiter;

    /// <summary>The virtual time in nanoseconds.</summary>
    public long Now { get; private set; }

    /// <summary>The virtual time the CPU spent idle, in nanoseconds.</summary>
    public long IdleNs { get; private set; }

    /// <summary>The thread currently executing (during a dispatch, a direct switch or a host-driven call), or null.</summary>
    public L4Thread? Current { get; private set; }

    /// <summary>The thread whose scheduling context (priority, time slice) is in use: the caller during a direct switch.</summary>
    internal L4Thread? CurrentSc { get; private set; }

    /// <summary>True when a thread is ready to run.</summary>
    public bool HasReadyThreads => !Ready.IsEmpty;

    /// <summary>Entries in the timer heap, including cancelled ones not yet dropped (for tests).</summary>
    internal int TimerHeapCount => _timers.Count;

    /// <summary>The deadline of the next armed timer, or <see cref="long.MaxValue"/>.</summary>
    public long NextTimerDeadline => _timers.NextDeadline;

    // ---- timers ---------------------------------------------------------------------------------

    /// <summary>Arms <paramref name="timer"/> (a host timer, e.g. a device model's) at <paramref name="deadlineNs"/> of virtual time.</summary>
    public void ArmTimer(KernelTimer timer, long deadlineNs)
    {
        ArgumentNullException.ThrowIfNull(timer);
        _timers.Arm(timer, deadlineNs);
        if (deadlineNs < _nextDeadline)
            _nextDeadline = deadlineNs;
    }

    /// <summary>Cancels <paramref name="timer"/>.</summary>
    public static void CancelTimer(KernelTimer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        TimerQueue.Cancel(timer);
    }

    private void FireDue()
    {
        while (_timers.PopDue(Now) is { } t)
            t.Fire();
        _nextDeadline = _timers.NextDeadline;
    }

    /// <summary>Charges <paramref name="ns"/> of CPU time to <paramref name="t"/> (and the scheduling context in use), advancing the clock and firing due timers.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Charge(L4Thread t, long ns)
    {
        Now += ns;
        t.ConsumedNs += ns;
        (CurrentSc ?? t).SliceLeft -= ns;
        if (Now >= _nextDeadline)
            FireDue();
    }

    /// <summary>Charges a kernel entry to <paramref name="t"/> running on scheduling context <paramref name="sc"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void ChargeOn(L4Thread t, L4Thread sc, long ns)
    {
        Now += ns;
        t.ConsumedNs += ns;
        sc.SliceLeft -= ns;
        if (Now >= _nextDeadline)
            FireDue();
    }

    /// <summary>Advances the virtual clock by <paramref name="ns"/> without running threads (host API: time passes outside the CPU), firing due timers.</summary>
    public void AdvanceTime(long ns)
    {
        if (ns < 0)
            throw new ArgumentOutOfRangeException(nameof(ns), ns, "time only moves forward");
        Now += ns;
        FireDue();
    }

    /// <summary>The CPU time a vCPU may use before the kernel needs the CPU back (next timer or end of the time slice), at least 1 µs.</summary>
    internal long BudgetFor(L4Thread t)
    {
        var sc = CurrentSc ?? t;
        var b = Math.Min(sc.SliceLeft, _nextDeadline == long.MaxValue ? long.MaxValue : _nextDeadline - Now);
        return Math.Max(b, 1000);
    }

    // ---- readiness and preemption ------------------------------------------------------------

    /// <summary>Puts a ready thread in the ready queue (tail) unless it is host-driven, running or off the CPU.</summary>
    internal void MakeReady(L4Thread t)
    {
        if (t.InSyscall || t.State == ThreadRunState.Running || t.IsDead)
            return;
        t.State = ThreadRunState.Ready;
        if (t.OnCpu && t.Driver is { IsHost: false })
            Ready.Enqueue(t, atHead: false);
    }

    /// <summary>
    /// Wakes <paramref name="t"/> after its system call completed. With <paramref name="directSwitch"/>
    /// (a call, or a reply to the thread whose time slice is in use) it runs right now on the current
    /// scheduling context — on the host stack, which is the synchronous IPC fast path.
    /// </summary>
    internal void Activate(L4Thread t, bool directSwitch)
    {
        if (t.InSyscall || t.State == ThreadRunState.Running || t.IsDead)
            return;
        if (directSwitch && t.OnCpu && t.Driver is { CanRunInline: true } d && _inlineDepth < _maxInline)
        {
            Ready.Remove(t);
            RunOn(t, d, donate: true);
            return;
        }
        MakeReady(t);
    }

    private void RunOn(L4Thread t, ThreadDriver d, bool donate)
    {
        var prevCur = Current;
        var prevSc = CurrentSc;
        _inlineDepth++;
        Current = t;
        CurrentSc = donate && prevSc is not null ? prevSc : t;
        t.State = ThreadRunState.Running;
        try
        {
            Trace.Record(TraceKind.Dispatch, t, null, donate ? 1UL : 0, 0);
            d.Run(t);
        }
        finally
        {
            if (t.State == ThreadRunState.Running)
                t.State = t.SysDone ? ThreadRunState.Ready : ThreadRunState.Blocked;
            Current = prevCur;
            CurrentSc = prevSc;
            _inlineDepth--;
        }
    }

    /// <summary>True when <paramref name="ct"/> must give up the CPU after a kernel entry: a higher priority is ready, or its slice ran out with its own priority ready.</summary>
    internal bool ShouldPreempt(L4Thread ct)
    {
        // The host regains the CPU at the end of a timed run or when the call it waits for completed.
        if (Now >= _runUntil || _hostWaiter is { SysDone: true })
            return true;
        var sc = CurrentSc ?? ct;
        var hp = Ready.HighestPriority;
        if (sc.SliceLeft <= 0)
        {
            if (hp >= sc.Priority)
                return true;
            sc.SliceLeft = sc.QuantumNs;
        }
        return hp > sc.Priority;
    }

    /// <summary>Requeues the current thread: at the head of its priority when preempted, at the tail (with a new slice) when its slice ran out.</summary>
    internal void Preempt(L4Thread ct)
    {
        var sc = CurrentSc ?? ct;
        var expired = sc.SliceLeft <= 0;
        if (expired)
        {
            sc.SliceLeft = sc.QuantumNs;
            ct.SliceLeft = ct.QuantumNs;
        }
        ct.State = ThreadRunState.Ready;
        if (ct.OnCpu && ct.Driver is { IsHost: false })
            Ready.Enqueue(ct, atHead: !expired);
        Trace.Record(TraceKind.Preempt, ct, null, expired ? 1UL : 0, 0);
    }

    /// <summary>Spends a native program's pending compute time; false when preempted in the middle (the rest stays pending).</summary>
    internal bool ContinueCompute(L4Thread t, AsyncDriver d)
    {
        while (d.ComputeLeft > 0)
        {
            var sc = CurrentSc ?? t;
            var step = Math.Min(d.ComputeLeft, Math.Max(sc.SliceLeft, 1));
            if (_nextDeadline != long.MaxValue)
                step = Math.Min(step, Math.Max(_nextDeadline - Now, 1));
            d.ComputeLeft -= step;
            Charge(t, step);
            if (d.ComputeLeft > 0 && ShouldPreempt(t))
            {
                Preempt(t);
                return false;
            }
        }
        return true;
    }

    /// <summary>Thread switch (<c>l4_thread_switch</c>): run <paramref name="target"/> now if it is ready, else yield.</summary>
    internal void SwitchTo(L4Thread ct, L4Thread target)
    {
        if (target.InReadyQueue && target.Driver is { CanRunInline: true } d && _inlineDepth < _maxInline)
        {
            Ready.Remove(target);
            RunOn(target, d, donate: true);
            return;
        }
        (CurrentSc ?? ct).SliceLeft = 0;
    }

    /// <summary>Lets threads of at least the caller's priority run while the caller stays inside a long system call (a vCPU run).</summary>
    internal void YieldInsideSyscall(L4Thread ct)
    {
        if (!ShouldPreempt(ct))
            return;
        var sc = CurrentSc ?? ct;
        sc.SliceLeft = sc.QuantumNs;
        while (Ready.HighestPriority >= ct.Priority && Ready.Dequeue() is { } t)
            Dispatch(t);
    }

    // ---- the run loop ---------------------------------------------------------------------------

    private void Dispatch(L4Thread t)
    {
        if (t.Driver is not { IsHost: false } d || t.IsDead)
            return;
        if (t.SliceLeft <= 0)
            t.SliceLeft = t.QuantumNs;
        RunOn(t, d, donate: false);
    }

    /// <summary>
    /// Runs the scheduler: dispatches ready threads in priority order and, when none is ready, lets the
    /// clock jump to the next timer (counting idle time). Stops when nothing is ready and no timer is
    /// armed, or at virtual time <paramref name="untilNs"/>.
    /// </summary>
    /// <returns>Why the run stopped.</returns>
    public RunOutcome Run(long untilNs = long.MaxValue)
    {
        var prevUntil = _runUntil;
        var prevWaiter = _hostWaiter;
        _runUntil = untilNs;
        _hostWaiter = null;
        try
        {
            return RunLoop(untilNs);
        }
        finally
        {
            _runUntil = prevUntil;
            _hostWaiter = prevWaiter;
        }
    }

    private RunOutcome RunLoop(long untilNs)
    {
        while (true)
        {
            if (Now >= _nextDeadline)
                FireDue();
            if (Now >= untilNs)
                return RunOutcome.TimeLimit;
            var t = Ready.Dequeue();
            if (t is null)
            {
                var next = _timers.NextDeadline;
                if (next == long.MaxValue)
                    return RunOutcome.Idle;
                var to = Math.Min(next, untilNs);
                if (to > Now)
                {
                    IdleNs += to - Now;
                    Now = to;
                }
                continue;
            }
            Dispatch(t);
        }
    }

    /// <summary>Runs the scheduler for <paramref name="ns"/> of virtual time.</summary>
    public RunOutcome RunFor(long ns) => Run(Now + ns);

    /// <summary>Runs until <paramref name="waiter"/>'s system call completes or the system is idle with it still blocked.</summary>
    internal void RunUntilDone(L4Thread waiter)
    {
        var prevCur = Current;
        var prevSc = CurrentSc;
        var prevUntil = _runUntil;
        var prevWaiter = _hostWaiter;
        Current = null;
        CurrentSc = null;
        _runUntil = long.MaxValue;
        _hostWaiter = waiter;
        try
        {
            while (!waiter.SysDone)
            {
                if (Now >= _nextDeadline)
                    FireDue();
                if (waiter.SysDone)
                    break;
                var t = Ready.Dequeue();
                if (t is null)
                {
                    var next = _timers.NextDeadline;
                    if (next == long.MaxValue)
                        return;
                    if (next > Now)
                    {
                        IdleNs += next - Now;
                        Now = next;
                    }
                    continue;
                }
                Dispatch(t);
            }
        }
        finally
        {
            Current = prevCur;
            CurrentSc = prevSc;
            _runUntil = prevUntil;
            _hostWaiter = prevWaiter;
        }
    }
}

/// <summary>Why <see cref="Microkernel.Run"/> returned.</summary>
public enum RunOutcome
{
    /// <summary>No thread is ready and no timer is armed: nothing will ever happen without outside input.</summary>
    Idle,
    /// <summary>The requested virtual time was reached.</summary>
    TimeLimit,
}
