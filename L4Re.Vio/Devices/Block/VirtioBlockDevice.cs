using System.Text;
using Microsoft.Extensions.Logging;
using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Devices.Block;

/// <summary>
/// A virtio-blk device (virtio 1.x §5.2; cf. l4virtio's <c>Block_dev_base</c>) on an <see cref="IBlockBackend"/>:
/// one request queue; read, write, flush and get-id; read-only disks. Each request is a header
/// <c>{le32 type; le32 reserved; le64 sector}</c>, data, and a status byte in the last device-writable
/// byte. Requests are served synchronously when the driver notifies the queue.
/// </summary>
/// <remarks>
/// Error handling: a request the device cannot even answer (no status byte, header shorter than 16 bytes,
/// a bad descriptor) puts the device into DEVICE_NEEDS_RESET (l4virtio's <c>device_error</c>); a request it
/// can answer but not serve (out of range, not whole sectors, a write to a read-only disk, a backend I/O
/// error) completes with VIRTIO_BLK_S_IOERR; an unknown type completes with VIRTIO_BLK_S_UNSUPP.
/// </remarks>
public sealed class VirtioBlockDevice : VirtioDevice
{
    /// <summary>The sector size of the virtio-blk protocol.</summary>
    public const int SectorSize = 512;

    /// <summary>The size of the request header.</summary>
    public const int HeaderSize = 16;

    /// <summary>The length of the GET_ID string.</summary>
    public const int IdLength = 20;

    private const int ConfigLength = 60;
    private readonly IBlockBackend _backend;
    private readonly byte[] _id = new byte[IdLength];

    /// <summary>Creates a block device.</summary>
    /// <exception cref="ArgumentException">The ID is longer than 20 bytes or not ASCII.</exception>
    public VirtioBlockDevice(IBlockBackend backend, DriverMemoryList memory, VirtioBlockOptions? options = null, ILogger<VirtioBlockDevice>? logger = null)
        : base(VirtioDeviceId.Block, memory, 1, (options ?? new VirtioBlockOptions()).QueueSize, ConfigLength, logger)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options ??= new VirtioBlockOptions();
        _backend = backend;
        ReadOnly = options.ReadOnly || backend.IsReadOnly;
        var id = Encoding.ASCII.GetBytes(options.Id);
        if (id.Length > IdLength || options.Id.Any(c => c > 0x7f))
            throw new ArgumentException($"the block device ID must be at most {IdLength} ASCII characters", nameof(options));
        id.CopyTo(_id, 0);
        Capacity = backend.Length / SectorSize;
        DeviceFeatures |= VirtioFeatures.IndirectDesc | BlockFeatures.SegMax | BlockFeatures.BlockSize | BlockFeatures.Flush
            | (options.EventIdx ? VirtioFeatures.EventIdx : 0) | (ReadOnly ? BlockFeatures.ReadOnly : 0);
        // virtio_blk_config: capacity (le64, 512-byte sectors) @0, seg_max @12, blk_size @20.
        Le.U64(Config, 0, (ulong)Capacity);
        Le.U32(Config, 12, (uint)Math.Max(1, options.QueueSize - 2));
        Le.U32(Config, 20, SectorSize);
    }

    /// <summary>The capacity in 512-byte sectors.</summary>
    public long Capacity { get; }

    /// <summary>Whether the device is read-only.</summary>
    public bool ReadOnly { get; }

    /// <summary>Requests completed, by status.</summary>
    public long Completed { get; private set; }

    /// <summary>Requests completed with an error status.</summary>
    public long Failed { get; private set; }

    /// <inheritdoc />
    protected override void OnQueueNotify(Virtqueue queue) => ProcessAvailable(queue);

    /// <inheritdoc />
    protected override bool HandleChain(Virtqueue queue, DescriptorChain chain)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var error = chain.Validate(out var readable, out var writable);
        if (error != VirtqueueError.None)
        {
            DeviceError(queue, error);
            return false;
        }
        if (writable == 0 || readable < HeaderSize)
        {
            DeviceError($"queue {queue.Index}: block request without a {(writable == 0 ? "status byte" : "complete header")} ({VirtqueueError.BadSize})");
            return false;
        }
        var cursor = new ChainCursor(chain);
        Span<byte> header = stackalloc byte[HeaderSize];
        cursor.Read(header);
        cursor.Skip(readable - HeaderSize);
        var type = (BlockRequestType)Le.U32(header, 0);
        var sector = Le.U64(header, 8);
        long written = 0;
        var status = type switch
        {
            BlockRequestType.In => Read(ref cursor, sector, writable - 1, out written),
            BlockRequestType.Out => Write(chain, sector, readable - HeaderSize),
            BlockRequestType.Flush => _backend.TryFlush() ? BlockStatus.Ok : BlockStatus.IoError,
            BlockRequestType.GetId => GetId(ref cursor, writable - 1, out written),
            _ => BlockStatus.Unsupported,
        };
        // The status byte is the last device-writable byte of the chain.
        var tail = new ChainCursor(chain);
        tail.Skip(readable + writable - 1);
        tail.Write([(byte)status]);
        queue.Push(chain.Head, (uint)(written + 1));
        Completed++;
        if (status != BlockStatus.Ok)
            Failed++;
        return true;
    }

    private bool InRange(ulong sector, long length) =>
        length % SectorSize == 0 && sector <= (ulong)Capacity && (ulong)(length / SectorSize) <= (ulong)Capacity - sector;

    private BlockStatus Read(ref ChainCursor cursor, ulong sector, long length, out long written)
    {
        written = 0;
        if (!InRange(sector, length))
            return BlockStatus.IoError;
        var offset = (long)sector * SectorSize;
        while (written < length && cursor.TryNextSegment((int)Math.Min(int.MaxValue, length - written), out var seg))
        {
            var dst = seg.Writable;
            if (dst.Length != seg.Length || !_backend.TryRead(offset + written, dst))
                return BlockStatus.IoError;
            written += seg.Length;
        }
        return BlockStatus.Ok;
    }

    private BlockStatus Write(DescriptorChain chain, ulong sector, long length)
    {
        // virtio 1.x §5.2.6.2: a read-only device fails writes with IOERR and writes nothing.
        if (ReadOnly || !InRange(sector, length))
            return BlockStatus.IoError;
        var cursor = new ChainCursor(chain);
        cursor.Skip(HeaderSize);
        var offset = (long)sector * SectorSize;
        long done = 0;
        while (done < length && cursor.TryNextSegment((int)Math.Min(int.MaxValue, length - done), out var seg))
        {
            if (seg.IsWritable || !_backend.TryWrite(offset + done, seg.Readable))
                return BlockStatus.IoError;
            done += seg.Length;
        }
        return BlockStatus.Ok;
    }

    private BlockStatus GetId(ref ChainCursor cursor, long room, out long written)
    {
        // The ID is 20 bytes, zero padded (not terminated when all 20 are used).
        var n = (int)Math.Min(IdLength, room);
        written = cursor.Write(_id.AsSpan(0, n));
        return BlockStatus.Ok;
    }
}
