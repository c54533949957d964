using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace L4Re.Vio.Memory;

/// <summary>
/// Little-endian accessors for virtio structures in guest memory (virtio 1.x §1.4: all fields are
/// little-endian). The volatile forms give the acquire/release ordering the split-ring protocol needs
/// for the <c>idx</c> fields (virtio 1.x §2.7.13 memory barriers).
/// </summary>
internal static class Le
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort U16(ReadOnlySpan<byte> s, int offset)
    {
        var v = MemoryMarshal.Read<ushort>(s.Slice(offset, 2));
        return BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint U32(ReadOnlySpan<byte> s, int offset)
    {
        var v = MemoryMarshal.Read<uint>(s.Slice(offset, 4));
        return BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong U64(ReadOnlySpan<byte> s, int offset)
    {
        var v = MemoryMarshal.Read<ulong>(s.Slice(offset, 8));
        return BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void U16(Span<byte> s, int offset, ushort value)
    {
        if (!BitConverter.IsLittleEndian)
            value = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
        MemoryMarshal.Write(s.Slice(offset, 2), in value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void U32(Span<byte> s, int offset, uint value)
    {
        if (!BitConverter.IsLittleEndian)
            value = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
        MemoryMarshal.Write(s.Slice(offset, 4), in value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void U64(Span<byte> s, int offset, ulong value)
    {
        if (!BitConverter.IsLittleEndian)
            value = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
        MemoryMarshal.Write(s.Slice(offset, 8), in value);
    }

    /// <summary>Reads a 16-bit field with acquire semantics (the field must be 2-byte aligned in host memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort VolatileU16(ReadOnlySpan<byte> s, int offset)
    {
        ref var r = ref Unsafe.As<byte, ushort>(ref MemoryMarshal.GetReference(s.Slice(offset, 2)));
        var v = Volatile.Read(ref r);
        return BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>Writes a 16-bit field with release semantics (the field must be 2-byte aligned in host memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VolatileU16(Span<byte> s, int offset, ushort value)
    {
        if (!BitConverter.IsLittleEndian)
            value = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
        ref var r = ref Unsafe.As<byte, ushort>(ref MemoryMarshal.GetReference(s.Slice(offset, 2)));
        Volatile.Write(ref r, value);
    }
}
