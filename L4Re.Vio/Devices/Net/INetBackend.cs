namespace L4Re.Vio.Devices.Net;

/// <summary>
/// What a <see cref="VirtioNetDevice"/> is plugged into (a switch port, or any host code): told when the
/// driver queued packets to send or added receive buffers. Called with the device's lock held.
/// </summary>
public interface INetBackend
{
    /// <summary>The driver notified the transmit queue.</summary>
    void OnTransmitNotify(VirtioNetDevice device);

    /// <summary>The driver notified the receive queue (new receive buffers).</summary>
    void OnReceiveNotify(VirtioNetDevice device);
}
