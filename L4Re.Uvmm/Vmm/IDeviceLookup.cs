using L4Re.Uvmm.DeviceTree;
using Microsoft.Extensions.Logging;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// What a device factory may use while the VM is built (uvmm: <c>Vdev::Device_lookup</c>): the tree, the
/// MMIO bus, guest RAM, the devices created so far and interrupt controllers of nodes.
/// </summary>
public interface IDeviceLookup
{
    /// <summary>The VM's device tree.</summary>
    DtTree Tree { get; }

    /// <summary>The MMIO bus devices register their regions on.</summary>
    MmioBus Mmio { get; }

    /// <summary>Guest RAM.</summary>
    GuestRam Ram { get; }

    /// <summary>Logger factory for device models.</summary>
    ILoggerFactory LoggerFactory { get; }

    /// <summary>The device created for <paramref name="node"/>, or null.</summary>
    /// <param name="node">A node of <see cref="Tree"/>.</param>
    IVmDevice? DeviceFromNode(DtNode node);

    /// <summary>
    /// The interrupt controller device of <paramref name="node"/>'s interrupt parent, creating it first when
    /// needed (uvmm <c>get_or_create_ic</c>).
    /// </summary>
    /// <param name="node">The node whose interrupt parent is wanted.</param>
    /// <param name="controller">The controller on success.</param>
    /// <returns><see cref="InterruptControllerStatus.Ok"/> or the reason for failing.</returns>
    InterruptControllerStatus TryGetInterruptController(DtNode node, out IInterruptController? controller);

    /// <summary>
    /// Connects interrupt <paramref name="index"/> of <paramref name="node"/> (its <c>interrupts</c> entry) to
    /// an <see cref="IrqSink"/>.
    /// </summary>
    /// <param name="node">The device node.</param>
    /// <param name="index">Which interrupt specifier (0 for the first).</param>
    /// <returns>The connected line.</returns>
    /// <exception cref="DeviceTreeException">The node has no such interrupt, or its controller is not a virtual device.</exception>
    IrqSink ConnectInterrupt(DtNode node, int index = 0);

    /// <summary>Registers <paramref name="device"/> for every <c>reg</c> entry of <paramref name="node"/> (translated to guest-physical addresses).</summary>
    /// <param name="device">The device.</param>
    /// <param name="node">Its node.</param>
    /// <exception cref="DeviceTreeException">The node has no <c>reg</c> or it cannot be translated.</exception>
    void RegisterMmioDevice(IMmioDevice device, DtNode node);
}

/// <summary>Why no interrupt controller could be found for a node (uvmm <c>Device_lookup::Ic_error</c>).</summary>
public enum InterruptControllerStatus
{
    /// <summary>Found.</summary>
    Ok,
    /// <summary>The node has no interrupt parent.</summary>
    NoInterruptParent,
    /// <summary>The interrupt parent is disabled.</summary>
    Disabled,
    /// <summary>The interrupt parent is not a virtual interrupt controller.</summary>
    NotVirtual,
    /// <summary>Creating the interrupt parent failed.</summary>
    Failed,
}
