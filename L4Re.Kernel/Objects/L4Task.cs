using L4Re.Kernel.Abi;
using L4Re.Kernel.Caps;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;

namespace L4Re.Kernel.Objects;

/// <summary>The kind of a task-like object: which spaces it has.</summary>
public enum TaskKind
{
    /// <summary>An ordinary task: memory, I/O-port and object spaces; threads can be bound.</summary>
    Task,
    /// <summary>A VM: only a (guest-physical) memory space.</summary>
    Vm,
    /// <summary>A DMA space: only a (device-visible) memory space.</summary>
    DmaSpace,
    /// <summary>Sigma0: idempotent memory and I/O spaces over all physical memory.</summary>
    Sigma0,
}

/// <summary>
/// A task (Fiasco's <c>Task</c>, named <c>L4Task</c> here to keep clear of <see cref="System.Threading.Tasks.Task"/>):
/// a protection domain with a memory space, an I/O-port space and a capability space, in which threads
/// run. Its protocol maps and unmaps flexpages and answers capability queries.
/// </summary>
public class L4Task : KernelObject
{
    private Dictionary<ulong, NativeMain>? _image;

    internal L4Task(Microkernel kernel, Factory? quota, long size, TaskKind kind)
        : base(kernel, quota, size)
    {
        Kind = kind;
        var sigma0 = kind == TaskKind.Sigma0 ? kernel.PhysicalMemory : null;
        Memory = new MemSpace(this, kernel.Options.AddressSpaceBits, sigma0);
        if (kind is TaskKind.Task or TaskKind.Sigma0)
        {
            IoPorts = new IoSpace(this, sigma0);
            Caps = new CapSpace(this, kernel.Options.MaxCapIndex);
        }
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Task;

    /// <inheritdoc />
    public override string KindName => Kind == TaskKind.Sigma0 ? "Sigma0" : "Task";

    /// <summary>Which spaces the object has.</summary>
    public TaskKind Kind { get; }

    /// <summary>The memory space.</summary>
    public MemSpace Memory { get; }

    /// <summary>The I/O-port space (null for VMs and DMA spaces).</summary>
    public IoSpace? IoPorts { get; }

    /// <summary>The capability space (null for VMs and DMA spaces).</summary>
    public CapSpace? Caps { get; }

    /// <summary>True when threads can be bound to the task.</summary>
    public bool AllowsThreads => Kind is TaskKind.Task or TaskKind.Sigma0;

    /// <summary>The threads bound to this task.</summary>
    public IReadOnlyList<L4Thread> Threads => BoundThreads;

    internal readonly List<L4Thread> BoundThreads = [];

    /// <summary>Kernel-user memory areas registered for the task (the UTCB area given at creation, <c>add_ku_mem</c>).</summary>
    public List<Fpage> KernelUserMemory { get; } = [];

    // ---- native programs -----------------------------------------------------------------

    /// <summary>
    /// Registers the native program <paramref name="main"/> at instruction pointer <paramref name="entry"/>:
    /// a thread of this task started with <c>ex_regs</c> at that address runs it.
    /// </summary>
    public void RegisterProgram(ulong entry, NativeMain main)
    {
        ArgumentNullException.ThrowIfNull(main);
        (_image ??= [])[entry] = main;
    }

    internal NativeMain? ProgramAt(ulong ip) => _image is not null && _image.TryGetValue(ip, out var m) ? m : null;

    // ---- host API --------------------------------------------------------------------------

    /// <summary>
    /// Maps the flexpage <paramref name="fpage"/> of <paramref name="source"/> into this task at the
    /// offset <paramref name="sendBase"/> of the whole space (the kernel side of <c>l4_task_map</c>,
    /// without capability checks).
    /// </summary>
    public IpcErrorWord Map(L4Task source, Fpage fpage, ulong sendBase = 0, bool grant = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        var control = fpage.IsObj ? SndItem.MapObj(sendBase, grant) : SndItem.Map(sendBase, 0, grant);
        return MapOperations.Map(source, fpage, this, Fpage.All, control);
    }

    /// <summary>Maps with an explicit control word (send base, grant, cacheability or object attributes).</summary>
    public IpcErrorWord Map(L4Task source, Fpage fpage, SndItem control)
    {
        ArgumentNullException.ThrowIfNull(source);
        return MapOperations.Map(source, fpage, this, Fpage.All, control);
    }

    /// <summary>Unmaps <paramref name="fpage"/> from this task's descendants, and from the task itself with <see cref="UnmapFlags.AllSpaces"/> (<c>l4_task_unmap</c>).</summary>
    public void Unmap(Fpage fpage, UnmapFlags flags) => MapOperations.Unmap(this, fpage, flags);

    /// <summary>
    /// Places <paramref name="dataspace"/> in physical memory if needed and maps <paramref name="size"/>
    /// bytes from <paramref name="offset"/> of it at <paramref name="address"/> with <paramref name="rights"/>,
    /// as children of sigma0's mappings — what a root task's memory allocator does for a client.
    /// </summary>
    /// <exception cref="ArgumentException">The range is not page aligned or leaves the dataspace.</exception>
    /// <exception cref="L4Exception">The task's quota cannot pay for the page tables and mappings.</exception>
    public void Attach(Dataspace dataspace, ulong address, MemRights rights, long offset = 0, long size = -1)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        if (size < 0)
            size = dataspace.Size - offset;
        if (((address | (ulong)offset | (ulong)size) & (Dataspace.PageSize - 1)) != 0 || offset < 0 || offset + size > dataspace.Size)
            throw new ArgumentException($"attach range 0x{offset:x}+0x{size:x} at 0x{address:x} must be page aligned and inside {dataspace}");
        var phys = Kernel.PhysicalMemory.AddressOf(dataspace) ?? Kernel.PhysicalMemory.Add(dataspace);
        for (long done = 0; done < size;)
        {
            // Largest naturally aligned block that fits at both ends.
            var pa = phys + (ulong)(offset + done);
            var va = address + (ulong)done;
            var order = Fpage.PageOrder;
            while (order < 40 && ((pa | va) & ((1UL << (order + 1)) - 1)) == 0 && done + (1L << (order + 1)) <= size)
                order++;
            var err = MapOperations.Map(Kernel.Sigma0, Fpage.Memory(pa, order, rights), this, Fpage.Memory(va, order, MemRights.RWX), SndItem.Map(0));
            if (!err.IsOk)
                throw new L4Exception(L4Error.NoMem, $"attaching {dataspace} to {this} failed: {err}");
            done += 1L << order;
        }
    }

