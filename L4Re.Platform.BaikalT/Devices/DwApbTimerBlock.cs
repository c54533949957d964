using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Devices;

/// <summary>The Baikal-T1's three DW APB timers in one register window (0x1f049000, 0x14 bytes apart; interrupts 24–26).</summary>
public sealed class DwApbTimerBlock : IMmioDevice
{
    /// <summary>Number of timers.</summary>
    public const int Count = 3;

    /// <summary>Creates the block.</summary>
    /// <param name="now">Virtual time in ns.</param>
    /// <param name="clockHz">Counter clock.</param>
    public DwApbTimerBlock(Func<long> now, uint clockHz = DwApbTimer.DefaultClockHz)
    {
        Timers = [.. Enumerable.Range(0, Count).Select(i => new DwApbTimer($"timer{i}", now, clockHz))];
    }

    /// <inheritdoc />
    public string DeviceName => "timers";

    /// <summary>The timers.</summary>
    public IReadOnlyList<DwApbTimer> Timers { get; }

    /// <summary>The earliest expiry of an enabled timer.</summary>
    public long? NextDeadlineNs => Timers.Select(t => t.NextDeadlineNs).Where(d => d is not null).Min();

    /// <summary>Runs all timers up to now.</summary>
    public void Poll()
    {
        foreach (var t in Timers)
            t.Poll();
    }

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        var i = offset / DwApbTimer.WindowSize;
        return i < Count ? Timers[(int)i].Read(offset % DwApbTimer.WindowSize, width, vcpu) : 0;
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        var i = offset / DwApbTimer.WindowSize;
        if (i < Count)
            Timers[(int)i].Write(offset % DwApbTimer.WindowSize, width, value, vcpu);
    }
}
