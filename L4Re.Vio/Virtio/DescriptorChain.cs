using L4Re.Vio.Memory;

namespace L4Re.Vio.Virtio;

/// <summary>
/// Walks one descriptor chain of a split virtqueue (l4virtio's <c>Request_processor</c>), translating
/// every buffer through the device's <see cref="DriverMemoryList"/>. A value type: copy it to walk the
/// same chain again (the switch does that once per destination). Every rule of virtio 1.x §2.7.5 the
/// device can check is checked; on a violation <see cref="TryNext"/> returns false and
/// <see cref="Error"/> says why:
/// <list type="bullet">
/// <item>a chain longer than its table (a descriptor loop) — <see cref="VirtqueueError.ChainTooLong"/>;</item>
/// <item>a <c>next</c> index beyond the table — <see cref="VirtqueueError.BadNext"/>;</item>
/// <item>INDIRECT without the feature, with NEXT, nested, or not at the head; a device-readable buffer after a
/// device-writable one — <see cref="VirtqueueError.BadFlags"/>;</item>
/// <item>an indirect table that is empty, not a multiple of 16 bytes or longer than the queue — <see cref="VirtqueueError.BadSize"/>;</item>
/// <item>a buffer outside registered memory — <see cref="VirtqueueError.BadAddress"/>; a device-writable buffer in read-only memory — <see cref="VirtqueueError.BadRights"/>.</item>
/// </list>
/// Lengths are 32-bit per descriptor and summed in 64 bits, so no length can overflow.
/// </summary>
public struct DescriptorChain
{
    private readonly Virtqueue? _queue;
    private GuestBuffer _indirect;
    private int _tableSize;
    private int _walked;
    private ushort _next;
    private bool _hasNext;
    private bool _inIndirect;
    private bool _sawWritable;
    private bool _started;

    internal DescriptorChain(Virtqueue queue, ushort head)
    {
        _queue = queue;
        Head = head;
        _next = head;
        _hasNext = true;
        _tableSize = queue.Size;
        _indirect = default;
        _walked = 0;
        _inIndirect = _sawWritable = _started = false;
        Error = VirtqueueError.None;
        ReadableBytes = WritableBytes = 0;
    }

    /// <summary>The head index (what goes into the used ring).</summary>
    public ushort Head { get; }

    /// <summary>Whether this is a chain taken from a queue (false for <c>default</c>).</summary>
    public readonly bool IsValid => _queue is not null;

    /// <summary>Why the walk stopped early, or <see cref="VirtqueueError.None"/>.</summary>
    public VirtqueueError Error { get; private set; }

    /// <summary>Whether the chain is exhausted (or failed).</summary>
    public readonly bool IsEnd => !_hasNext || Error != VirtqueueError.None || _queue is null;

    /// <summary>Whether the chain came from an indirect table.</summary>
    public readonly bool IsIndirect => _inIndirect;

    /// <summary>Total bytes of the device-readable buffers walked so far.</summary>
    public long ReadableBytes { get; private set; }

    /// <summary>Total bytes of the device-writable buffers walked so far.</summary>
    public long WritableBytes { get; private set; }

    /// <summary>Whether the walk has returned at least one buffer.</summary>
    public readonly bool Started => _started;

    /// <summary>Moves to the next buffer of the chain; false at the end or on an error (see <see cref="Error"/>).</summary>
    public bool TryNext(out GuestBuffer buffer)
    {
        buffer = default;
        if (!_hasNext || Error != VirtqueueError.None || _queue is null)
            return false;
        while (true)
        {
            if (_walked >= _tableSize)
                return Fail(VirtqueueError.ChainTooLong);
            if (!_queue.IsReady)
                return Fail(VirtqueueError.BadAddress);
            _walked++;
            var d = _inIndirect
                ? VirtqueueDescriptor.Read(_indirect.Readable.Slice(_next * VirtqueueDescriptor.Size, VirtqueueDescriptor.Size))
                : _queue.ReadDescriptor(_next);
            if ((d.Flags & DescriptorFlags.Indirect) != 0)
            {
                if (_inIndirect || _started || !_queue.IndirectEnabled || (d.Flags & DescriptorFlags.Next) != 0)
                    return Fail(VirtqueueError.BadFlags);
                if (d.Length == 0 || d.Length % VirtqueueDescriptor.Size != 0 || d.Length / VirtqueueDescriptor.Size > (uint)_queue.Size)
                    return Fail(VirtqueueError.BadSize);
                if (!_queue.Memory.TryTranslate(d.Address, d.Length, false, out _indirect))
                    return Fail(VirtqueueError.BadAddress);
                _inIndirect = true;
                _tableSize = (int)(d.Length / VirtqueueDescriptor.Size);
                _walked = 0;
                _next = 0;
                continue;
            }
            _hasNext = (d.Flags & DescriptorFlags.Next) != 0;
            if (_hasNext)
            {
                if (d.Next >= _tableSize)
                    return Fail(VirtqueueError.BadNext);
                _next = d.Next;
            }
            var write = (d.Flags & DescriptorFlags.Write) != 0;
            if (!write && _sawWritable)
                return Fail(VirtqueueError.BadFlags);
            _sawWritable |= write;
            if (!_queue.Memory.TryTranslate(d.Address, d.Length, write, out buffer))
            {
                return Fail(write && _queue.Memory.Find(d.Address, d.Length) is not null
                    ? VirtqueueError.BadRights
                    : VirtqueueError.BadAddress);
            }
            if (write)
                WritableBytes += d.Length;
            else
                ReadableBytes += d.Length;
            _started = true;
            return true;
        }
    }

    /// <summary>Walks a copy of the chain to its end and reports the first error (the chain itself does not move).</summary>
    public readonly VirtqueueError Validate(out long readableBytes, out long writableBytes)
    {
        var copy = this;
        while (copy.TryNext(out _))
        {
        }
        readableBytes = copy.ReadableBytes;
        writableBytes = copy.WritableBytes;
        return copy.Error;
    }

    private bool Fail(VirtqueueError error)
    {
        Error = error;
        _hasNext = false;
        return false;
    }
}
