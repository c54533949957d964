using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// The per-vCPU core interrupt controllers of a VM (uvmm: <c>Gic::Mips_core_ic</c>). The device tree's
/// <c>mti,cpu-interrupt-controller</c> node stands for the controller of CPU 0 (as in uvmm); the GIC routes to
/// any CPU's controller.
/// </summary>
public sealed class CoreInterruptControllers
{
    private readonly VcpuInterruptController[] _ics;

    /// <summary>Creates controllers for <paramref name="cpuCount"/> vCPUs.</summary>
    /// <param name="cpuCount">1 to <see cref="MipsCpu.MaxCpus"/>.</param>
    public CoreInterruptControllers(int cpuCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpuCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cpuCount, MipsCpu.MaxCpus);
        _ics = new VcpuInterruptController[cpuCount];
        for (var i = 0; i < cpuCount; i++)
            _ics[i] = new VcpuInterruptController(i);
    }

    /// <summary>The number of vCPUs.</summary>
    public int Count => _ics.Length;

    /// <summary>The controller of vCPU <paramref name="vcpu"/>, or null when there is no such vCPU.</summary>
    /// <param name="vcpu">The vCPU id.</param>
    public VcpuInterruptController? this[int vcpu] => vcpu >= 0 && vcpu < _ics.Length ? _ics[vcpu] : null;

    /// <summary>True when vCPU <paramref name="vcpu"/> has a pending hardware line (uvmm <c>has_pending</c>).</summary>
    /// <param name="vcpu">The vCPU id.</param>
    public bool HasPending(int vcpu) => this[vcpu] is { PendingLines: not 0 };
}
