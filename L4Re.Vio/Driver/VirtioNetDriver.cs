using L4Re.Vio.Devices.Net;
using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Driver;

/// <summary>
/// A polling virtio-net driver for native programs, tests and benchmarks: negotiates features, keeps the
/// receive queue full of fixed-size buffers, sends frames from a pool of transmit buffers, and receives frames
/// (gathering mergeable buffers by <c>num_buffers</c>), the way Linux's drivers/net/virtio_net.c uses the
/// device. Allocation-free after <see cref="Start"/>.
/// </summary>
public sealed class VirtioNetDriver
{
    /// <summary>The default features a driver asks for.</summary>
    public const ulong DefaultFeatures = NetFeatures.Mac | NetFeatures.Status | NetFeatures.MrgRxbuf | VirtioFeatures.EventIdx | VirtioFeatures.IndirectDesc;

    private readonly VirtioMmioDriver _mmio;
    private readonly int _bufferSize;
    private readonly int _queueSize;
    private readonly ulong _wanted;
    private VirtqueueDriver? _rx;
    private VirtqueueDriver? _tx;
    private ulong[] _rxBuffers = [];
    private ulong[] _txBuffers = [];
    private Kernel.Memory.Dataspace[] _rxDs = [];
    private int[] _rxOff = [];
    private Kernel.Memory.Dataspace[] _txDs = [];
    private int[] _txOff = [];
    private int[] _rxSlotOfHead = [];
    private int[] _txSlotOfHead = [];
    private int[] _freeTx = [];
    private int _freeTxCount;
    private readonly DriverBuffer[] _one = new DriverBuffer[1];

