namespace L4Re.Uvmm.Vmm;

/// <summary>What the run loop does after an exit was handled.</summary>
public enum ExitKind
{
    /// <summary>Resume the vCPU.</summary>
    Resume,
    /// <summary>The vCPU executed WAIT: keep it stopped until <see cref="ExitAction.WakeAtNanoseconds"/> in virtual time or until an interrupt for it arrives (core IC <see cref="Devices.VcpuInterruptController.Changed"/>), then resume.</summary>
    Sleep,
    /// <summary>Stop the VM: see <see cref="ShutdownController.Pending"/> for the reason.</summary>
    Stop,
}

/// <summary>The result of <see cref="GuestExitHandler.Handle"/>.</summary>
/// <param name="Kind">Resume, sleep or stop.</param>
/// <param name="WakeAtNanoseconds">For <see cref="ExitKind.Sleep"/>: the virtual time of the next timer event, or <see cref="ulong.MaxValue"/> when only an interrupt can wake the vCPU.</param>
public readonly record struct ExitAction(ExitKind Kind, ulong WakeAtNanoseconds = 0)
{
    /// <summary>Resume at once.</summary>
    public static ExitAction Resume => new(ExitKind.Resume);

    /// <summary>Stop the VM.</summary>
    public static ExitAction Stop => new(ExitKind.Stop);
}
