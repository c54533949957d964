using L4Re.Kernel;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Time;

/// <summary>The kernel's virtual clock as uvmm's devices see it (<see cref="IVmClock"/>): nanoseconds since <see cref="OriginNs"/>.</summary>
/// <param name="kernel">The kernel.</param>
/// <param name="originNs">The kernel time that is zero for this clock (a VM's start).</param>
public sealed class KernelVmClock(Microkernel kernel, long originNs = 0) : IVmClock
{
    private readonly Microkernel _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));

    /// <summary>The kernel time that is zero for this clock.</summary>
    public long OriginNs { get; } = originNs;

    /// <inheritdoc />
    public ulong NowNanoseconds => (ulong)Math.Max(0, _kernel.Now - OriginNs);
}
