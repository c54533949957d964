using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Scheduling;

/// <summary>
/// Fixed-priority ready queues (Fiasco's <c>Ready_queue_fp</c>): one FIFO list per priority 0..255
/// and a bitmap of the non-empty ones. A preempted thread re-enters at the head of its list (it keeps
/// its remaining time slice); a thread whose slice ran out or that just woke up enters at the tail.
/// </summary>
internal sealed class ReadyQueue
{
    private readonly L4Thread?[] _head = new L4Thread?[256];
    private readonly L4Thread?[] _tail = new L4Thread?[256];
    private readonly ulong[] _bitmap = new ulong[4];

    /// <summary>True when no thread is ready.</summary>
    public bool IsEmpty => (_bitmap[0] | _bitmap[1] | _bitmap[2] | _bitmap[3]) == 0;

    /// <summary>The highest priority with a ready thread, or -1.</summary>
    public int HighestPriority
    {
        get
        {
            for (var w = 3; w >= 0; w--)
            {
                if (_bitmap[w] != 0)
                    return (w << 6) + 63 - System.Numerics.BitOperations.LeadingZeroCount(_bitmap[w]);
            }
            return -1;
        }
    }

    /// <summary>True when a thread of priority <paramref name="prio"/> is ready.</summary>
    public bool HasPriority(int prio) => (_bitmap[prio >> 6] & (1UL << (prio & 63))) != 0;

    /// <summary>Enqueues <paramref name="t"/> at the tail (or head) of its priority list.</summary>
    public void Enqueue(L4Thread t, bool atHead)
    {
        if (t.InReadyQueue)
            return;
        int p = t.Priority;
        t.InReadyQueue = true;
        if (_head[p] is null)
        {
            _head[p] = _tail[p] = t;
            t.ReadyPrev = t.ReadyNext = null;
            _bitmap[p >> 6] |= 1UL << (p & 63);
        }
        else if (atHead)
        {
            t.ReadyPrev = null;
            t.ReadyNext = _head[p];
            _head[p]!.ReadyPrev = t;
            _head[p] = t;
        }
        else
        {
            t.ReadyNext = null;
            t.ReadyPrev = _tail[p];
            _tail[p]!.ReadyNext = t;
            _tail[p] = t;
        }
    }

    /// <summary>Removes <paramref name="t"/> if it is queued.</summary>
    public void Remove(L4Thread t)
    {
        if (!t.InReadyQueue)
            return;
        int p = t.Priority;
        if (t.ReadyPrev is null)
            _head[p] = t.ReadyNext;
        else
            t.ReadyPrev.ReadyNext = t.ReadyNext;
        if (t.ReadyNext is null)
            _tail[p] = t.ReadyPrev;
        else
            t.ReadyNext.ReadyPrev = t.ReadyPrev;
        t.ReadyNext = t.ReadyPrev = null;
        t.InReadyQueue = false;
        if (_head[p] is null)
            _bitmap[p >> 6] &= ~(1UL << (p & 63));
    }

    /// <summary>Removes and returns the first thread of the highest non-empty priority.</summary>
    public L4Thread? Dequeue()
    {
        var p = HighestPriority;
        if (p < 0)
            return null;
        var t = _head[p]!;
        Remove(t);
        return t;
    }
}
