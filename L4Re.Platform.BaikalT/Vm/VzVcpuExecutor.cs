using L4Re.Kernel;
using L4Re.Kernel.Vcpu;
using L4Re.Uvmm.Vz;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// Plugs the SDK's MIPS VZ engine (<see cref="Vcpu"/>) into the kernel's <c>vcpu_resume</c>
/// (<see cref="IVcpuExecutor"/>): each resume runs the guest for at most the kernel's budget (converted to
/// instructions at the core clock: one retired instruction per cycle), charges the cycles used to the kernel's
/// virtual clock and keeps the vCPU's root Count in step with kernel time (time the VMM thread slept or other
/// threads ran is added to the vCPU as idle cycles). The exit is left in <see cref="LastExit"/>.
/// </summary>
public sealed class VzVcpuExecutor : IVcpuExecutor
{
    private readonly Microkernel _kernel;

    /// <summary>Creates the executor.</summary>
    /// <param name="kernel">The kernel whose clock the vCPU follows.</param>
    /// <param name="vcpu">The vCPU.</param>
    /// <param name="clockHz">The core clock (cycles per second).</param>
    public VzVcpuExecutor(Microkernel kernel, Vcpu vcpu, ulong clockHz)
    {
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        Vcpu = vcpu ?? throw new ArgumentNullException(nameof(vcpu));
        ArgumentOutOfRangeException.ThrowIfZero(clockHz);
        ClockHz = clockHz;
        OriginNs = kernel.Now - (long)CyclesToNs(vcpu.Cycles);
    }

    /// <summary>The vCPU.</summary>
    public Vcpu Vcpu { get; }

    /// <summary>The core clock.</summary>
    public ulong ClockHz { get; }

    /// <summary>Kernel time at which the vCPU's cycle counter was zero.</summary>
    public long OriginNs { get; }

    /// <summary>The exit of the last resume that ended with <see cref="VcpuRunStatus.Exit"/>.</summary>
    public VcpuExit LastExit { get; private set; }

    /// <summary>Instructions the guest retired through this executor.</summary>
    public long Instructions { get; private set; }

    /// <summary>
    /// Cycles the guest ran through this executor: retired instructions and exceptions taken (a guest taking exception
    /// after exception retires nothing but uses cycles); not the idle time <see cref="SyncTime"/> adds.
    /// </summary>
    public long RunCycles { get; private set; }

    /// <summary>The executor stops running the guest once <see cref="RunCycles"/> reaches this value.</summary>
    public long RunLimit { get; set; } = long.MaxValue;

    /// <summary>Called when <see cref="RunLimit"/> is reached (the VMM triggers an IRQ to itself so that <c>vcpu_resume</c> returns).</summary>
    public Action? LimitReached { get; set; }

    /// <summary>Adds the kernel time that passed since the vCPU last ran as idle cycles (the guest's Count keeps running).</summary>
    public void SyncTime()
    {
        var target = NsToCycles((ulong)Math.Max(0, _kernel.Now - OriginNs));
        if (target > Vcpu.Cycles)
            Vcpu.AdvanceIdle(target - Vcpu.Cycles);
    }

    /// <inheritdoc />
    public VcpuRunResult Run(VcpuResumeContext context)
    {
        if (context.InterruptPending)
            return new VcpuRunResult(VcpuRunStatus.Interrupt, 0);
        SyncTime();
        if (RunCycles >= RunLimit)
        {
            LimitReached?.Invoke();
            return new VcpuRunResult(VcpuRunStatus.Interrupt, 0);
        }
        var budget = (long)Math.Max(1, NsToCycles((ulong)Math.Max(1, context.BudgetNs)));
        budget = Math.Min(budget, RunLimit - RunCycles);
        var start = Vcpu.Cycles;
        var exit = Vcpu.Run(budget);
        Instructions += exit.Instructions;
        RunCycles += (long)(Vcpu.Cycles - start);
        var consumed = (long)CyclesToNs(Vcpu.Cycles) - (context.Kernel.Now - OriginNs);
        consumed = Math.Max(0, consumed);
        if (exit.Reason == VcpuExitReason.Exception)
        {
            LastExit = exit;
            return new VcpuRunResult(VcpuRunStatus.Exit, consumed);
        }
        return new VcpuRunResult(VcpuRunStatus.BudgetExhausted, consumed);
    }

    private ulong CyclesToNs(ulong cycles) => (ulong)((UInt128)cycles * 1_000_000_000 / ClockHz);

    private ulong NsToCycles(ulong ns) => (ulong)((UInt128)ns * ClockHz / 1_000_000_000);
}
