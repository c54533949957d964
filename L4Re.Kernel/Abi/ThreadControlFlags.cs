namespace L4Re.Kernel.Abi;

/// <summary>Flags in mr0 of a thread control operation (<c>L4_THREAD_CONTROL_*</c>).</summary>
/// <remarks>Source: l4re-core l4sys/include/thread.h. mr1 = pager selector, mr2 = exception handler, mr4 = alien value, mr5 = UTCB address, items = task.</remarks>
[Flags]
public enum ThreadControlFlags : ulong
{
    /// <summary>No change.</summary>
    None = 0,
    /// <summary>Set the pager (<c>L4_THREAD_CONTROL_SET_PAGER</c>).</summary>
    SetPager = 0x0010000,
    /// <summary>Bind the thread to a task (<c>L4_THREAD_CONTROL_BIND_TASK</c>).</summary>
    BindTask = 0x0200000,
    /// <summary>Alien thread (<c>L4_THREAD_CONTROL_ALIEN</c>).</summary>
    Alien = 0x0400000,
    /// <summary>Set the exception handler (<c>L4_THREAD_CONTROL_SET_EXC_HANDLER</c>).</summary>
    SetExcHandler = 0x1000000,
}
