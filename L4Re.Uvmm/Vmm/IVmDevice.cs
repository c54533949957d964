namespace L4Re.Uvmm.Vmm;

/// <summary>
/// A device of a virtual machine, created from a device tree node by an <see cref="IDeviceFactory"/>
/// (uvmm: <c>Vdev::Device</c>). Devices may additionally implement <see cref="IMmioDevice"/>,
/// <see cref="IInterruptController"/> or other roles.
/// </summary>
public interface IVmDevice
{
    /// <summary>A short name for diagnostics (uvmm <c>dev_name()</c>).</summary>
    string DeviceName { get; }
}
