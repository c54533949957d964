using System.Runtime.CompilerServices;
using L4Re.Vio.Memory;

namespace L4Re.Vio.Virtio;

/// <summary>
/// The device side of one split virtqueue (virtio 1.x §2.7): the registers the driver programs through
/// the transport, and — once enabled — the descriptor table, driver (available) ring and device (used)
/// ring in driver memory. Every index read from the driver is checked; a violation is reported as a
/// <see cref="VirtqueueError"/>, never an exception. Modelled on l4virtio's <c>L4virtio::Svr::Virtqueue</c>,
/// extended with EVENT_IDX (as Linux's drivers/vhost/vhost.c implements the device side).
/// </summary>
public sealed class Virtqueue
{
    // Device area: le16 flags; le16 idx; {le32 id; le32 len} ring[num]; le16 avail_event.
    private const ushort UsedFlagNoNotify = 1;
    // Driver area: le16 flags; le16 idx; le16 ring[num]; le16 used_event.
    private const ushort AvailFlagNoInterrupt = 1;

    private readonly DriverMemoryList _memory;
    private GuestBuffer _desc;
    private GuestBuffer _avail;
    private GuestBuffer _used;
    private int _memoryVersion;
    private ushort _mask;
    private ushort _lastAvail;
    private ushort _usedIdx;
    private ushort _signalledUsed;
    private bool _pushed;
    private bool _eventIdx;
    private bool _indirect;

    internal Virtqueue(VirtioDevice device, int index, int numMax)
    {
        _memory = device.Memory;
        Index = index;
        NumMax = numMax;
    }

    /// <summary>The queue's index in its device.</summary>
    public int Index { get; }

    /// <summary>The largest size the device accepts (the <c>QueueNumMax</c> register).</summary>
    public int NumMax { get; }

    /// <summary>The size the driver wrote (<c>QueueNum</c>); checked when the queue is enabled.</summary>
    public uint Num { get; internal set; }

    /// <summary>The driver address of the descriptor table (<c>QueueDesc</c>).</summary>
    public ulong DescriptorArea { get; internal set; }

    /// <summary>The driver address of the driver area, the available ring (<c>QueueDriver</c>).</summary>
    public ulong DriverArea { get; internal set; }

    /// <summary>The driver address of the device area, the used ring (<c>QueueDevice</c>).</summary>
    public ulong DeviceArea { get; internal set; }

    /// <summary>Whether the queue is enabled (<c>QueueReady</c> reads 1).</summary>
    public bool IsReady { get; private set; }

    /// <summary>The size of the enabled queue (0 when not ready).</summary>
    public int Size => IsReady ? _mask + 1 : 0;

    /// <summary>The device's shadow of the next available-ring index it will consume.</summary>
    public ushort LastAvailIndex => _lastAvail;

    /// <summary>The device's shadow of the used-ring index (the value last published).</summary>
    public ushort UsedIndex => _usedIdx;

    /// <summary>Whether INDIRECT_DESC was negotiated when the queue was enabled.</summary>
    public bool IndirectEnabled => _indirect;

    /// <summary>Whether EVENT_IDX was negotiated when the queue was enabled.</summary>
    public bool EventIdxEnabled => _eventIdx;

    internal DriverMemoryList Memory => _memory;

    internal GuestBuffer DescriptorTable => _desc;

    /// <summary>Clears the driver-written registers (device reset).</summary>
    internal void ResetConfig()
    {
        Disable();
        Num = 0;
        DescriptorArea = DriverArea = DeviceArea = 0;
    }

    /// <summary>Disables the queue; its memory is not touched again until it is enabled.</summary>
    internal void Disable()
    {
        IsReady = false;
        _desc = _avail = _used = default;
        _lastAvail = _usedIdx = _signalledUsed = 0;
        _pushed = false;
        _mask = 0;
    }

