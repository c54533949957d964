namespace L4Re.Kernel;

/// <summary>
/// Configuration of one modelled kernel. All values are deterministic inputs: the same options and
/// the same program inputs give the same trace.
/// </summary>
public sealed record KernelOptions
{
    /// <summary>RAM quota of the root factory in bytes (the kernel memory all objects are charged against).</summary>
    public long RootQuota { get; init; } = 64L << 20;

    /// <summary>Default time slice of a thread in virtual nanoseconds (Fiasco's <c>Config::default_time_slice</c>, 10 ms).</summary>
    public long DefaultQuantumNs { get; init; } = 10_000_000;

    /// <summary>Default priority of a new thread (Fiasco's <c>Config::Default_prio</c>, 1).</summary>
    public byte DefaultPriority { get; init; } = 1;

    /// <summary>Virtual time one kernel entry (system call) costs the invoking thread, in nanoseconds.</summary>
    public long SyscallCostNs { get; init; } = 100;

    /// <summary>Number of address bits of task and VM address spaces; mappings at or above 2^bits are skipped, as Fiasco skips addresses above <c>map_max_address</c>.</summary>
    public int AddressSpaceBits { get; init; } = 48;

    /// <summary>Number of capability slots of a task's object space; maps to higher indices are skipped.</summary>
    public ulong MaxCapIndex { get; init; } = 1UL << 20;

    /// <summary>Number of pins of the kernel's interrupt controller (boot capability <c>L4_BASE_ICU_CAP</c>).</summary>
    public int IcuPins { get; init; } = 128;

    /// <summary>Seed of the deterministic random source offered to native programs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Record a trace of kernel events (dispatches, IPC, faults, mappings) in <see cref="Microkernel.Trace"/>.</summary>
    public bool Trace { get; init; }

    /// <summary>Deepest nesting of direct switches run on the host stack before falling back to the ready queue.</summary>
    public int MaxInlineDepth { get; init; } = 48;
}
