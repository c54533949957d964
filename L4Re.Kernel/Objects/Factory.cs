using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;

namespace L4Re.Kernel.Objects;

/// <summary>
/// A factory (Fiasco's <c>Factory</c>, a <c>Ram_quota</c>): creates every kind of kernel object from
/// the protocol label in mr0 and charges it to its quota. <c>create_factory(limit)</c> charges the parent
/// the factory object plus the limit it hands on; deleting an object refunds its factory; an exhausted
/// quota gives <see cref="L4Error.NoMem"/>. Used + free always equals the limit.
/// </summary>
public sealed class Factory : KernelObject
{
    private bool _parentRefunded;

    internal Factory(Microkernel kernel, Factory? parent, long limit, long size)
        : base(kernel, parent, size)
    {
        Limit = limit;
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Factory;

    /// <inheritdoc />
    public override string KindName => "Factory";

    /// <summary>The quota in bytes this factory may hand out.</summary>
    public long Limit { get; }

    /// <summary>The bytes currently charged to this factory.</summary>
    public long Used { get; private set; }

    /// <summary>The bytes still available.</summary>
    public long Free => Limit - Used;

    /// <summary>Charges <paramref name="bytes"/> when they fit; false (nothing charged) otherwise or after deletion.</summary>
    internal bool TryCharge(long bytes)
    {
        if (IsDeleted || bytes < 0 || bytes > Limit - Used)
            return false;
        Used += bytes;
        return true;
    }

    /// <summary>Returns <paramref name="bytes"/>; a deleted factory hands its memory back to its parent once all its objects are gone.</summary>
    internal void Refund(long bytes)
    {
        Used -= bytes;
        if (Used < 0)
            throw new InvalidOperationException($"quota underflow in {this}");
        if (IsDeleted && Used == 0 && !_parentRefunded)
        {
            _parentRefunded = true;
            Quota?.Refund(Charged);
        }
    }

    private protected override void ReleaseQuota()
    {
        // The factory's memory (object + handed-on limit) returns to the parent when its last object is gone.
        if (Used == 0 && !_parentRefunded)
        {
            _parentRefunded = true;
            Quota?.Refund(Charged);
        }
    }

    // ---- creation -------------------------------------------------------------------------

    /// <summary>Creates a task (host API).</summary>
    /// <exception cref="L4Exception">The quota is exhausted.</exception>
    public L4Task CreateTask(string? name = null) => Named(NewTask() ?? throw NoMem("task"), name);

    /// <summary>Creates a thread (host API); bind it with <see cref="L4Thread.Bind"/>.</summary>
    /// <exception cref="L4Exception">The quota is exhausted.</exception>
    public L4Thread CreateThread(string? name = null) => Named(NewThread() ?? throw NoMem("thread"), name);

    /// <summary>Creates a child factory with <paramref name="limit"/> bytes (host API).</summary>
    /// <exception cref="L4Exception">The quota is exhausted.</exception>
    public Factory CreateFactory(long limit, string? name = null) => Named(NewFactory(limit) ?? throw NoMem("factory"), name);

    /// <summary>Creates an IPC gate, optionally bound to <paramref name="thread"/> with <paramref name="label"/> (low two bits must be 0).</summary>
    /// <exception cref="L4Exception">The quota is exhausted or the label uses the rights bits.</exception>
    public IpcGate CreateGate(L4Thread? thread = null, ulong label = 0, string? name = null)
    {
        if ((label & 3) != 0)
            throw new L4Exception(L4Error.Inval, "an IPC gate label must have its two low bits clear (they carry the caller's W and S rights)");
        return Named(NewGate(thread, label) ?? throw NoMem("IPC gate"), name);
    }

    /// <summary>Creates an IRQ (Irq_sender).</summary>
    /// <exception cref="L4Exception">The quota is exhausted.</exception>
    public Irq CreateIrq(string? name = null) => Named(NewIrq() ?? throw NoMem("IRQ"), name);

    /// <summary>Creates a semaphore.</summary>
    /// <exception cref="L4Exception">The quota is exhausted.</exception>
    public L4Semaphore CreateSemaphore(string? name = null) => Named(NewSemaphore() ?? throw NoMem("semaphore"), name);

    /// <summary>Creates a VM: a guest-physical address space filled by mapping memory flexpages into it.</summary>
    /// <exception cref="L4Exception">The quota is exhausted.</exception>
    public Vm CreateVm(string? name = null) => Named(NewVm() ?? throw NoMem("VM"), name);

    /// <summary>Creates a DMA space: the device-visible address space of a DMA domain.</summary>
    /// <exception cref="L4Exception">The quota is exhausted.</exception>
    public DmaSpace CreateDmaSpace(string? name = null) => Named(NewDmaSpace() ?? throw NoMem("DMA space"), name);

    /// <summary>Creates a vCPU context.</summary>
    /// <exception cref="L4Exception">The quota is exhausted.</exception>
    public VcpuContext CreateVcpuContext(string? name = null) => Named(NewVcpuContext() ?? throw NoMem("vCPU context"), name);

    private static T Named<T>(T o, string? name) where T : KernelObject
    {
        if (name is not null)
            o.Name = name;
        return o;
    }

    private L4Exception NoMem(string what) => new(L4Error.NoMem, $"{this} cannot pay for a {what}: {Free} of {Limit} bytes free");

    internal L4Task? NewTask() => TryCharge(ObjectSizes.Task) ? new L4Task(Kernel, this, ObjectSizes.Task, TaskKind.Task) : null;

    internal L4Thread? NewThread() => TryCharge(ObjectSizes.Thread) ? new L4Thread(Kernel, this, ObjectSizes.Thread) : null;

    internal Factory? NewFactory(long limit)
    {
        if (limit < 0 || limit > long.MaxValue - ObjectSizes.Factory)
            return null;
        return TryCharge(ObjectSizes.Factory + limit) ? new Factory(Kernel, this, limit, ObjectSizes.Factory + limit) : null;
    }

    internal IpcGate? NewGate(L4Thread? thread, ulong label) => TryCharge(ObjectSizes.IpcGate) ? new IpcGate(Kernel, this, thread, label) : null;

    internal Irq? NewIrq() => TryCharge(ObjectSizes.Irq) ? new Irq(Kernel, this) : null;

    internal L4Semaphore? NewSemaphore() => TryCharge(ObjectSizes.Semaphore) ? new L4Semaphore(Kernel, this) : null;

    internal Vm? NewVm() => TryCharge(ObjectSizes.Vm) ? new Vm(Kernel, this) : null;

    internal DmaSpace? NewDmaSpace() => TryCharge(ObjectSizes.DmaSpace) ? new DmaSpace(Kernel, this) : null;

    internal VcpuContext? NewVcpuContext() => TryCharge(ObjectSizes.VcpuContext) ? new VcpuContext(Kernel, this) : null;

    // ---- protocol -------------------------------------------------------------------------

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        // Fiasco Factory::kinvoke: check_basics(label, S right), then the receive buffer, then manufacture.
        if (tag.Protocol != ProtocolLabel.Factory)
            return MsgTag.FromError(L4Error.BadProto);
        if ((rights & CapRights.S) == 0)
            return MsgTag.FromError(L4Error.Perm);
        if (tag.Words < 1)
            return MsgTag.FromError(L4Error.MsgTooShort);
        if (ReferenceEquals(output, Kernel.DummyUtcb))
            return MsgTag.Result(0);
        var buf = BufferIterator.First(input, input.Bdr.Obj);
        if (!buf.Valid || !buf.Item.IsMap || !buf.Window.IsObj)
            return ct.CommitError(IpcErrorWord.Receive(IpcErrorCode.ReMsgCut));
        var label = (long)input.Mrs[0];
        var obj = Manufacture(label, ct, tag, input, output, out var err, out var words);
        if (obj is null)
            return MsgTag.FromError(err);
        var space = ct.Task!.Caps!;
        var index = buf.Window.ObjIndex;
        if (index >= space.MaxIndex)
        {
            obj.Delete();
            return MsgTag.FromError(L4Error.NoMem);
        }
        if (space.TryLookup(index, out _, out _))
            Memory.MapOperations.RemoveCap(space, index, delete: true);
        if (!space.Insert(index, obj, Caps.CapSlot.Full))
        {
            obj.Delete();
            return MsgTag.FromError(L4Error.NoMem);
        }
        Kernel.Trace.Record(TraceKind.ObjectCreated, ct, obj, index, (ulong)label);
        output.Mrs[Math.Min((int)words, Utcb.MaxWords - 1)] = ((ulong)FpageType.Obj << 4) | SndItem.MapBit;
        return MsgTag.Result(0, words, 1);
    }

