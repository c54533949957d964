using L4Re.Uvmm.Vmm;
using L4Re.Vio.Virtio;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// A <c>virtio,mmio</c> device-tree slot backed by an L4Re.Vio device (uvmm: <c>Virtio::Mmio_connector</c> in
/// <c>server/src/virtio_dev.h</c>, and the <c>virtio_proxy</c> / <c>virtio_console</c> vdevs): guest loads and stores
/// in the node's <c>reg</c> window go to the device's <see cref="VirtioMmioTransport"/>; the transport's level
/// interrupt drives the node's <c>interrupts</c> line into the virtual GIC.
/// </summary>
public sealed class VirtioMmioSlot : IMmioDevice, IInterruptLine
{
    private readonly IrqSink _irq;

    /// <summary>Attaches <paramref name="device"/> to a new transport whose interrupt is <paramref name="irq"/>.</summary>
    /// <param name="device">The virtio device (not yet attached to a transport).</param>
    /// <param name="irq">The node's interrupt line.</param>
    /// <param name="name">Name for diagnostics.</param>
    /// <exception cref="InvalidOperationException">The device already has a transport.</exception>
    public VirtioMmioSlot(VirtioDevice device, IrqSink irq, string name)
    {
        ArgumentNullException.ThrowIfNull(irq);
        _irq = irq;
        DeviceName = name;
        Transport = new VirtioMmioTransport(device, this);
    }

    /// <inheritdoc />
    public string DeviceName { get; }

    /// <summary>The virtio-mmio register window.</summary>
    public VirtioMmioTransport Transport { get; }

    /// <summary>The device behind the window.</summary>
    public VirtioDevice Device => Transport.Device;

    /// <summary>The interrupt line (asserted while the transport's InterruptStatus is non-zero).</summary>
    public IrqSink Irq => _irq;

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu) =>
        offset > int.MaxValue ? 0 : Transport.Read((long)offset, (int)width);

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (offset <= int.MaxValue)
            Transport.Write((long)offset, (int)width, value);
    }

    void IInterruptLine.Raise() => _irq.Inject();

    void IInterruptLine.Lower() => _irq.Ack();
}
