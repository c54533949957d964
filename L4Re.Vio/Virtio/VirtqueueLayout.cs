namespace L4Re.Vio.Virtio;

/// <summary>
/// Sizes and alignments of the three areas of a split virtqueue (virtio 1.x §2.7, table "Virtqueue Part
/// Alignment Size"): descriptor table 16·n bytes aligned 16; driver (available) ring 6 + 2·n aligned 2;
/// device (used) ring 6 + 8·n aligned 4. The trailing <c>used_event</c> / <c>avail_event</c> fields are
/// included (they exist whether or not EVENT_IDX is negotiated).
/// </summary>
public static class VirtqueueLayout
{
    /// <summary>The largest queue size of a split virtqueue.</summary>
    public const int MaxSize = 32768;

    /// <summary>Alignment of the descriptor table.</summary>
    public const int DescriptorAlignment = 16;

    /// <summary>Alignment of the driver area.</summary>
    public const int DriverAlignment = 2;

    /// <summary>Alignment of the device area.</summary>
    public const int DeviceAlignment = 4;

    /// <summary>Bytes of the descriptor table for <paramref name="size"/> entries.</summary>
    public static int DescriptorTableSize(int size) => 16 * size;

    /// <summary>Bytes of the driver area (flags, idx, ring[size], used_event).</summary>
    public static int DriverAreaSize(int size) => 6 + 2 * size;

    /// <summary>Bytes of the device area (flags, idx, ring[size] of {id, len}, avail_event).</summary>
    public static int DeviceAreaSize(int size) => 6 + 8 * size;

    /// <summary>Whether <paramref name="size"/> is a valid split-queue size: a power of two in 1..32768 (l4virtio requires the power of two).</summary>
    public static bool IsValidSize(int size) => size > 0 && size <= MaxSize && (size & (size - 1)) == 0;

    /// <summary>
    /// vring_need_event (virtio 1.x §2.7.10 and Linux include/uapi/linux/virtio_ring.h): whether moving an
    /// index from <paramref name="oldIdx"/> to <paramref name="newIdx"/> passes <paramref name="eventIdx"/>,
    /// in 16-bit wrap-around arithmetic.
    /// </summary>
    public static bool NeedEvent(ushort eventIdx, ushort newIdx, ushort oldIdx) =>
        (ushort)(newIdx - eventIdx - 1) < (ushort)(newIdx - oldIdx);
}
