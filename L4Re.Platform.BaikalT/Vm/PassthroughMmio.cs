using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// A pass-through MMIO window on the VMM's bus: accesses go to the hardware device model behind the frames the VM maps at
/// that guest-physical address — and only if it maps them (the mapping came from the VM's vbus). Once the vbus is revoked
/// the device is gone for the VM: reads return all ones, as a bus read of an absent device does, and writes are dropped;
/// both are counted in <see cref="Unmapped"/>.
/// </summary>
/// <param name="name">The node or device name.</param>
/// <param name="stage">The VM's second stage.</param>
/// <param name="guestBase">Guest-physical base of the window.</param>
public sealed class PassthroughMmio(string name, VmSecondStage stage, ulong guestBase) : IMmioDevice
{
    /// <inheritdoc />
    public string DeviceName { get; } = name;

    /// <summary>Accesses that found no mapping (the window was revoked).</summary>
    public long Unmapped { get; private set; }

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        if (stage.DeviceAt(guestBase + offset, write: false) is { } d)
            return d.Device.Read(d.Offset, width, vcpu);
        Unmapped++;
        return width switch { MmioWidth.Byte => 0xff, MmioWidth.HalfWord => 0xffff, MmioWidth.Word => 0xffff_ffff, _ => ulong.MaxValue };
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (stage.DeviceAt(guestBase + offset, write: true) is { } d)
            d.Device.Write(d.Offset, width, value, vcpu);
        else
            Unmapped++;
    }
}
