namespace L4Re.Uvmm.Vmm;

/// <summary>
/// A <see cref="TimeProvider"/> over a VM's (or a <see cref="VmGroup"/>'s) virtual time, so that timestamps taken
/// while guests run — e.g. a pcap capture of their traffic — are reproducible: UTC now is the Unix epoch plus the
/// virtual nanoseconds. Timers are not supported (virtual time only advances while the VMs run).
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    private readonly Func<ulong> _nanoseconds;

    /// <summary>Creates the provider.</summary>
    /// <param name="nanoseconds">Returns the current virtual time in nanoseconds.</param>
    public VirtualTimeProvider(Func<ulong> nanoseconds)
    {
        ArgumentNullException.ThrowIfNull(nanoseconds);
        _nanoseconds = nanoseconds;
    }

    /// <summary>A provider over <paramref name="clock"/>.</summary>
    /// <param name="clock">A VM clock.</param>
    public VirtualTimeProvider(IVmClock clock)
        : this(() => clock.NowNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(clock);
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks((long)(_nanoseconds() / 100));

    /// <inheritdoc />
    public override long TimestampFrequency => 1_000_000_000;

    /// <inheritdoc />
    public override long GetTimestamp() => (long)_nanoseconds();

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