    /// <summary>
    /// Enables the queue with the registers the driver wrote: the checks of l4virtio's
    /// <c>Device_t::setup_queue</c> (size a power of two ≤ max; areas aligned 16/2/4; every area inside
    /// registered driver memory; the used ring writable).
    /// </summary>
    /// <returns>Null on success, otherwise why the queue stays disabled.</returns>
    internal string? Enable(ulong negotiatedFeatures)
    {
        Disable();
        var num = Num;
        if (num == 0 || num > (uint)NumMax || !VirtqueueLayout.IsValidSize((int)num))
            return $"queue {Index}: size {num} is not a power of two in 1..{NumMax}";
        if (DescriptorArea % VirtqueueLayout.DescriptorAlignment != 0 || DriverArea % VirtqueueLayout.DriverAlignment != 0
            || DeviceArea % VirtqueueLayout.DeviceAlignment != 0)
            return $"queue {Index}: misaligned areas desc={DescriptorArea:x} driver={DriverArea:x} device={DeviceArea:x}";
        _mask = (ushort)(num - 1);
        _eventIdx = (negotiatedFeatures & VirtioFeatures.EventIdx) != 0;
        _indirect = (negotiatedFeatures & VirtioFeatures.IndirectDesc) != 0;
        if (!Resolve())
        {
            _mask = 0;
            return $"queue {Index}: areas desc={DescriptorArea:x} driver={DriverArea:x} device={DeviceArea:x} are not inside registered driver memory (used ring must be writable)";
        }
        IsReady = true;
        return null;
    }

