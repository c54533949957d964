namespace L4Re.Vio.Devices.Net;

/// <summary>virtio-net feature bits (virtio 1.x §5.1.3; l4virtio <c>L4virtio_net_feature_bits</c>).</summary>
public static class NetFeatures
{
    /// <summary>VIRTIO_NET_F_CSUM (0): the device handles partial checksums (not offered).</summary>
    public const ulong Csum = 1UL << 0;
    /// <summary>VIRTIO_NET_F_GUEST_CSUM (1): the driver handles partial checksums (not offered).</summary>
    public const ulong GuestCsum = 1UL << 1;
    /// <summary>VIRTIO_NET_F_MTU (3).</summary>
    public const ulong Mtu = 1UL << 3;
    /// <summary>VIRTIO_NET_F_MAC (5): the device has a MAC address in its configuration.</summary>
    public const ulong Mac = 1UL << 5;
    /// <summary>VIRTIO_NET_F_MRG_RXBUF (15): a received packet may span several receive buffers.</summary>
    public const ulong MrgRxbuf = 1UL << 15;
    /// <summary>VIRTIO_NET_F_STATUS (16): the configuration has a link status.</summary>
    public const ulong Status = 1UL << 16;
    /// <summary>VIRTIO_NET_F_CTRL_VQ (17): a control queue (not offered).</summary>
    public const ulong CtrlVq = 1UL << 17;
    /// <summary>VIRTIO_NET_F_MQ (22): multiqueue (not offered).</summary>
    public const ulong MultiQueue = 1UL << 22;

    /// <summary>VIRTIO_NET_S_LINK_UP: link status bit of the <c>status</c> field.</summary>
    public const ushort LinkUp = 1;
}
