using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Vcpu;

/// <summary>
/// Runs a vCPU in guest (user) mode. The kernel calls it from <c>vcpu_resume</c> (Thread op 4) when the
/// vCPU state has <see cref="VcpuStateFlags.UserMode"/> set; the VMM package implements it (for this SDK
/// the MIPS VZ engine of L4Re.Uvmm) — the kernel itself knows no instruction set.
/// </summary>
public interface IVcpuExecutor
{
    /// <summary>
    /// Executes guest code until it exits to the VMM, an interrupt becomes pending
    /// (<see cref="VcpuResumeContext.InterruptPending"/>), or about <see cref="VcpuResumeContext.BudgetNs"/>
    /// of virtual time is used. Guest-physical accesses translate through
    /// <see cref="VcpuResumeContext.Space"/>'s <see cref="Memory.MemSpace.TryTranslate"/>; a missing
    /// mapping is an exit. The exit details go into the executor's own state (<see cref="VcpuState.ArchState"/>).
    /// </summary>
    VcpuRunResult Run(VcpuResumeContext context);
}

/// <summary>What one <see cref="IVcpuExecutor.Run"/> call gets.</summary>
/// <param name="Thread">The vCPU thread.</param>
/// <param name="State">The vCPU state.</param>
/// <param name="Space">The user task or VM the guest runs in.</param>
/// <param name="BudgetNs">The virtual time the guest may use before the kernel needs the CPU back (timer, time slice).</param>
public readonly record struct VcpuResumeContext(L4Thread Thread, VcpuState State, L4Task Space, long BudgetNs)
{
    /// <summary>The kernel.</summary>
    public Microkernel Kernel => Thread.Kernel;

    /// <summary>True when an IRQ waits for the vCPU thread and upcalls are enabled.</summary>
    public bool InterruptPending => State.InterruptPending;
}

/// <summary>Why a guest run ended.</summary>
public enum VcpuRunStatus
{
    /// <summary>The guest exited to the VMM (details in the executor's state).</summary>
    Exit,
    /// <summary>The budget is used up; the kernel resumes the guest after handling time.</summary>
    BudgetExhausted,
    /// <summary>The executor noticed a pending interrupt.</summary>
    Interrupt,
}

/// <summary>The outcome of one guest run.</summary>
/// <param name="Status">Why it ended.</param>
/// <param name="ConsumedNs">Virtual time the guest used (added to the kernel clock and the thread's CPU time).</param>
public readonly record struct VcpuRunResult(VcpuRunStatus Status, long ConsumedNs);

/// <summary>The label of a successful <c>vcpu_resume</c> result in this model.</summary>
public enum VcpuResumeOutcome
{
    /// <summary>The guest exited; the executor's state describes why.</summary>
    GuestExit = 0,
    /// <summary>An IPC (e.g. an IRQ) was received; see <see cref="VcpuState.IpcTag"/> and <see cref="VcpuState.IpcLabel"/>.</summary>
    IpcUpcall = 1,
    /// <summary>The vCPU was resumed in kernel mode (no user mode): nothing ran.</summary>
    KernelMode = 2,
}
