using L4Re.Kernel;
using L4Re.Regulatory.Dfs;

namespace L4Re.Platform.BaikalT.Time;

/// <summary>
/// The adapter from the kernel's virtual clock to the regulatory code's clock (<see cref="IRegulatoryClock"/>):
/// time since boot, in 100 ns ticks, never decreasing. The DFS state machine of the trusted component runs on it,
/// so CAC and non-occupancy periods pass in virtual time, deterministically.
/// </summary>
/// <param name="kernel">The kernel.</param>
public sealed class KernelRegulatoryClock(Microkernel kernel) : IRegulatoryClock
{
    private readonly Microkernel _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));

    /// <inheritdoc />
    public TimeSpan Now => TimeSpan.FromTicks(_kernel.Now / 100);

    /// <summary>Converts a regulatory time back to kernel nanoseconds.</summary>
    public static long ToKernelNs(TimeSpan time) => time.Ticks * 100;
}
