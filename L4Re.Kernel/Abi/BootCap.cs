namespace L4Re.Kernel.Abi;

/// <summary>
/// Capability indices a root task finds in its capability space at boot (<c>L4_BASE_*_CAP</c>).
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/consts.h (<c>l4_default_caps_t</c>).</remarks>
public enum BootCap : uint
{
    /// <summary>The task's own Task capability (<c>L4_BASE_TASK_CAP</c>).</summary>
    Task = 1,
    /// <summary>The root factory (<c>L4_BASE_FACTORY_CAP</c>).</summary>
    Factory = 2,
    /// <summary>The task's first thread (<c>L4_BASE_THREAD_CAP</c>).</summary>
    Thread = 3,
    /// <summary>The pager (sigma0 for the root task, <c>L4_BASE_PAGER_CAP</c>).</summary>
    Pager = 4,
    /// <summary>The kernel log (Vlog, <c>L4_BASE_LOG_CAP</c>).</summary>
    Log = 5,
    /// <summary>The interrupt controller (Icu, <c>L4_BASE_ICU_CAP</c>).</summary>
    Icu = 6,
    /// <summary>The scheduler (<c>L4_BASE_SCHEDULER_CAP</c>).</summary>
    Scheduler = 7,
    /// <summary>The IOMMU (<c>L4_BASE_IOMMU_CAP</c>).</summary>
    Iommu = 8,
    /// <summary>The kernel debugger (<c>L4_BASE_DEBUGGER_CAP</c>); not provided by this model.</summary>
    Debugger = 10,
}
