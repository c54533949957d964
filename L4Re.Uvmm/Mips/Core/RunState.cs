namespace L4Re.Uvmm.Mips;

/// <summary>Result of a privileged-instruction helper, telling the run loop how to continue.</summary>
internal enum StepResult : byte
{
    /// <summary>Done; continue with the next instruction.</summary>
    Next,
    /// <summary>Done; interrupt or translation state may have changed: re-evaluate before continuing.</summary>
    NextResync,
    /// <summary>The instruction raised an exception (see the core's pending fault).</summary>
    Fault,
    /// <summary>Done and the PC was replaced (ERET): continue at the new PC after re-evaluating.</summary>
    Jump,
}
