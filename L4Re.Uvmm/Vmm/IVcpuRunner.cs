using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// How <see cref="MipsVm"/> resumes its vCPU and lets it idle. Without a runner the VM calls the engine directly
/// (<see cref="Vcpu.Run"/>, <see cref="Vcpu.AdvanceIdle"/>); a VMM on a microkernel plugs in a runner that resumes
/// through the kernel (Fiasco's <c>vcpu_resume</c>) and sleeps in an IPC wait, so that other threads run meanwhile.
/// </summary>
public interface IVcpuRunner
{
    /// <summary>Runs the guest until an exit, at most <paramref name="maxInstructions"/> instructions, or an event for the VMM.</summary>
    /// <param name="vcpu">The vCPU.</param>
    /// <param name="maxInstructions">The instruction budget (at least 1).</param>
    /// <returns>
    /// The exit; an event for the VMM (an IRQ upcall, a stop) returns an exit with reason <see cref="VcpuExitReason.Stopped"/>,
    /// after which the VM updates the guest's interrupts and resumes.
    /// </returns>
    VcpuExit Resume(Vcpu vcpu, long maxInstructions);

    /// <summary>
    /// A vCPU in WAIT: lets <paramref name="cycles"/> cycles of virtual time pass (the vCPU's clock must have advanced by
    /// them when this returns true), or fewer when an event for the VM arrives first.
    /// </summary>
    /// <param name="vcpu">The vCPU.</param>
    /// <param name="cycles">Cycles to wait; <see cref="ulong.MaxValue"/>: no deadline, only an event can end the wait.</param>
    /// <returns>False when nothing can ever end the wait (the VM halts).</returns>
    bool Idle(Vcpu vcpu, ulong cycles);
}
