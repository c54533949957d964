using L4Re.Vio.Devices.Net;

namespace L4Re.Vio.Switch;

/// <summary>
/// A switch port whose client is a virtio-net driver (l4vio_switch's <c>L4virtio_port</c>): the port owns the
/// <see cref="VirtioNetDevice"/> a VMM attaches to a <c>virtio,mmio</c> transport (or a native program drives).
/// Frames move between guest memories in one copy, without allocation.
/// </summary>
public sealed class VirtioNetPort : SwitchPort, INetBackend
{
    internal VirtioNetPort(string name, VirtioNetDevice device)
        : base(name, device.Mac)
    {
        Device = device;
        device.Backend = this;
    }

    /// <summary>The virtio-net device of this port.</summary>
    public VirtioNetDevice Device { get; }

    void INetBackend.OnTransmitNotify(VirtioNetDevice device)
    {
        if (IsMonitor)
            device.DropTransmits();
        else
            Switch?.Notify(this);
    }

    void INetBackend.OnReceiveNotify(VirtioNetDevice device)
    {
        // New receive buffers: l4vio_switch does not queue frames for later, so there is nothing to resume.
    }

    internal override DeliveryResult Deliver(SwitchPort source, ref FrameReader frame, NetHeader header) =>
        Device.Receive(ref frame, header);

    internal override bool TryTakeRequest(out NetTransmit request) => Device.TryTakeTransmit(out request);

    internal override void CompleteRequest(in NetTransmit request) => Device.CompleteTransmit(request);

    internal override void DisableNotifications() => Device.DisableDriverNotifications();

    internal override bool EnableNotifications() => Device.EnableDriverNotifications();

    internal override void BeginDeliveries() => Device.BeginInterruptBatch();

    internal override void EndDeliveries() => Device.EndInterruptBatch();

    internal override void DropTransmits() => Device.DropTransmits();

    internal override void OnRemoved() => Device.Backend = null;
}