    /// <summary>
    /// Puts a capability to <paramref name="obj"/> into slot <paramref name="index"/> with <paramref name="rights"/>
    /// (privileged: what the kernel does for boot capabilities). An existing capability in the slot is removed first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The task has no capability space.</exception>
    /// <exception cref="L4Exception">The slot is out of range or the quota cannot pay for a capability-table page.</exception>
    public void InsertCapability(ulong index, KernelObject obj, CapRights rights = CapRights.RWSD, bool weak = false, byte objectRights = SndItem.ObjRights)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var caps = Caps ?? throw new InvalidOperationException($"{this} has no capability space");
        if (caps.TryLookup(index, out _, out _))
            MapOperations.RemoveCap(caps, index, delete: false);
        var attr = (byte)(((byte)rights & 0xf) | (weak ? 0 : CapSlot.CountedBit) | (objectRights & SndItem.ObjRights));
        if (!caps.Insert(index, obj, attr))
            throw new L4Exception(L4Error.NoMem, $"cannot insert capability {index} into {this}");
    }

    /// <summary>Deletes the task (and every object it holds a D-right capability to), as the last capability going away would.</summary>
    public void DeleteObject() => Delete();

    // ---- protocol --------------------------------------------------------------------------

    private protected override MsgTag KInvoke(L4Thread ct, CapRights rights, byte attr, MsgTag tag, Utcb input, Utcb output)
    {
        if (tag.Protocol != ProtocolLabel.Task)
            return MsgTag.FromError(L4Error.BadProto);
        switch ((TaskOp)input.Mrs[0])
        {
            case TaskOp.Map:
                return SysMap(ct, rights, tag, input);
            case TaskOp.Unmap:
                return SysUnmap(tag, input, output);
            case TaskOp.CapInfo:
                return SysCapInfo(ct, tag, input);
            case TaskOp.AddKuMem:
                return SysAddKuMem(tag, input, output);
            default:
                return MsgTag.FromError(L4Error.NoSys);
        }
    }

    private MsgTag SysMap(L4Thread ct, CapRights rights, MsgTag tag, Utcb input)
    {
        // Fiasco Task::sys_map: W on the destination, the source task as first item.
        if ((rights & CapRights.W) == 0)
            return MsgTag.FromError(L4Error.Perm);
        var from = DerefItem<L4Task>(ct, tag, input, out var mask, out var err);
        if (from is null)
            return err;
        var sfp = new Fpage(input.Mrs[2]);
        if (sfp.IsObj)
        {
            // S survives only when both the source-task capability and the invoked capability have it.
            var m = (mask & rights) | CapRights.D | CapRights.RW;
            sfp = sfp.WithRights((byte)(sfp.RightsBits & (byte)m));
        }
        var ret = MapOperations.Map(from, sfp, this, Fpage.All, new SndItem(input.Mrs[1]));
        return ret.IsOk ? MsgTag.Result(0) : ct.CommitError(ret);
    }

    /// <summary>Dereferences the first send item as a capability of type <typeparamref name="T"/> (Fiasco's <c>Ko::deref</c>).</summary>
    internal static T? DerefItem<T>(L4Thread ct, MsgTag tag, Utcb input, out CapRights rights, out MsgTag error) where T : KernelObject
    {
        rights = CapRights.None;
        error = MsgTag.FromError(L4Error.Inval);
        if (tag.Items == 0)
            return null;
        var it = new SendItemIterator(input, tag.Words);
        if (!it.Next() || it.Item.IsVoid)
            return null;
        var fp = new Fpage(it.Word1);
        if (!fp.IsObj)
        {
            error = ct.CommitError(IpcErrorWord.Send(IpcErrorCode.SeMsgCut));
            return null;
        }
        if (ct.Task?.Caps is not { } caps || !caps.TryLookup(fp.ObjIndex, out var o, out var a) || o is not T t)
            return null;
        rights = (CapRights)(a & 0xf);
        return t;
    }

    private MsgTag SysUnmap(MsgTag tag, Utcb input, Utcb output)
    {
        var words = tag.Words;
        var mask = (UnmapFlags)(uint)input.Mrs[1];
        for (var i = 2; i < words; i++)
        {
            var fp = new Fpage(input.Mrs[i]);
            MapOperations.Unmap(this, fp, mask);
            output.Mrs[i] = input.Mrs[i] & ~0xfUL; // no accessed/dirty tracking in this model: flags 0
        }
        return MsgTag.Result(0, words);
    }

    private MsgTag SysCapInfo(L4Thread ct, MsgTag tag, Utcb input)
    {
        switch (tag.Words)
        {
            case 2:
            {
                var sel = new CapSel(input.Mrs[1]);
                if (sel.IsSpecial)
                    return MsgTag.Result(0);
                return MsgTag.Result(Caps is not null && Caps.TryLookup(sel.Index, out _, out _) ? 1 : 0);
            }
            case 3:
            {
                var a = new CapSel(input.Mrs[1]);
                var b = new CapSel(input.Mrs[2]);
                if (a == b)
                    return MsgTag.Result(1);
                if (a.IsSpecial || b.IsSpecial)
                    return MsgTag.Result((a.Raw & ~0x3ffUL) == (b.Raw & ~0x3ffUL) && a.IsSpecial && b.IsSpecial ? 1 : 0);
                // Fiasco compares the capabilities: same object and same W/S rights.
                if (Caps is null || !Caps.TryLookup(a.Index, out var oa, out var ra))
                    return MsgTag.Result(Caps is null || !Caps.TryLookup(b.Index, out _, out _) ? 1 : 0); // two empty slots are equal
                return MsgTag.Result(Caps.TryLookup(b.Index, out var ob, out var rb) && ReferenceEquals(oa, ob) && (ra & 3) == (rb & 3) ? 1 : 0);
            }
            default:
                return MsgTag.FromError(L4Error.Inval);
        }
    }

    private MsgTag SysAddKuMem(MsgTag tag, Utcb input, Utcb output)
    {
        uint words = 0;
        for (var i = 1; i < tag.Words; i++)
        {
            var fp = new Fpage(input.Mrs[i]);
            if (!fp.IsValid || !fp.IsMemory)
                return MsgTag.FromError(L4Error.Inval);
            KernelUserMemory.Add(fp);
            output.Mrs[words++] = fp.Raw;
        }
        return MsgTag.Result(0, words);
    }

    private protected override void OnDestroy()
    {
        // Fiasco Task::destroy: threads lose their task, then everything is unmapped with the full mask.
        foreach (var t in BoundThreads.ToArray())
            t.KillAndUnbind("task deleted");
        BoundThreads.Clear();
        MapOperations.Unmap(this, Fpage.All.WithRights(0xf), UnmapFlags.DeleteObj);
        Memory.ResetTable();
        IoPorts?.ResetTable();
        Caps?.ReleaseChunks();
    }
}

/// <summary>
/// A VM (Fiasco's <c>Vm</c>; on MIPS <c>Vz_vm</c>, a special task): a guest-physical address space.
/// The VMM fills it by mapping memory flexpages from its own task (the second translation stage);
/// a vCPU resumed on it translates guest-physical addresses with <see cref="MemSpace.TryTranslate"/>.
/// It has no capability or I/O space: object and I/O flexpages mapped to it are ignored.
/// </summary>
public sealed class Vm : L4Task
{
    internal Vm(Microkernel kernel, Factory quota)
        : base(kernel, quota, ObjectSizes.Vm, TaskKind.Vm)
    {
    }

    /// <inheritdoc />
    public override ProtocolLabel Protocol => ProtocolLabel.Vm;

    /// <inheritdoc />
    public override string KindName => "Vm";
}
