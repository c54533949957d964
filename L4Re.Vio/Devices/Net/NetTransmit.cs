namespace L4Re.Vio.Devices.Net;

/// <summary>
/// One packet the driver queued on the transmit queue, already validated: its header, where its frame
/// starts, its length and the first 16 bytes (MAC addresses and a possible 802.1Q tag), from which the
/// switch decides where the packet goes (l4vio_switch's <c>Virtio_net_request</c>).
/// </summary>
public readonly struct NetTransmit
{
    private readonly FrameSegments? _segments;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly ulong _prefixLow;
    private readonly ulong _prefixHigh;

    internal NetTransmit(ushort head, NetHeader header, FrameSegments segments, int frameLength, ulong prefixLow, ulong prefixHigh)
    {
        Head = head;
        Header = header;
        _segments = segments;
        _data = default;
        FrameLength = frameLength;
        _prefixLow = prefixLow;
        _prefixHigh = prefixHigh;
    }

    internal NetTransmit(ReadOnlyMemory<byte> frame)
    {
        Head = 0;
        Header = default;
        _segments = null;
        _data = frame;
        FrameLength = frame.Length;
        Span<byte> p = stackalloc byte[16];
        p.Clear();
        frame.Span[..Math.Min(16, frame.Length)].CopyTo(p);
        _prefixLow = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(p);
        _prefixHigh = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(p[8..]);
    }

    /// <summary>The head of the transmit chain.</summary>
    public ushort Head { get; }

    /// <summary>The packet's virtio-net header.</summary>
    public NetHeader Header { get; }

    /// <summary>The length of the Ethernet frame (without the virtio-net header).</summary>
    public int FrameLength { get; }

    /// <summary>The destination MAC, or unknown when the frame is shorter than 6 bytes (<c>dst_mac</c>).</summary>
    public MacAddress Destination => FrameLength >= 6 ? new MacAddress(_prefixLow) : MacAddress.Unknown;

    /// <summary>The source MAC, or unknown when the frame is shorter than 12 bytes (<c>src_mac</c>).</summary>
    public MacAddress Source => FrameLength >= 12 ? new MacAddress((_prefixLow >> 48) | (_prefixHigh << 16)) : MacAddress.Unknown;

    /// <summary>Whether the frame carries an 802.1Q tag (at least 14 bytes and EtherType 0x8100, <c>has_vlan</c>).</summary>
    public bool HasVlanTag => FrameLength >= 14 && (byte)(_prefixHigh >> 32) == 0x81 && (byte)(_prefixHigh >> 40) == 0x00;

    /// <summary>The tag's VLAN ID, or <see cref="Switch.VlanIds.Native"/> when untagged or shorter than 16 bytes (<c>vlan_id</c>).</summary>
    public ushort VlanId => HasVlanTag && FrameLength >= 16
        ? (ushort)((((_prefixHigh >> 48) & 0xff) << 8 | ((_prefixHigh >> 56) & 0xff)) & 0xfff)
        : Switch.VlanIds.Native;

    /// <summary>A reader over the frame (from its first byte).</summary>
    public FrameReader CreateReader() => _segments is null ? FrameReader.FromSpan(_data.Span) : FrameReader.FromSegments(_segments);
}
