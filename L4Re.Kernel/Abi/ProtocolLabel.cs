namespace L4Re.Kernel.Abi;

/// <summary>
/// Protocol labels of the L4Re kernel interface (<c>L4_PROTO_*</c>). The label in a message tag
/// selects which protocol an invocation speaks; the factory also reads it from mr0 as the kind of
/// object to create.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/types.h (<c>L4_msgtag_protocol</c>).</remarks>
public enum ProtocolLabel : short
{
    /// <summary>No protocol (<c>L4_PROTO_NONE</c>).</summary>
    None = 0,
    /// <summary>Reply label allowing an alien thread its system call (<c>L4_PROTO_ALLOW_SYSCALL</c>).</summary>
    AllowSyscall = 1,
    /// <summary>IRQ message (<c>L4_PROTO_IRQ</c>).</summary>
    Irq = -1,
    /// <summary>Page fault message sent to a pager (<c>L4_PROTO_PAGE_FAULT</c>).</summary>
    PageFault = -2,
    /// <summary>Exception message sent to an exception handler (<c>L4_PROTO_EXCEPTION</c>).</summary>
    Exception = -5,
    /// <summary>Sigma0 protocol (<c>L4_PROTO_SIGMA0</c>).</summary>
    Sigma0 = -6,
    /// <summary>I/O page fault (<c>L4_PROTO_IO_PAGE_FAULT</c>).</summary>
    IoPageFault = -8,
    /// <summary>Thread group protocol (<c>L4_PROTO_THREAD_GROUP</c>).</summary>
    ThreadGroup = -9,
    /// <summary>Generic kernel-object protocol (<c>L4_PROTO_KOBJECT</c>).</summary>
    KObject = -10,
    /// <summary>Task protocol (<c>L4_PROTO_TASK</c>).</summary>
    Task = -11,
    /// <summary>Thread protocol (<c>L4_PROTO_THREAD</c>).</summary>
    Thread = -12,
    /// <summary>Vlog (kernel log) protocol (<c>L4_PROTO_LOG</c>).</summary>
    Log = -13,
    /// <summary>Scheduler protocol (<c>L4_PROTO_SCHEDULER</c>).</summary>
    Scheduler = -14,
    /// <summary>Factory protocol (<c>L4_PROTO_FACTORY</c>).</summary>
    Factory = -15,
    /// <summary>Virtual machine protocol (<c>L4_PROTO_VM</c>).</summary>
    Vm = -16,
    /// <summary>DMA space protocol (<c>L4_PROTO_DMA_SPACE</c>).</summary>
    DmaSpace = -17,
    /// <summary>IRQ sender protocol (<c>L4_PROTO_IRQ_SENDER</c>).</summary>
    IrqSender = -18,
    /// <summary>Semaphore protocol (<c>L4_PROTO_SEMAPHORE</c>).</summary>
    Semaphore = -20,
    /// <summary>Meta information protocol (<c>L4_PROTO_META</c>).</summary>
    Meta = -21,
    /// <summary>IOMMU protocol (<c>L4_PROTO_IOMMU</c>).</summary>
    Iommu = -22,
    /// <summary>Debugger protocol (<c>L4_PROTO_DEBUGGER</c>).</summary>
    Debugger = -23,
    /// <summary>ARM SMCCC protocol (<c>L4_PROTO_SMCCC</c>).</summary>
    Smccc = -24,
    /// <summary>vCPU context protocol (<c>L4_PROTO_VCPU_CONTEXT</c>).</summary>
    VcpuContext = -25,
}
