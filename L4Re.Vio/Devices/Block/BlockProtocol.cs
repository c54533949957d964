namespace L4Re.Vio.Devices.Block;

/// <summary>virtio-blk feature bits (virtio 1.x §5.2.3; l4virtio <c>Block_features</c>).</summary>
public static class BlockFeatures
{
    /// <summary>VIRTIO_BLK_F_SIZE_MAX (1): <c>size_max</c> limits one segment.</summary>
    public const ulong SizeMax = 1UL << 1;
    /// <summary>VIRTIO_BLK_F_SEG_MAX (2): <c>seg_max</c> limits the segments of a request.</summary>
    public const ulong SegMax = 1UL << 2;
    /// <summary>VIRTIO_BLK_F_GEOMETRY (4).</summary>
    public const ulong Geometry = 1UL << 4;
    /// <summary>VIRTIO_BLK_F_RO (5): the device is read-only.</summary>
    public const ulong ReadOnly = 1UL << 5;
    /// <summary>VIRTIO_BLK_F_BLK_SIZE (6): <c>blk_size</c> is valid.</summary>
    public const ulong BlockSize = 1UL << 6;
    /// <summary>VIRTIO_BLK_F_FLUSH (9): the flush command exists.</summary>
    public const ulong Flush = 1UL << 9;
    /// <summary>VIRTIO_BLK_F_TOPOLOGY (10).</summary>
    public const ulong Topology = 1UL << 10;
    /// <summary>VIRTIO_BLK_F_CONFIG_WCE (11).</summary>
    public const ulong ConfigWce = 1UL << 11;
    /// <summary>VIRTIO_BLK_F_MQ (12).</summary>
    public const ulong MultiQueue = 1UL << 12;
    /// <summary>VIRTIO_BLK_F_DISCARD (13).</summary>
    public const ulong Discard = 1UL << 13;
    /// <summary>VIRTIO_BLK_F_WRITE_ZEROES (14).</summary>
    public const ulong WriteZeroes = 1UL << 14;
}

/// <summary>virtio-blk request types (<c>virtio_blk_req.type</c>, virtio 1.x §5.2.6).</summary>
public enum BlockRequestType : uint
{
    /// <summary>VIRTIO_BLK_T_IN: read.</summary>
    In = 0,
    /// <summary>VIRTIO_BLK_T_OUT: write.</summary>
    Out = 1,
    /// <summary>VIRTIO_BLK_T_FLUSH.</summary>
    Flush = 4,
    /// <summary>VIRTIO_BLK_T_GET_ID: the 20-byte device ID string.</summary>
    GetId = 8,
    /// <summary>VIRTIO_BLK_T_GET_LIFETIME (not supported).</summary>
    GetLifetime = 10,
    /// <summary>VIRTIO_BLK_T_DISCARD (not supported).</summary>
    Discard = 11,
    /// <summary>VIRTIO_BLK_T_WRITE_ZEROES (not supported).</summary>
    WriteZeroes = 13,
    /// <summary>VIRTIO_BLK_T_SECURE_ERASE (not supported).</summary>
    SecureErase = 14,
}

/// <summary>virtio-blk request status byte.</summary>
public enum BlockStatus : byte
{
    /// <summary>VIRTIO_BLK_S_OK.</summary>
    Ok = 0,
    /// <summary>VIRTIO_BLK_S_IOERR.</summary>
    IoError = 1,
    /// <summary>VIRTIO_BLK_S_UNSUPP.</summary>
    Unsupported = 2,
}
