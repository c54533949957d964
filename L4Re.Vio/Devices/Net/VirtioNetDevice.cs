using Microsoft.Extensions.Logging;
using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Devices.Net;

/// <summary>
/// A virtio-net device (virtio 1.x §5.1): receiveq0 (queue 0) and transmitq0 (queue 1), a MAC address,
/// link status, mergeable receive buffers. The device moves no packets by itself: an <see cref="INetBackend"/>
/// (a switch port) takes packets with <see cref="TryTakeTransmit"/> and delivers with <see cref="Receive"/>.
/// Without a backend transmitted packets are dropped, as on an unplugged cable. Modelled on l4vio_switch's
/// <c>Virtio_net</c> / <c>L4virtio_port</c>.
/// </summary>
public sealed class VirtioNetDevice : VirtioDevice
{
    /// <summary>The receive queue.</summary>
    public const int ReceiveQueue = 0;

    /// <summary>The transmit queue.</summary>
    public const int TransmitQueue = 1;

    // virtio_net_config as l4vio_switch exposes it: mac[6], le16 status, le16 max_virtqueue_pairs.
    private const int ConfigLength = 10;

    private readonly FrameSegments _segments;
    private readonly byte[] _scratch = new byte[2 * NetHeader.Size + 16];
    private readonly ushort[] _mergedHeads;
    private readonly uint[] _mergedLengths;
    private readonly bool _offerStatus;
    private readonly Virtqueue _rx;
    private readonly Virtqueue _tx;

    /// <summary>Creates a network device.</summary>
    public VirtioNetDevice(DriverMemoryList memory, VirtioNetOptions? options = null, ILogger<VirtioNetDevice>? logger = null)
        : base(VirtioDeviceId.Net, memory, 2, (options ?? new VirtioNetOptions()).QueueSize, ConfigLength, logger)
    {
        options ??= new VirtioNetOptions();
        _offerStatus = options.Status;
        DeviceFeatures |= VirtioFeatures.IndirectDesc
            | (options.MergeableRxBuffers ? NetFeatures.MrgRxbuf : 0)
            | (options.Status ? NetFeatures.Status : 0)
            | (options.EventIdx ? VirtioFeatures.EventIdx : 0)
            | (options.Mac is null ? 0 : NetFeatures.Mac);
        Mac = options.Mac ?? MacAddress.Unknown;
        Mac.Write(Config);
        Le.U16(Config, 6, NetFeatures.LinkUp);
        Le.U16(Config, 8, 1);
        _segments = new FrameSegments(options.QueueSize);
        _mergedHeads = new ushort[options.QueueSize];
        _mergedLengths = new uint[options.QueueSize];
        _rx = Queue(ReceiveQueue);
        _tx = Queue(TransmitQueue);
    }

    /// <summary>The MAC address in the configuration (unknown when none is offered).</summary>
    public MacAddress Mac { get; }

    /// <summary>Where packets go; null drops them.</summary>
    public INetBackend? Backend { get; set; }

    /// <summary>Transmitted packets the device dropped itself: no backend, or malformed (shorter than the header plus one byte).</summary>
    public long TransmitDrops { get; private set; }

    /// <summary>The link status (VIRTIO_NET_S_LINK_UP); changing it notifies the driver (with VIRTIO_NET_F_STATUS).</summary>
    public bool LinkUp
    {
        get => (Le.U16(ConfigSpace, 6) & NetFeatures.LinkUp) != 0;
        set
        {
            lock (SyncRoot)
            {
                if (value == LinkUp)
                    return;
                Le.U16(Config, 6, value ? NetFeatures.LinkUp : (ushort)0);
                if (_offerStatus)
                    NotifyConfigChanged();
            }
        }
    }

    private Virtqueue Rx => _rx;

    private Virtqueue Tx => _tx;

    /// <summary>Whether mergeable receive buffers were negotiated.</summary>
    public bool MergeableRxBuffers => (NegotiatedFeatures & NetFeatures.MrgRxbuf) != 0;

    /// <summary>Whether the driver has queued packets to send.</summary>
    public bool TransmitPending => IsRunning && Tx.HasAvailable;

    /// <inheritdoc />
    protected override void OnQueueNotify(Virtqueue queue)
    {
        if (queue.Index == TransmitQueue)
        {
            if (Backend is { } backend)
                backend.OnTransmitNotify(this);
            else
                DropTransmits();
        }
        else
        {
            Backend?.OnReceiveNotify(this);
        }
    }

    /// <summary>Completes every queued transmit without sending it (a monitor port's <c>drop_requests</c>).</summary>
    public void DropTransmits()
    {
        var tx = Tx;
        do
        {
            tx.DisableDriverNotifications();
            while (TryTakeTransmit(out var packet))
            {
                CompleteTransmit(packet);
                TransmitDrops++;
            }
            if (!tx.IsReady)
                return;
            SignalUsed(tx);
        }
        while (tx.EnableDriverNotifications());
    }

