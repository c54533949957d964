using L4Re.Uvmm.DeviceTree;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Creates a device model for a device tree node (uvmm: <c>Vdev::Factory</c>). A factory registers its
/// MMIO regions and interrupt lines through the <see cref="IDeviceLookup"/> it is given.
/// </summary>
public interface IDeviceFactory
{
    /// <summary>Creates the device for <paramref name="node"/>.</summary>
    /// <param name="devices">The VM being built: its bus, RAM, other devices and interrupt controllers.</param>
    /// <param name="node">The node.</param>
    /// <returns>The device, or null when it cannot be created (the VMM then disables the node).</returns>
    /// <exception cref="DeviceTreeException">The node is malformed (the VMM logs it and disables the node).</exception>
    IVmDevice? Create(IDeviceLookup devices, DtNode node);
}

/// <summary>An <see cref="IDeviceFactory"/> from a delegate.</summary>
/// <param name="create">The creation function.</param>
public sealed class DelegateDeviceFactory(Func<IDeviceLookup, DtNode, IVmDevice?> create) : IDeviceFactory
{
    /// <inheritdoc />
    public IVmDevice? Create(IDeviceLookup devices, DtNode node) => create(devices, node);
}
