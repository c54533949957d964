namespace L4Re.Kernel.Ipc;

/// <summary>
/// Something that can be queued at a receiver and deliver an IPC when the receiver is ready
/// (Fiasco's <c>Sender</c>): a thread in its send phase or an IRQ.
/// </summary>
internal interface IIpcSender
{
    /// <summary>The link used to queue this sender.</summary>
    SenderLink Link { get; }

    /// <summary>Delivers the pending message to <paramref name="receiver"/>, which is ready to receive from this sender.</summary>
    void SendQueued(Objects.L4Thread receiver, bool openWait);
}

/// <summary>The intrusive list node of a sender (one per sender; a sender waits in at most one list).</summary>
internal sealed class SenderLink(IIpcSender owner)
{
    public readonly IIpcSender Owner = owner;
    public SenderLink? Next;
    public SenderLink? Prev;
    public SenderList? List;
    public int Priority;

    public bool IsQueued => List is not null;
}

/// <summary>
/// A priority-ordered wait queue of senders (Fiasco's <c>Prio_list</c>): highest priority first, FIFO
/// within one priority.
/// </summary>
internal sealed class SenderList
{
    private SenderLink? _head;
    private SenderLink? _tail;

    public bool IsEmpty => _head is null;

    public IIpcSender? First => _head?.Owner;

    public int Count
    {
        get
        {
            var n = 0;
            for (var l = _head; l is not null; l = l.Next)
                n++;
            return n;
        }
    }

    public void Enqueue(SenderLink link, int priority)
    {
        link.Priority = priority;
        link.List = this;
        var after = _tail;
        while (after is not null && after.Priority < priority)
            after = after.Prev;
        link.Prev = after;
        link.Next = after is null ? _head : after.Next;
        if (link.Next is null)
            _tail = link;
        else
            link.Next.Prev = link;
        if (after is null)
            _head = link;
        else
            after.Next = link;
    }

    public void Remove(SenderLink link)
    {
        if (!ReferenceEquals(link.List, this))
            return;
        if (link.Prev is null)
            _head = link.Next;
        else
            link.Prev.Next = link.Next;
        if (link.Next is null)
            _tail = link.Prev;
        else
            link.Next.Prev = link.Prev;
        link.Next = link.Prev = null;
        link.List = null;
    }

    public IIpcSender? Dequeue()
    {
        var h = _head;
        if (h is null)
            return null;
        Remove(h);
        return h.Owner;
    }

    /// <summary>Snapshot of the queued senders in order.</summary>
    public List<IIpcSender> ToList()
    {
        var result = new List<IIpcSender>();
        for (var l = _head; l is not null; l = l.Next)
            result.Add(l.Owner);
        return result;
    }
}
