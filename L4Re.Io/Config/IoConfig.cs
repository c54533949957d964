using L4Re.Io.Hw;
using L4Re.Io.Vbus;

namespace L4Re.Io.Config;

/// <summary>
/// An io configuration: hardware devices and virtual buses, as parsed from text
/// (<see cref="IoConfigParser"/>) or built in C# (<see cref="IoConfigBuilder"/>). Like io's
/// configuration files, one configuration may hold only devices, only vbuses, or both; it is
/// validated as a whole when <see cref="IoServer.Load"/> applies it.
/// </summary>
/// <param name="Devices">Hardware devices in declaration order.</param>
/// <param name="Vbuses">Virtual buses in declaration order.</param>
public sealed record IoConfig(IReadOnlyList<HwDevice> Devices, IReadOnlyList<VbusSpec> Vbuses)
{
    /// <summary>A configuration that declares nothing.</summary>
    public static IoConfig Empty { get; } = new([], []);
}
