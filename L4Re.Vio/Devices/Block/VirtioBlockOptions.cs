namespace L4Re.Vio.Devices.Block;

/// <summary>Options of a <see cref="VirtioBlockDevice"/>.</summary>
public sealed record VirtioBlockOptions
{
    /// <summary>Expose the disk read-only (VIRTIO_BLK_F_RO) even if the backend is writable.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The ID string GET_ID returns (at most 20 ASCII bytes).</summary>
    public string Id { get; init; } = "l4re-vio-blk";

    /// <summary>The maximum queue size (a power of two).</summary>
    public int QueueSize { get; init; } = 128;

    /// <summary>Offer VIRTIO_F_EVENT_IDX.</summary>
    public bool EventIdx { get; init; } = true;
}
