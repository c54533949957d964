namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the Scheduler protocol (<c>L4_SCHEDULER_*_OP</c>).</summary>
/// <remarks>Source: l4re-core l4sys/include/scheduler.h; fiasco src/kern/scheduler.cpp.</remarks>
public enum SchedulerOp : ulong
{
    /// <summary>CPU map, maximum CPUs, scheduling classes.</summary>
    Info = 0,
    /// <summary>Run a thread with scheduling parameters (mr1–2 = CPU set, mr3 = priority, mr4 = quantum, item = thread).</summary>
    RunThread = 1,
    /// <summary>Idle time of a CPU.</summary>
    IdleTime = 2,
}
