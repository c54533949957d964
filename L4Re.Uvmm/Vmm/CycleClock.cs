using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// A VM's virtual time taken from its boot vCPU: every retired guest instruction is one CPU cycle, and idle time
/// the VMM adds for WAIT (<see cref="Vcpu.AdvanceIdle"/>) counts too, so time never goes backwards and a run is
/// deterministic. At the default 320 MHz one instruction is 3.125 ns; CP0 Count runs at half that rate.
/// </summary>
public sealed class CycleClock : IVmClock
{
    private Vcpu? _source;

    /// <summary>Creates a clock for a CPU of <paramref name="cpuHz"/>.</summary>
    /// <param name="cpuHz">Cycles per second (non-zero).</param>
    public CycleClock(ulong cpuHz)
    {
        ArgumentOutOfRangeException.ThrowIfZero(cpuHz);
        CpuHz = cpuHz;
    }

    /// <summary>The CPU frequency.</summary>
    public ulong CpuHz { get; }

    /// <summary>The vCPU whose cycles are the time base (set once the vCPU exists; before that the time is 0).</summary>
    public Vcpu? Source
    {
        get => _source;
        set => _source = value;
    }

    /// <summary>The cycle count now.</summary>
    public ulong Cycles => _source?.Cycles ?? 0;

    /// <inheritdoc />
    public ulong NowNanoseconds => (ulong)((UInt128)Cycles * 1_000_000_000 / CpuHz);

    /// <summary>Cycles from now until virtual time <paramref name="nanoseconds"/> (rounded up; 0 when it has passed).</summary>
    /// <param name="nanoseconds">A virtual time.</param>
    public ulong CyclesUntil(ulong nanoseconds)
    {
        var at = ((UInt128)nanoseconds * CpuHz + 999_999_999) / 1_000_000_000;
        var now = Cycles;
        return at > now ? (ulong)UInt128.Min(at, ulong.MaxValue) - now : 0;
    }
}
