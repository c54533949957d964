using L4Re.Uvmm.Vmm;
using L4Re.Vio.Virtio;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>A virtio-mmio transport of L4Re.Vio on uvmm's MMIO bus.</summary>
/// <param name="name">Device name.</param>
/// <param name="transport">The transport.</param>
public sealed class VirtioMmioDevice(string name, VirtioMmioTransport transport) : IMmioDevice
{
    /// <inheritdoc />
    public string DeviceName { get; } = name;

    /// <summary>The transport.</summary>
    public VirtioMmioTransport Transport { get; } = transport ?? throw new ArgumentNullException(nameof(transport));

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu) => offset > int.MaxValue ? 0 : Transport.Read((long)offset, width.Bytes());

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (offset <= int.MaxValue)
            Transport.Write((long)offset, width.Bytes(), value);
    }
}

/// <summary>A virtio interrupt line into uvmm's interrupt controller (a level on an <see cref="IrqSink"/>).</summary>
/// <param name="sink">The sink.</param>
public sealed class SinkLine(IrqSink sink) : IInterruptLine
{
    /// <inheritdoc />
    public void Raise() => sink.Inject();

    /// <inheritdoc />
    public void Lower() => sink.Ack();
}
