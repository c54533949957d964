using System.Runtime.InteropServices;

namespace L4Re.Vio.Virtio;

/// <summary>The flags of a split-ring descriptor (virtio 1.x §2.7.5).</summary>
[Flags]
public enum DescriptorFlags : ushort
{
    /// <summary>No flag: a device-readable buffer that ends the chain.</summary>
    None = 0,
    /// <summary>VIRTQ_DESC_F_NEXT: the chain continues with <see cref="VirtqueueDescriptor.Next"/>.</summary>
    Next = 1,
    /// <summary>VIRTQ_DESC_F_WRITE: the buffer is device-writable (otherwise device-readable).</summary>
    Write = 2,
    /// <summary>VIRTQ_DESC_F_INDIRECT: the buffer holds a table of descriptors.</summary>
    Indirect = 4,
}

/// <summary>
/// One 16-byte split-ring descriptor exactly as it lies in driver memory (virtio 1.x §2.7.5:
/// <c>le64 addr; le32 len; le16 flags; le16 next</c>). The device copies a descriptor out of shared
/// memory once and checks the copy, so the driver cannot change it between check and use.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = 16)]
public readonly struct VirtqueueDescriptor
{
    /// <summary>The size of a descriptor in bytes.</summary>
    public const int Size = 16;

    /// <summary>Creates a descriptor value.</summary>
    public VirtqueueDescriptor(ulong address, uint length, DescriptorFlags flags, ushort next)
    {
        Address = address;
        Length = length;
        Flags = flags;
        Next = next;
    }

    /// <summary>The driver address of the buffer.</summary>
    public ulong Address { get; }

    /// <summary>The length of the buffer in bytes.</summary>
    public uint Length { get; }

    /// <summary>The descriptor flags.</summary>
    public DescriptorFlags Flags { get; }

    /// <summary>The index of the next descriptor when <see cref="DescriptorFlags.Next"/> is set.</summary>
    public ushort Next { get; }

    /// <summary>Reads a descriptor from little-endian bytes.</summary>
    public static VirtqueueDescriptor Read(ReadOnlySpan<byte> bytes) => BitConverter.IsLittleEndian
        ? MemoryMarshal.Read<VirtqueueDescriptor>(bytes)
        : new VirtqueueDescriptor(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]),
            (DescriptorFlags)System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(bytes[12..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(bytes[14..]));

    /// <summary>Writes the descriptor as little-endian bytes (driver side).</summary>
    public void Write(Span<byte> bytes)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, Address);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes[12..], (ushort)Flags);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes[14..], Next);
    }

    /// <inheritdoc />
    public override string ToString() => $"addr={Address:x} len={Length} flags={Flags} next={Next}";
}
