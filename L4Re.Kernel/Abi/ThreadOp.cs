namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the Thread protocol (<c>L4_THREAD_*_OP</c>, low 16 bits of mr0).</summary>
/// <remarks>Source: l4re-core l4sys/include/thread.h; fiasco src/kern/thread_object.cpp.</remarks>
public enum ThreadOp : ulong
{
    /// <summary>Set pager, exception handler, bind to a task (<c>L4_THREAD_CONTROL_OP</c>).</summary>
    Control = 0,
    /// <summary>Exchange instruction and stack pointer, cancel IPC (<c>L4_THREAD_EX_REGS_OP</c>).</summary>
    ExRegs = 1,
    /// <summary>Switch to the thread (<c>L4_THREAD_SWITCH_OP</c>).</summary>
    Switch = 2,
    /// <summary>Consumed CPU time (<c>L4_THREAD_STATS_OP</c>).</summary>
    Stats = 3,
    /// <summary>Resume the vCPU (<c>L4_THREAD_VCPU_RESUME_OP</c>).</summary>
    VcpuResume = 4,
    /// <summary>Register an IPC-gate deletion IRQ (<c>L4_THREAD_REGISTER_DELETE_IRQ_OP</c>).</summary>
    RegisterDeleteIrq = 5,
    /// <summary>Modify the labels of queued senders (<c>L4_THREAD_MODIFY_SENDER_OP</c>).</summary>
    ModifySenders = 6,
    /// <summary>Enable the vCPU feature (<c>L4_THREAD_VCPU_CONTROL_OP</c>).</summary>
    VcpuControl = 7,
    /// <summary>Register a doorbell IRQ (<c>L4_THREAD_REGISTER_DOORBELL_IRQ_OP</c>).</summary>
    RegisterDoorbellIrq = 8,
    /// <summary>Page-fault trampoline control (<c>L4_THREAD_PF_TRAMP_CONTROL_OP</c>).</summary>
    PfTrampControl = 9,
}