    /// <summary>Suppresses driver notifications on both queues while the caller works (l4vio: <c>disable_notify</c>).</summary>
    public void DisableDriverNotifications()
    {
        Tx.DisableDriverNotifications();
        Rx.DisableDriverNotifications();
    }

    /// <summary>Enables driver notifications again; true if packets were queued meanwhile (<c>tx_work_pending</c>).</summary>
    public bool EnableDriverNotifications()
    {
        Rx.EnableDriverNotifications();
        return Tx.EnableDriverNotifications();
    }

    /// <summary>
    /// Takes the next valid packet from the transmit queue, walking its chain once: the 12-byte header is
    /// gathered (it may span descriptors, virtio 1.x §2.6.4), the frame's pieces are recorded in
    /// <see cref="TransmitSegments"/>. A malformed packet (no complete header, no frame byte) is completed and
    /// dropped, as l4vio_switch does; a bad descriptor or a device-writable buffer puts the device into
    /// DEVICE_NEEDS_RESET. False when nothing (more) can be taken.
    /// </summary>
    public bool TryTakeTransmit(out NetTransmit packet)
    {
        // The common case in a method of its own: the chain walk below needs a large stack frame that the
        // JIT zeroes on every call, which cost more than the packet itself.
        var tx = _tx;
        if (IsRunning && tx.IsReady && tx.TryPopSingle(false, NetHeader.Size + 16, out var singleHead, out var single))
        {
            packet = TakeSingle(singleHead, single);
            return true;
        }
        return TryTakeTransmitChain(out packet);
    }