    private bool Resolve()
    {
        var n = _mask + 1;
        var mem = _memory;
        if (mem.TryTranslate(DescriptorArea, (uint)VirtqueueLayout.DescriptorTableSize(n), false, out _desc)
            && mem.TryTranslate(DriverArea, (uint)VirtqueueLayout.DriverAreaSize(n), false, out _avail)
            && mem.TryTranslate(DeviceArea, (uint)VirtqueueLayout.DeviceAreaSize(n), true, out _used))
        {
            _memoryVersion = mem.Version;
            return true;
        }
        // Keep failing until the areas resolve again: the version stays stale.
        _memoryVersion = mem.Version - 1;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CheckMemory() => _memoryVersion == _memory.Version || Resolve();

    /// <summary>The driver's available index (read with acquire ordering); 0 when the queue is not ready.</summary>
    public ushort ReadAvailIndex() => IsReady && CheckMemory() ? Le.VolatileU16(_avail.Readable, 2) : (ushort)0;

    /// <summary>Whether the driver has made buffers available that the device has not consumed yet.</summary>
    public bool HasAvailable => IsReady && ReadAvailIndex() != _lastAvail;

    /// <summary>
    /// Takes the next available descriptor chain. Returns <see cref="VirtqueueError.None"/> with an invalid
    /// <paramref name="chain"/> when the ring is empty (or the queue is not ready), or an error when the
    /// driver moved its index by more than the queue size or published a head outside the table.
    /// </summary>
    public VirtqueueError TryPop(out DescriptorChain chain)
    {
        chain = default;
        if (!IsReady)
            return VirtqueueError.None;
        if (!CheckMemory())
            return VirtqueueError.BadAddress;
        var avail = _avail.Readable;
        var availIdx = Le.VolatileU16(avail, 2);
        var pending = (ushort)(availIdx - _lastAvail);
        if (pending == 0)
            return VirtqueueError.None;
        if (pending > _mask + 1)
            return VirtqueueError.IndexJump;
        var head = Le.U16(avail, 4 + 2 * (_lastAvail & _mask));
        if (head > _mask)
            return VirtqueueError.BadNext;
        _lastAvail++;
        chain = new DescriptorChain(this, head);
        return VirtqueueError.None;
    }

    /// <summary>
    /// The fast path of <see cref="TryPop"/> for the most common layout: takes the next chain only when its head
    /// is a single direct descriptor (no NEXT, no INDIRECT) of the wanted direction, at least
    /// <paramref name="minLength"/> bytes long, whose buffer translates. Otherwise nothing is consumed and the
    /// caller takes the general path (which also reports any error).
    /// </summary>
    public bool TryPopSingle(bool writable, uint minLength, out ushort head, out GuestBuffer buffer)
    {
        head = 0;
        buffer = default;
        if (!IsReady || !CheckMemory())
            return false;
        var avail = _avail.Readable;
        var pending = (ushort)(Le.VolatileU16(avail, 2) - _lastAvail);
        if (pending == 0 || pending > _mask + 1)
            return false;
        var h = Le.U16(avail, 4 + 2 * (_lastAvail & _mask));
        if (h > _mask)
            return false;
        var d = ReadDescriptor(h);
        if (d.Flags != (writable ? DescriptorFlags.Write : DescriptorFlags.None) || d.Length < minLength
            || !_memory.TryTranslate(d.Address, d.Length, writable, out buffer))
            return false;
        _lastAvail++;
        head = h;
        return true;
    }

    /// <summary>Gives back the last <paramref name="count"/> chains taken with <see cref="TryPop"/> (l4virtio's <c>rewind_avail</c>).</summary>
    public void Rewind(int count) => _lastAvail -= (ushort)count;

    /// <summary>
    /// Returns a chain to the driver: writes the used element <c>{head, len}</c> and publishes the new used
    /// index with release ordering. <paramref name="written"/> is the number of bytes the device wrote.
    /// </summary>
    public void Push(ushort head, uint written)
    {
        if (!IsReady || !CheckMemory())
            return;
        var used = _used.Writable;
        var slot = 4 + 8 * (_usedIdx & _mask);
        Le.U32(used, slot, head);
        Le.U32(used, slot + 4, written);
        _usedIdx++;
        _pushed = true;
        Le.VolatileU16(used, 2, _usedIdx);
    }

    /// <summary>
    /// Returns several chains at once: writes every used element, then publishes the used index once, so
    /// a driver never sees part of a group (a merged receive buffer, l4virtio's <c>consumed(begin, end)</c>).
    /// </summary>
    public void PushMany(ReadOnlySpan<ushort> heads, ReadOnlySpan<uint> written)
    {
        if (!IsReady || heads.Length != written.Length || !CheckMemory())
            return;
        var used = _used.Writable;
        var idx = _usedIdx;
        for (var i = 0; i < heads.Length; i++, idx++)
        {
            var slot = 4 + 8 * (idx & _mask);
            Le.U32(used, slot, heads[i]);
            Le.U32(used, slot + 4, written[i]);
        }
        _usedIdx = idx;
        _pushed = true;
        Le.VolatileU16(used, 2, _usedIdx);
    }

    /// <summary>
    /// Whether the driver wants a used-buffer notification for the entries pushed since the last call:
    /// with EVENT_IDX, vring_need_event(used_event, new, old); otherwise the driver's NO_INTERRUPT flag
    /// (virtio 1.x §2.7.7 and §2.7.10).
    /// </summary>
    public bool NeedsInterrupt()
    {
        if (!IsReady || !_pushed || !CheckMemory())
            return false;
        _pushed = false;
        var old = _signalledUsed;
        _signalledUsed = _usedIdx;
        // The used index must be visible before the driver's suppression state is read (vhost: smp_mb).
        Interlocked.MemoryBarrier();
        var avail = _avail.Readable;
        if (_eventIdx)
            return VirtqueueLayout.NeedEvent(Le.VolatileU16(avail, 4 + 2 * (_mask + 1)), _usedIdx, old);
        return (Le.VolatileU16(avail, 0) & AvailFlagNoInterrupt) == 0;
    }

    /// <summary>Asks the driver not to notify the device (used-ring NO_NOTIFY flag; nothing to do with EVENT_IDX).</summary>
    public void DisableDriverNotifications()
    {
        if (!IsReady || _eventIdx || !CheckMemory())
            return;
        Le.VolatileU16(_used.Writable, 0, UsedFlagNoNotify);
    }

    /// <summary>
    /// Asks the driver to notify the device again (clears NO_NOTIFY, or with EVENT_IDX sets avail_event to
    /// the next index the device will consume) and reports whether buffers arrived meanwhile, so the
    /// caller processes them instead of missing the notification the driver suppressed.
    /// </summary>
    public bool EnableDriverNotifications()
    {
        if (!IsReady || !CheckMemory())
            return false;
        var used = _used.Writable;
        if (_eventIdx)
            Le.VolatileU16(used, 4 + 8 * (_mask + 1), _lastAvail);
        else
            Le.VolatileU16(used, 0, 0);
        Interlocked.MemoryBarrier();
        return Le.VolatileU16(_avail.Readable, 2) != _lastAvail;
    }

    /// <summary>Reads descriptor <paramref name="index"/> of the queue's own table (caller checked the index).</summary>
    internal VirtqueueDescriptor ReadDescriptor(int index) =>
        VirtqueueDescriptor.Read(_desc.Readable.Slice(index * VirtqueueDescriptor.Size, VirtqueueDescriptor.Size));

    /// <inheritdoc />
    public override string ToString() => IsReady
        ? $"queue {Index}: size {Size} desc={DescriptorArea:x} driver={DriverArea:x} device={DeviceArea:x} avail={_lastAvail} used={_usedIdx}"
        : $"queue {Index}: not ready";
}
