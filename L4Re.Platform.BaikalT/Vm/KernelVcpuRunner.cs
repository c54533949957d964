using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;
using L4Re.Kernel.Vcpu;
using L4Re.Uvmm.Vmm;
using L4Re.Uvmm.Vz;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// Runs uvmm's vCPU (<see cref="MipsVm"/>) through the kernel, as uvmm on Fiasco does: a resume is the VMM thread's
/// <c>vcpu_resume</c> (the kernel runs the guest through <see cref="VzVcpuExecutor"/> in slices of its scheduling budget,
/// preempting it for other threads); an IPC that arrives meanwhile (a pass-through IRQ, the wake-up IRQ) comes back as an
/// upcall and is handed to the VMM's IPC callback. WAIT is an open IPC wait with a timeout, during which the other threads run.
/// </summary>
/// <param name="thread">The VMM's host-driven thread (its vCPU state enabled, its executor set).</param>
/// <param name="executor">The executor the kernel runs the vCPU with.</param>
/// <param name="onIpc">Called with the label of each IPC that arrived (an upcall or the end of a wait).</param>
public sealed class KernelVcpuRunner(L4Thread thread, VzVcpuExecutor executor, Action<ulong> onIpc) : IVcpuRunner
{
    private readonly L4Thread _thread = thread ?? throw new ArgumentNullException(nameof(thread));
    private readonly Action<ulong> _onIpc = onIpc ?? throw new ArgumentNullException(nameof(onIpc));

    /// <summary>The executor.</summary>
    public VzVcpuExecutor Executor { get; } = executor ?? throw new ArgumentNullException(nameof(executor));

    /// <summary>The kernel's error when <c>vcpu_resume</c> failed, or null.</summary>
    public L4Error? ResumeError { get; private set; }

    /// <summary>Whether the last wait found nothing in the system that could end it.</summary>
    public bool Stuck { get; private set; }

    /// <inheritdoc />
    public VcpuExit Resume(Vcpu vcpu, long maxInstructions)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        Executor.RunLimit = Executor.RunCycles + Math.Max(1, maxInstructions);
        var tag = _thread.VcpuResume();
        if (tag.Label < 0)
        {
            ResumeError = tag.ResultError; // the VMM's stop check ends the run
            return Interrupted(vcpu);
        }
        Executor.SyncTime();
        if (tag.Label == (long)VcpuResumeOutcome.GuestExit)
            return Executor.LastExit;
        if (tag.Label == (long)VcpuResumeOutcome.IpcUpcall && _thread.Vcpu is { } state)
            _onIpc(state.IpcLabel);
        return Interrupted(vcpu);
    }

    /// <inheritdoc />
    public bool Idle(Vcpu vcpu, ulong cycles)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        var timeout = L4Timeout.Never;
        if (cycles != ulong.MaxValue)
        {
            var ns = (ulong)UInt128.Min((UInt128)cycles * 1_000_000_000 / Executor.ClockHz, ulong.MaxValue - 999);
            timeout = L4Timeout.FromMicroseconds((ns + 999) / 1000);
        }
        var r = _thread.Wait(new TimeoutPair(L4Timeout.Never, timeout));
        if (r.IsBlocked)
        {
            _thread.Cancel();
            Stuck = true;
            return false;
        }
        if (!r.HasError)
            _onIpc(r.Label);
        Executor.SyncTime();
        return true;
    }

    private static VcpuExit Interrupted(Vcpu vcpu) => new(VcpuExitReason.Stopped, default, default, vcpu.Pc, 0, 0, 0, false, 0);
}
