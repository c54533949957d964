namespace L4Re.Kernel.Abi;

/// <summary>
/// Capability indices a root task finds in its capability space at boot (<c>L4_BASE_*_CAP</c>).
/// </summary>
public enum BootCap : uint
{
    /// <summary>The task's own Task capability.</summary>
    Task = 1,
    /// <summary>The root factory.</summary>
    Factory = 2,
    /// <summary>The task's first thread.</summary>
    Thread = 3,
    /// <summary>The pager (sigma0 for the root task).</summary>
    Pager = 4,
    /// <summary>The kernel log (Vlog).</summary>
    Log = 5,
    /// <summary>The interrupt controller (Icu).</summary>
    Icu = 6,
    /// <summary>The scheduler.</summary>
    Scheduler = 7,
    /// <summary>The IOMMU.</summary>
    Iommu = 8,
}
