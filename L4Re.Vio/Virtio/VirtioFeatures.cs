namespace L4Re.Vio.Virtio;

/// <summary>
/// Device-independent feature bits (virtio 1.x §6 "Reserved Feature Bits"), as 64-bit masks.
/// Device-specific bits live with their device (<c>NetFeatures</c>, <c>BlockFeatures</c>, <c>ConsoleFeatures</c>).
/// </summary>
public static class VirtioFeatures
{
    /// <summary>VIRTIO_F_INDIRECT_DESC (bit 28): the driver may use indirect descriptor tables.</summary>
    public const ulong IndirectDesc = 1UL << 28;

    /// <summary>VIRTIO_F_EVENT_IDX (bit 29): used_event / avail_event notification suppression.</summary>
    public const ulong EventIdx = 1UL << 29;

    /// <summary>VIRTIO_F_VERSION_1 (bit 32): compliance with virtio 1.x; mandatory on the MMIO version 2 transport.</summary>
    public const ulong Version1 = 1UL << 32;

    /// <summary>VIRTIO_F_ACCESS_PLATFORM (bit 33): the device is behind an IOMMU (not offered).</summary>
    public const ulong AccessPlatform = 1UL << 33;

    /// <summary>VIRTIO_F_RING_PACKED (bit 34): packed virtqueues (not offered: split rings only).</summary>
    public const ulong RingPacked = 1UL << 34;

    /// <summary>VIRTIO_F_RING_RESET (bit 40): per-queue reset (not offered).</summary>
    public const ulong RingReset = 1UL << 40;

    /// <summary>Whether <paramref name="features"/> contains every bit of <paramref name="mask"/>.</summary>
    public static bool Has(ulong features, ulong mask) => (features & mask) == mask;
}
