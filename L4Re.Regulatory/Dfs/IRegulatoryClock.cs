namespace L4Re.Regulatory.Dfs;

/// <summary>
/// The system's virtual clock as the regulatory code sees it: monotonic time since boot. The DFS state
/// machine never reads wall-clock time; the kernel model's virtual clock implements this interface (through
/// an adapter in a higher package), tests use <see cref="ManualClock"/>.
/// </summary>
public interface IRegulatoryClock
{
    /// <summary>Time since boot; never decreases.</summary>
    TimeSpan Now { get; }
}

/// <summary>A clock that only moves when told to: for tests, the CLI and deterministic simulations.</summary>
public sealed class ManualClock : IRegulatoryClock
{
    private TimeSpan _now;

    /// <summary>Creates a clock at <paramref name="start"/> (default zero).</summary>
    public ManualClock(TimeSpan start = default) => _now = start;

    /// <inheritdoc />
    public TimeSpan Now => _now;

    /// <summary>Moves the clock forward by <paramref name="delta"/> (not negative).</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Virtual time does not go backwards.");
        _now += delta;
    }
}
