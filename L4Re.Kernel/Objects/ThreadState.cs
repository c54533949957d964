namespace L4Re.Kernel.Objects;

/// <summary>The run state of a thread.</summary>
public enum ThreadRunState
{
    /// <summary>Created but never started (Fiasco's initial <c>Thread_dead</c> until <c>ex_regs</c>).</summary>
    Inactive,
    /// <summary>Ready to run (in the ready queue, or completed and about to continue).</summary>
    Ready,
    /// <summary>Running (the current thread, or on the host stack during a direct switch).</summary>
    Running,
    /// <summary>Blocked in an IPC, waiting for a gate to be bound, or in a semaphore down.</summary>
    Blocked,
    /// <summary>Stopped: killed (no pager, task deleted, object deleted) or its program ended.</summary>
    Dead,
}

/// <summary>What a blocked thread waits for.</summary>
internal enum WaitKind : byte
{
    None,
    Send,
    Receive,
    Gate,
    Semaphore,
}
