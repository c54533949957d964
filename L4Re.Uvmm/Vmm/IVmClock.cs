namespace L4Re.Uvmm.Vmm;

/// <summary>
/// The VM's virtual time as devices see it (timers, UART character times). The VMM supplies the system's
/// virtual clock, which advances with executed guest instructions and while vCPUs sleep in WAIT; it must never
/// go backwards.
/// </summary>
public interface IVmClock
{
    /// <summary>Virtual nanoseconds since the VM started.</summary>
    ulong NowNanoseconds { get; }
}

/// <summary>A clock advanced by hand (tests, tools, single-stepping).</summary>
public sealed class ManualClock : IVmClock
{
    /// <inheritdoc />
    public ulong NowNanoseconds { get; private set; }

    /// <summary>Advances the clock.</summary>
    /// <param name="nanoseconds">How far.</param>
    public void Advance(ulong nanoseconds) => NowNanoseconds += nanoseconds;

    /// <summary>Sets the clock to a later time.</summary>
    /// <param name="nanoseconds">The new time (not earlier than the current one).</param>
    /// <exception cref="ArgumentOutOfRangeException">The time would go backwards.</exception>
    public void Set(ulong nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nanoseconds, NowNanoseconds);
        NowNanoseconds = nanoseconds;
    }
}

/// <summary>Conversions between virtual nanoseconds and counter ticks.</summary>
public static class VmTime
{
    /// <summary>Ticks of a counter running at <paramref name="hz"/> after <paramref name="nanoseconds"/> (rounded down).</summary>
    /// <param name="nanoseconds">Elapsed time.</param>
    /// <param name="hz">Counter frequency.</param>
    public static ulong Ticks(ulong nanoseconds, ulong hz) => (ulong)((UInt128)nanoseconds * hz / 1_000_000_000);

    /// <summary>The first time (in ns) at which a counter at <paramref name="hz"/> reaches <paramref name="ticks"/>.</summary>
    /// <param name="ticks">Counter value.</param>
    /// <param name="hz">Counter frequency (non-zero).</param>
    public static ulong Nanoseconds(ulong ticks, ulong hz)
    {
        var ns = ((UInt128)ticks * 1_000_000_000 + hz - 1) / hz;
        return ns > ulong.MaxValue ? ulong.MaxValue : (ulong)ns;
    }
}
