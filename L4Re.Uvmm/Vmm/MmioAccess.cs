namespace L4Re.Uvmm.Vmm;

/// <summary>What a faulting instruction does to guest memory (uvmm <c>Mem_access::Kind</c>).</summary>
public enum MmioAccessKind : byte
{
    /// <summary>Not a memory access the VMM emulates (uvmm <c>Other</c>): LL/SC, FPU loads/stores, anything else.</summary>
    Unsupported,
    /// <summary>A load into a GPR.</summary>
    Load,
    /// <summary>A store from a GPR.</summary>
    Store,
    /// <summary>A CACHE operation on an address without RAM: uvmm ignores it and skips the instruction.</summary>
    CacheOp,
}

/// <summary>The unaligned word forms, which touch only some byte lanes of the aligned word and merge into the register.</summary>
public enum MmioMerge : byte
{
    /// <summary>An ordinary load or store.</summary>
    None,
    /// <summary>LWL / SWL: the most significant bytes of the register.</summary>
    Left,
    /// <summary>LWR / SWR: the least significant bytes of the register.</summary>
    Right,
}

/// <summary>
/// A decoded guest load or store (uvmm: <c>Vcpu_ptr::decode_mmio</c> → <c>Mem_access</c>): direction, width,
/// extension and the GPR it reads or writes.
/// </summary>
/// <param name="Kind">Load, store, cache operation or unsupported.</param>
/// <param name="Width">Access width (for LWL/LWR/SWL/SWR the width of the whole word).</param>
/// <param name="SignExtend">True for LB and LH.</param>
/// <param name="Register">The <c>rt</c> GPR number.</param>
/// <param name="Merge">Unaligned word form, or <see cref="MmioMerge.None"/>.</param>
public readonly record struct MmioAccess(MmioAccessKind Kind, MmioWidth Width, bool SignExtend, int Register, MmioMerge Merge)
{
    /// <summary>The result for instructions that are not emulated memory accesses.</summary>
    public static MmioAccess Unsupported => default;

    /// <summary>True for loads and stores.</summary>
    public bool IsMemoryAccess => Kind is MmioAccessKind.Load or MmioAccessKind.Store;
}
