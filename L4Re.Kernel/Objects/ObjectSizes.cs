namespace L4Re.Kernel.Objects;

/// <summary>
/// The kernel memory each object kind costs its factory's quota, in bytes. The values follow the
/// sizes of Fiasco's objects on a 32-bit MIPS kernel closely enough to make quota behaviour realistic:
/// a thread is its 4 KiB kernel stack and TCB, a task its page directory, small objects a slab entry.
/// </summary>
public static class ObjectSizes
{
    /// <summary>A task (page directory and object space root).</summary>
    public const long Task = 4096;
    /// <summary>A thread (kernel stack + TCB, Fiasco's <c>Thread::Size</c>).</summary>
    public const long Thread = 4096;
    /// <summary>A factory object (without the quota it hands on).</summary>
    public const long Factory = 64;
    /// <summary>An IPC gate.</summary>
    public const long IpcGate = 64;
    /// <summary>An IRQ sender.</summary>
    public const long Irq = 96;
    /// <summary>A semaphore.</summary>
    public const long Semaphore = 96;
    /// <summary>A VM (guest-physical address space).</summary>
    public const long Vm = 8192;
    /// <summary>A DMA space.</summary>
    public const long DmaSpace = 4096;
    /// <summary>A vCPU context.</summary>
    public const long VcpuContext = 1024;
    /// <summary>One page-table page (covers 1,024 pages).</summary>
    public const long PageTablePage = Memory.PageTable.ChunkBytes;
    /// <summary>One capability-table page (512 slots).</summary>
    public const long CapTablePage = Caps.CapSpace.ChunkBytes;
    /// <summary>One mapping-database node.</summary>
    public const long MappingNode = Memory.MappingDatabase.NodeBytes;
}