    private KernelObject? Manufacture(long label, L4Thread ct, MsgTag tag, Utcb input, Utcb output, out L4Error err, out uint words)
    {
        err = L4Error.NoMem;
        words = 0;
        switch (label)
        {
            case 0:
            case (long)ProtocolLabel.KObject:
                return ManufactureGate(ct, tag, input, out err);
            case (long)ProtocolLabel.Task:
            {
                if (tag.Words <= 2)
                {
                    err = L4Error.Inval;
                    return null;
                }
                var utcbArea = new Fpage(input.Mrs[2]);
                if (utcbArea.IsValid && !utcbArea.IsMemory)
                {
                    err = L4Error.Inval;
                    return null;
                }
                var task = NewTask();
                if (task is not null && utcbArea.IsValid)
                {
                    task.KernelUserMemory.Add(utcbArea);
                    output.Mrs[0] = utcbArea.Raw;
                    words = 1;
                }
                return task;
            }
            case (long)ProtocolLabel.Thread:
                return NewThread();
            case (long)ProtocolLabel.Factory:
                if (tag.Words < 3)
                {
                    err = L4Error.MsgTooShort;
                    return null;
                }
                if (tag.Words > 3 || tag.Items > 0)
                {
                    err = L4Error.MsgTooLong;
                    return null;
                }
                return input.Mrs[2] > long.MaxValue ? null : NewFactory((long)input.Mrs[2]);
            case (long)ProtocolLabel.Vm:
                return NewVm();
            case (long)ProtocolLabel.DmaSpace:
                return NewDmaSpace();
            case (long)ProtocolLabel.IrqSender:
                return NewIrq();
            case (long)ProtocolLabel.Semaphore:
                return NewSemaphore();
            case (long)ProtocolLabel.VcpuContext:
                return NewVcpuContext();
            default:
                err = L4Error.NoDev;
                return null;
        }
    }

    private IpcGate? ManufactureGate(L4Thread ct, MsgTag tag, Utcb input, out L4Error err)
    {
        // Fiasco ipc_gate_factory: optional thread item (needs S), label in mr2 with the two low bits clear.
        L4Thread? thread = null;
        ulong id = 0;
        var items = new SendItemIterator(input, tag.Words);
        if (tag.Items > 0 && items.Next())
        {
            var fp = new Fpage(items.Word1);
            err = L4Error.Inval;
            if (!fp.IsObj)
                return null;
            if (!ct.Task!.Caps!.TryLookup(fp.ObjIndex, out var o, out var a) || o is not L4Thread t)
                return null;
            if ((a & (byte)CapRights.S) == 0)
            {
                err = L4Error.Perm;
                return null;
            }
            if (tag.Words < 3)
            {
                err = L4Error.MsgTooShort;
                return null;
            }
            id = input.Mrs[2];
            if ((id & 3) != 0)
                return null;
            thread = t;
        }
        err = L4Error.NoMem;
        return NewGate(thread, id);
    }
}
