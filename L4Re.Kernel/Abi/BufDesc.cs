namespace L4Re.Kernel.Abi;

/// <summary>
/// The buffer descriptor register (BDR, Fiasco's <c>L4_buf_desc</c>): the index of the first memory,
/// I/O and object receive buffer among the buffer registers, and the inherit-FPU flag.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/consts.h (<c>L4_BDR_*</c>); fiasco src/abi/l4_buf_desc.cpp.</remarks>
public readonly record struct BufDesc(ulong Raw)
{
    /// <summary><c>L4_BDR_MEM_SHIFT</c>.</summary>
    public const int MemShift = 0;
    /// <summary><c>L4_BDR_IO_SHIFT</c>.</summary>
    public const int IoShift = 5;
    /// <summary><c>L4_BDR_OBJ_SHIFT</c>.</summary>
    public const int ObjShift = 10;
    /// <summary><c>L4_UTCB_INHERIT_FPU</c>: the receiver accepts FPU state.</summary>
    public const ulong InheritFpu = 1UL << 24;

    /// <summary>Builds a descriptor from the three start indices.</summary>
    public BufDesc(int mem, int io, int obj, bool inheritFpu = false)
        : this(((ulong)(mem & 0x1f) << MemShift) | ((ulong)(io & 0x1f) << IoShift) | ((ulong)(obj & 0x1f) << ObjShift) | (inheritFpu ? InheritFpu : 0))
    {
    }

    /// <summary>First buffer register of memory receive buffers.</summary>
    public int Mem => (int)((Raw >> MemShift) & 0x1f);

    /// <summary>First buffer register of I/O receive buffers.</summary>
    public int Io => (int)((Raw >> IoShift) & 0x1f);

    /// <summary>First buffer register of object receive buffers.</summary>
    public int Obj => (int)((Raw >> ObjShift) & 0x1f);

    /// <summary>True when the receiver inherits FPU state.</summary>
    public bool InheritsFpu => (Raw & InheritFpu) != 0;
}
