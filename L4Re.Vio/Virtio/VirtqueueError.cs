namespace L4Re.Vio.Virtio;

/// <summary>
/// Why a device refused a virtqueue request. The first five mirror l4virtio's <c>Bad_descriptor</c>
/// errors (kernkonzept/l4virtio include/server/virtio); the rest are checks l4virtio leaves out and the
/// virtio 1.x spec makes driver requirements (§2.7). Any of them puts the device into DEVICE_NEEDS_RESET.
/// </summary>
public enum VirtqueueError
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>A buffer (or indirect table, or ring) is not inside registered driver memory.</summary>
    BadAddress,
    /// <summary>A device-writable buffer lies in read-only driver memory, or a buffer has the wrong direction for the request.</summary>
    BadRights,
    /// <summary>An invalid flag combination: INDIRECT without the feature, INDIRECT with NEXT, nested INDIRECT, readable after writable.</summary>
    BadFlags,
    /// <summary>A descriptor or head index beyond the table.</summary>
    BadNext,
    /// <summary>An invalid size: an indirect table that is empty or not a multiple of 16 bytes, a request too short or too long.</summary>
    BadSize,
    /// <summary>The chain is longer than its table: a descriptor loop (virtio 1.x §2.7.5.3.1).</summary>
    ChainTooLong,
    /// <summary>The available index moved by more than the queue size (virtio 1.x §2.7.6: the driver cannot have more than Queue Size buffers outstanding).</summary>
    IndexJump,
}
