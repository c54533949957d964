namespace L4Re.Vio.Switch;

/// <summary>Options of a <see cref="VirtualSwitch"/> (l4vio_switch's command line).</summary>
public sealed record SwitchOptions
{
    /// <summary><c>-p</c>: the maximum number of ports (monitor not counted; default 256).</summary>
    public int MaxPorts { get; init; } = 256;

    /// <summary><c>-s</c>: the maximum virtqueue size of virtio ports (a power of two, 1..32768; default 256).</summary>
    public int QueueSize { get; init; } = 256;

    /// <summary>Assign a random MAC to ports created without <c>mac=</c> (l4vio default; <c>-M</c> turns it off).</summary>
    public bool AssignMac { get; init; } = true;

    /// <summary>The seed of the random MAC addresses (deterministic; l4vio seeds from the KIP clock).</summary>
    public int MacSeed { get; init; } = 0x4c34;

    /// <summary>Process a port's transmit queue inside its notification (default); otherwise call <see cref="VirtualSwitch.RunPending"/>.</summary>
    public bool ProcessOnNotify { get; init; } = true;

    /// <summary>Offer VIRTIO_F_EVENT_IDX on virtio ports (an extension; l4vio_switch offers INDIRECT_DESC, MRG_RXBUF, VERSION_1, MAC).</summary>
    public bool EventIdx { get; init; } = true;

    /// <summary>Offer VIRTIO_NET_F_STATUS on virtio ports (an extension, see <see cref="EventIdx"/>).</summary>
    public bool LinkStatus { get; init; } = true;
}
