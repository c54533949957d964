namespace L4Re.Vio.Devices.Net;

/// <summary>The outcome of handing a frame to a port (l4vio_switch's <c>Port_iface::Result</c>).</summary>
public enum DeliveryResult
{
    /// <summary>The frame was delivered.</summary>
    Delivered,
    /// <summary>The destination raised a device error (its driver gets DEVICE_NEEDS_RESET).</summary>
    Exception,
    /// <summary>The frame was dropped: no receive buffer, too small a buffer, queue not ready, back-pressure.</summary>
    Dropped,
}
