namespace L4Re.Uvmm.Vmm;

/// <summary>How the VMM completed a GPA exit (uvmm <c>handle_mmio</c> → Retry / Jump_instr / error).</summary>
public enum MmioResult : byte
{
    /// <summary>The access was emulated; registers and PC are updated, the guest continues.</summary>
    Done,
    /// <summary>A CACHE operation on an unmapped address was skipped (uvmm ignores it).</summary>
    Skipped,
    /// <summary>No device covers the address: uvmm halts the VM ("Bad page fault").</summary>
    Unmapped,
    /// <summary>The faulting instruction is not an emulated load/store (LL/SC, FPU, garbage): the VM is halted.</summary>
    Unsupported,
}
