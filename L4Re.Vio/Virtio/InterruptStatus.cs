namespace L4Re.Vio.Virtio;

/// <summary>The bits of the MMIO <c>InterruptStatus</c> register (virtio 1.x §4.2.2).</summary>
[Flags]
public enum InterruptStatus : uint
{
    /// <summary>No interrupt pending.</summary>
    None = 0,
    /// <summary>Used buffer notification: the device used a buffer in at least one active virtqueue (l4virtio: L4VIRTIO_IRQ_STATUS_VRING).</summary>
    UsedBuffer = 1,
    /// <summary>Configuration change notification: config space changed or DEVICE_NEEDS_RESET was set (L4VIRTIO_IRQ_STATUS_CONFIG).</summary>
    ConfigChange = 2,
}
