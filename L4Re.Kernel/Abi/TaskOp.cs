namespace L4Re.Kernel.Abi;

/// <summary>Opcodes of the Task protocol (<c>L4_TASK_*_OP</c>, mr0 of a <see cref="ProtocolLabel.Task"/> message).</summary>
/// <remarks>Source: l4re-core l4sys/include/task.h; fiasco src/kern/task.cpp.</remarks>
public enum TaskOp : ulong
{
    /// <summary>Map a flexpage from a source task (mr1 = send base control, mr2 = fpage, item = source task).</summary>
    Map = 0,
    /// <summary>Unmap flexpages (mr1 = map mask, mr2... = fpages).</summary>
    Unmap = 1,
    /// <summary>Capability information: validity (2 words) or equality (3 words).</summary>
    CapInfo = 2,
    /// <summary>Add kernel-user memory.</summary>
    AddKuMem = 3,
}