    /// <summary>Creates a driver for the net device behind <paramref name="transport"/>.</summary>
    /// <param name="transport">The device's transport.</param>
    /// <param name="memory">Driver memory the queues and buffers live in.</param>
    /// <param name="allocator">Allocator for queues and buffers.</param>
    /// <param name="features">Features to ask for (default <see cref="DefaultFeatures"/>).</param>
    /// <param name="bufferSize">The size of each receive and transmit buffer (header included; default 12 + 1514).</param>
    /// <param name="queueSize">The queue size to use (0: the device maximum).</param>
    public VirtioNetDriver(VirtioMmioTransport transport, DriverMemoryList memory, GuestMemoryAllocator allocator,
        ulong features = DefaultFeatures, int bufferSize = NetHeader.Size + 1514, int queueSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, NetHeader.Size + 1);
        _mmio = new VirtioMmioDriver(transport, memory, allocator);
        _wanted = features;
        _bufferSize = bufferSize;
        _queueSize = queueSize;
    }

    /// <summary>The transport-level driver.</summary>
    public VirtioMmioDriver Mmio => _mmio;

    /// <summary>The receive queue (after <see cref="Start"/>).</summary>
    public VirtqueueDriver Rx => _rx ?? throw new InvalidOperationException("not started");

    /// <summary>The transmit queue (after <see cref="Start"/>).</summary>
    public VirtqueueDriver Tx => _tx ?? throw new InvalidOperationException("not started");

    /// <summary>The negotiated features.</summary>
    public ulong Features => _mmio.Features;

    /// <summary>The device's MAC address (unknown without VIRTIO_NET_F_MAC).</summary>
    public MacAddress Mac { get; private set; }

    /// <summary>Frames sent.</summary>
    public long Sent { get; private set; }

    /// <summary>Frames received.</summary>
    public long Received { get; private set; }

    /// <summary>The link status from the configuration (true without VIRTIO_NET_F_STATUS).</summary>
    public bool LinkUp
    {
        get
        {
            if ((Features & NetFeatures.Status) == 0)
                return true;
            Span<byte> status = stackalloc byte[2];
            _mmio.ReadConfig(6, status);
            return (status[0] & NetFeatures.LinkUp) != 0;
        }
    }

    /// <summary>Initializes the device, sets up both queues, fills the receive queue and sets DRIVER_OK.</summary>
    public void Start()
    {
        _mmio.Initialize(_wanted);
        _rx = _mmio.SetupQueue(VirtioNetDevice.ReceiveQueue, _queueSize);
        _tx = _mmio.SetupQueue(VirtioNetDevice.TransmitQueue, _queueSize);
        if ((Features & NetFeatures.Mac) != 0)
        {
            Span<byte> mac = stackalloc byte[6];
            _mmio.ReadConfig(0, mac);
            Mac = MacAddress.Read(mac);
        }
        (_rxBuffers, _rxDs, _rxOff) = AllocateBuffers(_rx.Size);
        _rxSlotOfHead = new int[_rx.Size];
        (_txBuffers, _txDs, _txOff) = AllocateBuffers(_tx.Size);
        _txSlotOfHead = new int[_tx.Size];
        _freeTx = new int[_tx.Size];
        for (var i = 0; i < _txBuffers.Length; i++)
            _freeTx[i] = i;
        _freeTxCount = _txBuffers.Length;
        for (var i = 0; i < _rxBuffers.Length; i++)
            PostRx(i);
        _rx.Publish();
        _mmio.DriverOk();
    }

    // Buffers are resolved to host memory once: the driver's own mapping of its buffers.
    private (ulong[], Kernel.Memory.Dataspace[], int[]) AllocateBuffers(int count)
    {
        var addresses = new ulong[count];
        var dataspaces = new Kernel.Memory.Dataspace[count];
        var offsets = new int[count];
        for (var i = 0; i < count; i++)
        {
            addresses[i] = _mmio.Allocator.Allocate((ulong)_bufferSize, 16);
            var region = _mmio.Memory.Find(addresses[i], (ulong)_bufferSize)
                ?? throw new InvalidOperationException($"buffer at {addresses[i]:x} is not in driver memory");
            dataspaces[i] = region.Dataspace;
            offsets[i] = (int)(region.DataspaceOffset + (long)(addresses[i] - region.DriverBase));
        }
        return (addresses, dataspaces, offsets);
    }

    private void PostRx(int slot)
    {
        _one[0] = new DriverBuffer(_rxBuffers[slot], (uint)_bufferSize, true);
        var head = _rx!.Add(_one);
        if (head >= 0)
            _rxSlotOfHead[head] = slot;
    }

    /// <summary>
    /// Queues <paramref name="frame"/> for sending (a zero virtio-net header and the frame in one buffer).
    /// With <paramref name="kick"/> the device is notified at once; otherwise call <see cref="Kick"/> after a batch.
    /// False when no transmit buffer is free or the frame does not fit.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> frame, bool kick = true)
    {
        var tx = Tx;
        ReclaimTx();
        if (_freeTxCount == 0 || frame.Length > _bufferSize - NetHeader.Size || frame.IsEmpty)
            return false;
        var slot = _freeTx[--_freeTxCount];
        var address = _txBuffers[slot];
        var span = _txDs[slot].Span.Slice(_txOff[slot], NetHeader.Size + frame.Length);
        span[..NetHeader.Size].Clear();
        frame.CopyTo(span[NetHeader.Size..]);
        _one[0] = new DriverBuffer(address, (uint)(NetHeader.Size + frame.Length));
        var head = tx.Add(_one);
        _txSlotOfHead[head] = slot;
        Sent++;
        if (kick)
            _mmio.Kick(tx, VirtioNetDevice.TransmitQueue);
        return true;
    }

    /// <summary>Publishes queued frames and receive buffers and notifies the device where it wants it.</summary>
    public void Kick()
    {
        _mmio.Kick(Tx, VirtioNetDevice.TransmitQueue);
        _mmio.Kick(Rx, VirtioNetDevice.ReceiveQueue);
    }

    /// <summary>Takes back transmit buffers the device has used.</summary>
    public int ReclaimTx()
    {
        var tx = Tx;
        var n = 0;
        while (tx.TryGetUsed(out var head, out _))
        {
            if (head < _txSlotOfHead.Length)
                _freeTx[_freeTxCount++] = _txSlotOfHead[head];
            n++;
        }
        return n;
    }

    /// <summary>
    /// Copies the next received frame (without the virtio-net header) into <paramref name="destination"/> and
    /// returns its length, or -1 when none is there. The buffers go back to the receive queue (published; call
    /// <see cref="Kick"/> to notify). A frame longer than <paramref name="destination"/> is truncated.
    /// </summary>
    public int TryReceive(Span<byte> destination)
    {
        var rx = Rx;
        if (!rx.TryGetUsed(out var head, out var written))
            return -1;
        var slot = _rxSlotOfHead[head];
        var first = _rxDs[slot].Span.Slice(_rxOff[slot], _bufferSize);
        var header = NetHeader.Read(first);
        var buffers = (Features & NetFeatures.MrgRxbuf) != 0 ? Math.Max((int)header.NumBuffers, 1) : 1;
        var length = 0;
        var take = (int)Math.Min(written, (uint)_bufferSize) - NetHeader.Size;
        length += Copy(first.Slice(NetHeader.Size, Math.Max(take, 0)), destination, length);
        PostRx(slot);
        for (var i = 1; i < buffers && rx.TryGetUsed(out head, out written); i++)
        {
            slot = _rxSlotOfHead[head];
            var more = _rxDs[slot].Span.Slice(_rxOff[slot], (int)Math.Min(written, (uint)_bufferSize));
            length += Copy(more, destination, length);
            PostRx(slot);
        }
        rx.Publish();
        Received++;
        return length;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination, int at)
    {
        var n = Math.Min(source.Length, destination.Length - at);
        if (n > 0)
            source[..n].CopyTo(destination[at..]);
        return source.Length;
    }
}
