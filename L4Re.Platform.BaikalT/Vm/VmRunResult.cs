namespace L4Re.Platform.BaikalT.Vm;

/// <summary>Why a VM run ended.</summary>
public enum VmStop
{
    /// <summary>The guest powered off.</summary>
    PowerOff,
    /// <summary>The guest asked for a reboot.</summary>
    Reboot,
    /// <summary>The VMM halted the VM (an exit it does not handle, e.g. an access to an unmapped address).</summary>
    Halt,
    /// <summary>The instruction limit was reached.</summary>
    InstructionLimit,
    /// <summary>The guest waits for an interrupt nothing can raise.</summary>
    Idle,
    /// <summary>The virtual-time limit was reached.</summary>
    TimeLimit,
    /// <summary>The kernel refused to resume the vCPU.</summary>
    Error,
}

/// <summary>The outcome of <see cref="OpenWrtVmm.Run"/>.</summary>
/// <param name="Stop">Why it ended.</param>
/// <param name="Reason">The VMM's text.</param>
/// <param name="Code">The power-off code (HYPCALL power-off $a0, syscon value).</param>
/// <param name="Instructions">Guest instructions executed.</param>
/// <param name="VirtualNs">The VM's virtual time at the end.</param>
public readonly record struct VmRunResult(VmStop Stop, string Reason, uint Code, long Instructions, long VirtualNs);
