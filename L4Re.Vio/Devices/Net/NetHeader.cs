using System.Buffers.Binary;

namespace L4Re.Vio.Devices.Net;

/// <summary>
/// <c>struct virtio_net_hdr_v1</c> (virtio 1.x §5.1.6; l4virtio <c>l4virtio_net_header_t</c>): 12 bytes in front
/// of every packet in both directions; with VIRTIO_F_VERSION_1 it always includes <c>num_buffers</c>.
/// </summary>
public readonly record struct NetHeader(byte Flags, byte GsoType, ushort HeaderLength, ushort GsoSize, ushort CsumStart, ushort CsumOffset, ushort NumBuffers)
{
    /// <summary>The size of the header.</summary>
    public const int Size = 12;

    /// <summary>VIRTIO_NET_HDR_F_NEEDS_CSUM.</summary>
    public const byte NeedsCsum = 1;

    /// <summary>Reads a header from 12 little-endian bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> is shorter than <see cref="Size"/>.</exception>
    public static NetHeader Read(ReadOnlySpan<byte> b)
    {
        // One length check, then fixed offsets: the per-packet path reads the header without six slice checks.
        if (b.Length < Size)
            ThrowTooShort();
        b = b[..Size];
        return new(
            b[0], b[1],
            BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(2, 2)),
            BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(4, 2)),
            BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(6, 2)),
            BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(8, 2)),
            BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(10, 2)));
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTooShort() =>
        throw new ArgumentException("a virtio-net header needs 12 bytes", "b");

    /// <summary>Writes the 12 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> is shorter than <see cref="Size"/>.</exception>
    public void Write(Span<byte> b)
    {
        if (b.Length < Size)
            ThrowTooShort();
        b = b[..Size];
        b[0] = Flags;
        b[1] = GsoType;
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(2, 2), HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(4, 2), GsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(6, 2), CsumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(8, 2), CsumOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(10, 2), NumBuffers);
    }
}
