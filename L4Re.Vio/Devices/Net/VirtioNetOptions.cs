namespace L4Re.Vio.Devices.Net;

/// <summary>Options of a <see cref="VirtioNetDevice"/>.</summary>
public sealed record VirtioNetOptions
{
    /// <summary>The MAC address to offer (VIRTIO_NET_F_MAC); null lets the driver choose.</summary>
    public MacAddress? Mac { get; init; }

    /// <summary>The maximum queue size (a power of two; l4vio_switch's default 256).</summary>
    public int QueueSize { get; init; } = 256;

    /// <summary>Offer VIRTIO_NET_F_STATUS (a link status in the configuration).</summary>
    public bool Status { get; init; } = true;

    /// <summary>Offer VIRTIO_F_EVENT_IDX (l4vio_switch does not; our devices implement it).</summary>
    public bool EventIdx { get; init; } = true;

    /// <summary>Offer VIRTIO_NET_F_MRG_RXBUF (l4vio_switch does).</summary>
    public bool MergeableRxBuffers { get; init; } = true;
}