    // One descriptor with the header and at least 16 frame bytes: no chain walk.
    private NetTransmit TakeSingle(ushort head, GuestBuffer single)
    {
        var bytes = single.Readable;
        var segments = _segments;
        segments.Clear();
        segments.Add(single, NetHeader.Size);
        return new NetTransmit(head, NetHeader.Read(bytes), segments, single.Length - NetHeader.Size,
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[NetHeader.Size..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[(NetHeader.Size + 8)..]));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool TryTakeTransmitChain(out NetTransmit packet)
    {
        packet = default;
        var tx = _tx;
        var segments = _segments;
        // Scratch for headers and prefixes split across descriptors (fields, not stackalloc: the method
        // stays eligible for tiered compilation with profile-guided optimization).
        var header = _scratch.AsSpan(0, NetHeader.Size);
        var prefix = _scratch.AsSpan(NetHeader.Size, 16);
        while (IsRunning && tx.IsReady)
        {
            if (tx.TryPopSingle(false, NetHeader.Size + 16, out var singleHead, out var single))
            {
                packet = TakeSingle(singleHead, single);
                return true;
            }
            var error = tx.TryPop(out var chain);
            if (error != VirtqueueError.None)
            {
                DeviceError(tx, error);
                return false;
            }
            if (!chain.IsValid)
                return false;
            segments.Clear();
            var headerBytes = 0;
            var prefixBytes = 0;
            ulong prefixLow = 0, prefixHigh = 0;
            NetHeader netHeader = default;
            var fast = false;
            while (chain.TryNext(out var buffer))
            {
                if (!fast && headerBytes == 0 && !buffer.IsWritable && buffer.Length >= NetHeader.Size + 16)
                {
                    // The usual layout: header and the frame's first 16 bytes in the first buffer.
                    var first = buffer.Readable;
                    netHeader = NetHeader.Read(first);
                    prefixLow = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(first[NetHeader.Size..]);
                    prefixHigh = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(first[(NetHeader.Size + 8)..]);
                    headerBytes = NetHeader.Size;
                    prefixBytes = 16;
                    fast = true;
                    segments.Add(buffer, NetHeader.Size);
                    continue;
                }
                if (buffer.IsWritable)
                {
                    DeviceError(tx, VirtqueueError.BadRights); // a transmit chain is device-readable only
                    return false;
                }
                var bytes = buffer.Readable;
                var skip = 0;
                if (headerBytes < NetHeader.Size)
                {
                    skip = Math.Min(NetHeader.Size - headerBytes, bytes.Length);
                    bytes[..skip].CopyTo(header[headerBytes..]);
                    headerBytes += skip;
                }
                if (prefixBytes < 16 && skip < bytes.Length)
                {
                    var n = Math.Min(16 - prefixBytes, bytes.Length - skip);
                    bytes.Slice(skip, n).CopyTo(prefix[prefixBytes..]);
                    prefixBytes += n;
                }
                segments.Add(buffer, skip); // cannot overflow: a chain has at most queue-size buffers
            }
            if (chain.Error != VirtqueueError.None)
            {
                DeviceError(tx, chain.Error);
                return false;
            }
            if (headerBytes < NetHeader.Size || segments.Length == 0 || segments.Length > int.MaxValue)
            {
                tx.Push(chain.Head, 0);
                TransmitDrops++;
                continue;
            }
            if (!fast)
            {
                prefix[prefixBytes..].Clear();
                netHeader = NetHeader.Read(header);
                prefixLow = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(prefix);
                prefixHigh = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(prefix[8..]);
            }
            packet = new NetTransmit(chain.Head, netHeader, segments, (int)segments.Length, prefixLow, prefixHigh);
            return true;
        }
        return false;
    }

    /// <summary>The pieces of the packet last taken with <see cref="TryTakeTransmit"/> (valid until the next call).</summary>
    public FrameSegments TransmitSegments => _segments;

    /// <summary>Returns a transmitted packet's chain to the driver (written length 0).</summary>
    public void CompleteTransmit(in NetTransmit packet)
    {
        var tx = Tx;
        tx.Push(packet.Head, 0);
        SignalUsed(tx);
    }

    /// <summary>
    /// Delivers a frame into the receive queue (l4vio_switch's <c>L4virtio_port::handle_request</c>): writes
    /// <paramref name="header"/> (with <c>num_buffers</c> set) and the frame into the next receive chain — or,
    /// with mergeable buffers, into as many chains as it needs. Dropped when the queue has no (or too small a)
    /// buffer; chains already taken are given back. A bad receive chain is a device error of this device.
    /// </summary>
    public DeliveryResult Receive(ref FrameReader frame, NetHeader header)
    {
        var rx = _rx;
        if (!IsRunning || !rx.IsReady)
            return DeliveryResult.Dropped;
        if (rx.TryPopSingle(true, (uint)(NetHeader.Size + frame.Length), out var singleHead, out var single))
        {
            // One receive buffer large enough for header and frame: no chain walk, num_buffers = 1.
            var dst = single.Writable;
            (header with { NumBuffers = 1 }).Write(dst);
            var n = frame.Read(dst[NetHeader.Size..]);
            rx.Push(singleHead, (uint)(NetHeader.Size + n));
            SignalUsed(rx);
            return DeliveryResult.Delivered;
        }
        return ReceiveChains(ref frame, header);
    }

    // The general case of Receive, in a method of its own so the common case keeps a small stack frame.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private DeliveryResult ReceiveChains(ref FrameReader frame, NetHeader header)
    {
        var rx = _rx;
        var merge = MergeableRxBuffers;
        header = header with { NumBuffers = 0 };
        var hdr = _scratch.AsSpan(NetHeader.Size + 16, NetHeader.Size);
        var headerDone = 0;
        GuestBuffer numBuffersLow = default, numBuffersHigh = default;
        var chains = 0;
        var remaining = frame.Length;
        while (true)
        {
            if (chains == _mergedHeads.Length)
            {
                rx.Rewind(chains);
                return DeliveryResult.Dropped;
            }
            var error = rx.TryPop(out var chain);
            if (error != VirtqueueError.None)
            {
                DeviceError(rx, error);
                return DeliveryResult.Exception;
            }
            if (!chain.IsValid)
            {
                rx.Rewind(chains);
                return DeliveryResult.Dropped;
            }
            uint written = 0;
            while ((headerDone < NetHeader.Size || remaining > 0) && chain.TryNext(out var buffer))
            {
                var dst = buffer.Writable;
                if (dst.Length != buffer.Length)
                {
                    DeviceError(rx, VirtqueueError.BadRights);
                    return DeliveryResult.Exception;
                }
                var at = 0;
                if (headerDone == 0 && dst.Length >= NetHeader.Size)
                {
                    // The usual case: the whole header fits the first buffer.
                    header.Write(dst);
                    numBuffersLow = buffer.Slice(10, 1);
                    numBuffersHigh = buffer.Slice(11, 1);
                    at = headerDone = NetHeader.Size;
                }
                if (headerDone == 0 && at < dst.Length)
                    header.Write(hdr); // a header split across buffers: byte by byte from a copy
                while (headerDone < NetHeader.Size && at < dst.Length)
                {
                    if (headerDone == 10)
                        numBuffersLow = buffer.Slice(at, 1);
                    else if (headerDone == 11)
                        numBuffersHigh = buffer.Slice(at, 1);
                    dst[at++] = hdr[headerDone++];
                }
                if (at < dst.Length && remaining > 0)
                {
                    var n = frame.Read(dst[at..]);
                    remaining -= n;
                    at += n;
                    if (n == 0)
                        remaining = 0; // the source ended early: deliver what there is
                }
                written += (uint)at;
            }
            if (chain.Error != VirtqueueError.None)
            {
                DeviceError(rx, chain.Error);
                return DeliveryResult.Exception;
            }
            _mergedHeads[chains] = chain.Head;
            _mergedLengths[chains] = written;
            chains++;
            if (headerDone == NetHeader.Size && remaining == 0)
                break;
            if (!merge)
            {
                // Destination buffer too small and no mergeable buffers: give the chain back, drop.
                rx.Rewind(chains);
                return DeliveryResult.Dropped;
            }
        }
        // num_buffers: 1 without MRG_RXBUF (virtio 1.x §5.1.6.4.1), else the number of chains used.
        numBuffersLow.Writable[0] = (byte)chains;
        numBuffersHigh.Writable[0] = (byte)(chains >> 8);
        rx.PushMany(_mergedHeads.AsSpan(0, chains), _mergedLengths.AsSpan(0, chains));
        SignalUsed(rx);
        return DeliveryResult.Delivered;
    }
}
