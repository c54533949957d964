namespace L4Re.Kernel.Scheduling;

/// <summary>
/// The timeouts of one kernel, ordered by deadline and then by arming order, so that timers due at
/// the same virtual instant always fire in the same order. Cancelled timers stay in the heap and are
/// skipped when they surface (their version no longer matches).
/// </summary>
internal sealed class TimerQueue
{
    private PriorityQueue<(KernelTimer Timer, long Version), (long Deadline, long Seq)> _heap = new();
    private long _seq;
    private int _live;

    /// <summary>The number of entries in the heap, including stale ones.</summary>
    public int Count => _heap.Count;

    /// <summary>Arms <paramref name="timer"/> to fire at <paramref name="deadlineNs"/>; re-arming cancels the previous deadline.</summary>
    public void Arm(KernelTimer timer, long deadlineNs)
    {
        if (timer.Armed)
            Cancel(timer);
        timer.Version++;
        timer.Deadline = deadlineNs;
        timer.Armed = true;
        timer.Queue = this;
        _live++;
        _heap.Enqueue((timer, timer.Version), (deadlineNs, _seq++));
        // Cancelled timers stay in the heap until they surface; compact when they dominate.
        if (_heap.Count > 64 && _heap.Count > 4 * _live)
            Compact();
    }

    /// <summary>Cancels <paramref name="timer"/>.</summary>
    public static void Cancel(KernelTimer timer)
    {
        if (!timer.Armed)
            return;
        timer.Armed = false;
        timer.Version++;
        if (timer.Queue is { } q)
            q._live--;
    }

    private void Compact()
    {
        var fresh = new PriorityQueue<(KernelTimer Timer, long Version), (long Deadline, long Seq)>(_live + 16);
        while (_heap.TryDequeue(out var e, out var key))
        {
            if (e.Timer.Armed && e.Timer.Version == e.Version)
                fresh.Enqueue(e, key);
        }
        _heap = fresh;
    }

    /// <summary>The deadline of the earliest live timer, or <see cref="long.MaxValue"/>.</summary>
    public long NextDeadline
    {
        get
        {
            while (_heap.TryPeek(out var e, out var key))
            {
                if (e.Timer.Armed && e.Timer.Version == e.Version)
                    return key.Deadline;
                _heap.Dequeue();
            }
            return long.MaxValue;
        }
    }

    /// <summary>Removes and returns the earliest live timer due at or before <paramref name="nowNs"/>.</summary>
    public KernelTimer? PopDue(long nowNs)
    {
        while (_heap.TryPeek(out var e, out var key))
        {
            if (!e.Timer.Armed || e.Timer.Version != e.Version)
            {
                _heap.Dequeue();
                continue;
            }
            if (key.Deadline > nowNs)
                return null;
            _heap.Dequeue();
            e.Timer.Armed = false;
            _live--;
            return e.Timer;
        }
        return null;
    }
}

/// <summary>A timer of the kernel's virtual clock; subclasses say what happens when it fires.</summary>
public abstract class KernelTimer
{
    internal long Version;
    internal bool Armed;
    internal TimerQueue? Queue;

    /// <summary>The deadline in virtual nanoseconds the timer was last armed for.</summary>
    public long Deadline { get; internal set; }

    /// <summary>True while the timer is armed.</summary>
    public bool IsArmed => Armed;

    /// <summary>Called by the kernel when the virtual clock reaches the deadline.</summary>
    protected internal abstract void Fire();
}
