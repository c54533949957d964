using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Driver;

/// <summary>
/// The driver side of one split virtqueue, as a native program (or a test, or the sample) drives it:
/// builds descriptor chains (direct or indirect), publishes them in the available ring, decides whether
/// to notify the device (NO_NOTIFY or EVENT_IDX avail_event), and reclaims used buffers — the protocol
/// of virtio 1.x §2.7.13 and Linux's drivers/virtio/virtio_ring.c, written from the spec. Allocation-free
/// after construction. Raw writers let tests publish arbitrary (hostile) descriptors and indices.
/// </summary>
public sealed class VirtqueueDriver
{
    private const ushort AvailFlagNoInterrupt = 1;
    private const ushort UsedFlagNoNotify = 1;

    private readonly DriverMemoryList _memory;
    private readonly ushort[] _freeStack;
    private readonly ushort[] _chainLength;
    private readonly ushort[] _shadowNext;
    private int _freeCount;
    private ushort _availIdx;
    private ushort _kickedIdx;
    private ushort _lastUsed;
    private bool _noInterrupt;

    /// <summary>Creates the driver side of a queue whose areas already lie in registered driver memory.</summary>
    /// <param name="memory">The driver memory (the driver writes through it).</param>
    /// <param name="size">The queue size (a power of two).</param>
    /// <param name="descriptorArea">The descriptor table address.</param>
    /// <param name="driverArea">The available ring address.</param>
    /// <param name="deviceArea">The used ring address.</param>
    /// <param name="features">The negotiated features (EVENT_IDX decides how notifications are suppressed).</param>
    public VirtqueueDriver(DriverMemoryList memory, int size, ulong descriptorArea, ulong driverArea, ulong deviceArea, ulong features)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (!VirtqueueLayout.IsValidSize(size))
            throw new ArgumentOutOfRangeException(nameof(size), size, "the queue size must be a power of two in 1..32768");
        _memory = memory;
        Size = size;
        DescriptorArea = descriptorArea;
        DriverArea = driverArea;
        DeviceArea = deviceArea;
        EventIdx = (features & VirtioFeatures.EventIdx) != 0;
        _freeStack = new ushort[size];
        _chainLength = new ushort[size];
        _shadowNext = new ushort[size];
        // Zero the rings as a driver must (virtio 1.x §2.7: idx fields start at 0).
        memory.DriverSpan(descriptorArea, VirtqueueLayout.DescriptorTableSize(size)).Clear();
        memory.DriverSpan(driverArea, VirtqueueLayout.DriverAreaSize(size)).Clear();
        memory.DriverSpan(deviceArea, VirtqueueLayout.DeviceAreaSize(size)).Clear();
        for (var i = 0; i < size; i++)
            _freeStack[i] = (ushort)(size - 1 - i);
        _freeCount = size;
    }

    /// <summary>Allocates the three areas with <paramref name="allocator"/> and creates the driver side.</summary>
    public static VirtqueueDriver Allocate(DriverMemoryList memory, GuestMemoryAllocator allocator, int size, ulong features)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        var desc = allocator.Allocate((ulong)VirtqueueLayout.DescriptorTableSize(size), VirtqueueLayout.DescriptorAlignment);
        var avail = allocator.Allocate((ulong)VirtqueueLayout.DriverAreaSize(size), VirtqueueLayout.DriverAlignment);
        var used = allocator.Allocate((ulong)VirtqueueLayout.DeviceAreaSize(size), VirtqueueLayout.DeviceAlignment);
        return new VirtqueueDriver(memory, size, desc, avail, used, features);
    }

    /// <summary>The queue size.</summary>
    public int Size { get; }

    /// <summary>The descriptor table address.</summary>
    public ulong DescriptorArea { get; }

    /// <summary>The available ring address.</summary>
    public ulong DriverArea { get; }

    /// <summary>The used ring address.</summary>
    public ulong DeviceArea { get; }

    /// <summary>Whether EVENT_IDX is in use.</summary>
    public bool EventIdx { get; }

    /// <summary>Free descriptors.</summary>
    public int FreeDescriptors => _freeCount;

    /// <summary>The driver's available index (published or not).</summary>
    public ushort AvailIndex => _availIdx;

    /// <summary>The next used index the driver will reclaim.</summary>
    public ushort LastUsedIndex => _lastUsed;

    /// <summary>Chains added and not yet reclaimed.</summary>
    public int Outstanding { get; private set; }

    // The three areas, resolved once per version of the memory list (the driver's own mapping of its rings).
    private Kernel.Memory.Dataspace? _descDs, _availDs, _usedDs;
    private int _descOff, _availOff, _usedOff;
    private int _version = -1;

    private Span<byte> Desc
    {
        get
        {
            Resolve();
            return _descDs!.Span.Slice(_descOff, VirtqueueLayout.DescriptorTableSize(Size));
        }
    }

    private Span<byte> Avail
    {
        get
        {
            Resolve();
            return _availDs!.Span.Slice(_availOff, VirtqueueLayout.DriverAreaSize(Size));
        }
    }

    private Span<byte> Used
    {
        get
        {
            Resolve();
            return _usedDs!.Span.Slice(_usedOff, VirtqueueLayout.DeviceAreaSize(Size));
        }
    }

    private void Resolve()
    {
        if (_version == _memory.Version)
            return;
        (_descDs, _descOff) = Locate(DescriptorArea, VirtqueueLayout.DescriptorTableSize(Size));
        (_availDs, _availOff) = Locate(DriverArea, VirtqueueLayout.DriverAreaSize(Size));
        (_usedDs, _usedOff) = Locate(DeviceArea, VirtqueueLayout.DeviceAreaSize(Size));
        _version = _memory.Version;
    }

    private (Kernel.Memory.Dataspace, int) Locate(ulong address, int length)
    {
        var region = _memory.Find(address, (ulong)length)
            ?? throw new InvalidOperationException($"virtqueue area [{address:x}+{length}] is not in driver memory");
        return (region.Dataspace, (int)(region.DataspaceOffset + (long)(address - region.DriverBase)));
    }

    /// <summary>
    /// Adds a chain of <paramref name="buffers"/> (device-readable ones first) and puts its head into the
    /// available ring (not yet published: call <see cref="Publish"/>). Returns the head, or -1 when too few
    /// descriptors are free.
    /// </summary>
    public int Add(ReadOnlySpan<DriverBuffer> buffers)
    {
        if (buffers.IsEmpty || buffers.Length > _freeCount)
            return -1;
        var desc = Desc;
        var head = _freeStack[_freeCount - 1];
        var index = head;
        for (var i = 0; i < buffers.Length; i++)
        {
            _freeCount--;
            var next = i + 1 < buffers.Length ? _freeStack[_freeCount - 1] : (ushort)0;
            var b = buffers[i];
            var flags = (b.DeviceWritable ? DescriptorFlags.Write : DescriptorFlags.None)
                | (i + 1 < buffers.Length ? DescriptorFlags.Next : DescriptorFlags.None);
            new VirtqueueDescriptor(b.Address, b.Length, flags, next).Write(desc.Slice(index * 16, 16));
            _shadowNext[index] = next;
            index = next;
        }
        _chainLength[head] = (ushort)buffers.Length;
        PutAvail(head);
        return head;
    }

    /// <summary>
    /// Adds <paramref name="buffers"/> through an indirect table written at <paramref name="tableAddress"/>
    /// (16 bytes per buffer, in driver memory); uses one descriptor of the queue. Returns the head or -1.
    /// </summary>
    public int AddIndirect(ulong tableAddress, ReadOnlySpan<DriverBuffer> buffers)
    {
        if (buffers.IsEmpty || _freeCount == 0)
            return -1;
        var table = _memory.DriverSpan(tableAddress, buffers.Length * 16);
        for (var i = 0; i < buffers.Length; i++)
        {
            var b = buffers[i];
            var flags = (b.DeviceWritable ? DescriptorFlags.Write : DescriptorFlags.None)
                | (i + 1 < buffers.Length ? DescriptorFlags.Next : DescriptorFlags.None);
            new VirtqueueDescriptor(b.Address, b.Length, flags, (ushort)(i + 1 < buffers.Length ? i + 1 : 0)).Write(table.Slice(i * 16, 16));
        }
        var head = _freeStack[--_freeCount];
        new VirtqueueDescriptor(tableAddress, (uint)(buffers.Length * 16), DescriptorFlags.Indirect, 0).Write(Desc.Slice(head * 16, 16));
        _chainLength[head] = 1;
        PutAvail(head);
        return head;
    }

    private void PutAvail(ushort head)
    {
        Le.U16(Avail, 4 + 2 * (_availIdx & (Size - 1)), head);
        _availIdx++;
        Outstanding++;
    }

    /// <summary>Publishes the chains added so far: writes the available index with release ordering.</summary>
    public void Publish() => Le.VolatileU16(Avail, 2, _availIdx);

    /// <summary>
    /// Whether the device wants a notification for the chains published since the last call: with EVENT_IDX
    /// vring_need_event(avail_event, new, old), otherwise the used ring's NO_NOTIFY flag.
    /// </summary>
    public bool NeedsKick()
    {
        Interlocked.MemoryBarrier();
        var old = _kickedIdx;
        var now = _availIdx;
        _kickedIdx = now;
        if (old == now)
            return false;
        var used = Used;
        return EventIdx
            ? VirtqueueLayout.NeedEvent(Le.VolatileU16(used, 4 + 8 * Size), now, old)
            : (Le.VolatileU16(used, 0) & UsedFlagNoNotify) == 0;
    }

    /// <summary>Reclaims the next used element: its head and the number of bytes the device wrote. False when none.</summary>
    public bool TryGetUsed(out ushort head, out uint written)
    {
        var used = Used;
        if (Le.VolatileU16(used, 2) == _lastUsed)
        {
            head = 0;
            written = 0;
            return false;
        }
        var slot = 4 + 8 * (_lastUsed & (Size - 1));
        var id = Le.U32(used, slot);
        written = Le.U32(used, slot + 4);
        _lastUsed++;
        head = (ushort)id;
        if (id < (uint)Size && _chainLength[id] != 0)
        {
            // Free along the driver's own shadow links: never trust the device (or shared memory) for that.
            var n = _chainLength[id];
            _chainLength[id] = 0;
            var index = (ushort)id;
            for (var i = 0; i < n; i++)
            {
                _freeStack[_freeCount++] = index;
                index = _shadowNext[index];
            }
            Outstanding--;
        }
        // Linux virtqueue_get_buf: with EVENT_IDX and interrupts wanted, ask for one at the next used entry.
        if (EventIdx && !_noInterrupt)
            Le.VolatileU16(Avail, 4 + 2 * Size, _lastUsed);
        return true;
    }

    /// <summary>Asks the device for no used-buffer interrupts (NO_INTERRUPT flag; ignored by the device with EVENT_IDX).</summary>
    public void DisableInterrupts()
    {
        _noInterrupt = true;
        Le.VolatileU16(Avail, 0, AvailFlagNoInterrupt);
    }

    /// <summary>Asks the device for used-buffer interrupts again (clears NO_INTERRUPT; with EVENT_IDX sets used_event to the next used index).</summary>
    public void EnableInterrupts()
    {
        _noInterrupt = false;
        Le.VolatileU16(Avail, 0, 0);
        if (EventIdx)
            Le.VolatileU16(Avail, 4 + 2 * Size, _lastUsed);
    }

    /// <summary>Writes <c>used_event</c> (EVENT_IDX: interrupt me when the used index passes this value).</summary>
    public void SetUsedEvent(ushort value) => Le.VolatileU16(Avail, 4 + 2 * Size, value);

    /// <summary>Raw: writes descriptor <paramref name="index"/> of the table (hardening tests).</summary>
    public void WriteDescriptor(int index, VirtqueueDescriptor descriptor) => descriptor.Write(Desc.Slice(index * 16, 16));

    /// <summary>Raw: writes available ring slot <paramref name="slot"/> (taken modulo the size).</summary>
    public void WriteAvailRing(int slot, ushort head) => Le.U16(Avail, 4 + 2 * (slot & (Size - 1)), head);

    /// <summary>Raw: publishes an arbitrary available index (hardening tests; the driver's shadow follows).</summary>
    public void WriteAvailIndex(ushort index)
    {
        _availIdx = index;
        Le.VolatileU16(Avail, 2, index);
    }

    /// <summary>Reads the device's used index.</summary>
    public ushort ReadUsedIndex() => Le.VolatileU16(Used, 2);

    /// <summary>Reads the device's used-ring flags.</summary>
    public ushort ReadUsedFlags() => Le.VolatileU16(Used, 0);

    /// <summary>Reads the device's avail_event (EVENT_IDX).</summary>
    public ushort ReadAvailEvent() => Le.VolatileU16(Used, 4 + 8 * Size);
}
