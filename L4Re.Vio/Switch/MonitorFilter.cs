namespace L4Re.Vio.Switch;

/// <summary>
/// The monitor port's packet filter (l4vio_switch's <c>filter()</c>, server/switch/filter.h): sees the first
/// contiguous bytes of a frame and returns true to keep the frame <em>away</em> from the monitor port.
/// </summary>
public delegate bool MonitorFilter(ReadOnlySpan<byte> frame);
