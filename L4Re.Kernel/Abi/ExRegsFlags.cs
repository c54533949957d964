namespace L4Re.Kernel.Abi;

/// <summary>Flags in mr0 of <c>ex_regs</c> (<c>L4_THREAD_EX_REGS_*</c>).</summary>
/// <remarks>Source: l4re-core l4sys/include/thread.h; fiasco src/kern/thread_object.cpp.</remarks>
[Flags]
public enum ExRegsFlags : ulong
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>Cancel an ongoing IPC of the thread (<c>L4_THREAD_EX_REGS_CANCEL</c>).</summary>
    Cancel = 0x10000,
    /// <summary>Raise an artificial exception in the thread (<c>L4_THREAD_EX_REGS_TRIGGER_EXCEPTION</c>).</summary>
    TriggerException = 0x20000,
    /// <summary>Architecture-specific flags (<c>L4_THREAD_EX_REGS_ARCH_MASK</c>).</summary>
    ArchMask = 0xff000000,
}
