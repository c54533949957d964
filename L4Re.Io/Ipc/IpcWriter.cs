using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace L4Re.Io.Ipc;

/// <summary>
/// Writes values into the message registers the way L4Re's <c>L4::Ipc::Ostream</c> does (l4re-core
/// <c>cxx/lib/ipc/include/ipc_stream</c>): each value aligned to its own alignment; <see cref="Words"/>
/// is the number of words to put in the tag (<c>prepare_ipc</c>). Writes past the 63 message registers
/// fail. Little-endian, 64-bit words. Allocation free.
/// </summary>
public ref struct IpcWriter
{
    private readonly Span<byte> _bytes;
    private int _pos;

    /// <summary>Writes into <paramref name="mrs"/> from the first byte.</summary>
    public IpcWriter(Span<ulong> mrs)
    {
        _bytes = MemoryMarshal.AsBytes(mrs);
        _pos = 0;
    }

    /// <summary>The number of message words written so far (<c>l4_bytes_to_mwords</c>).</summary>
    public readonly uint Words => (uint)((_pos + 7) / 8);

    private Span<byte> Take(int size, int align)
    {
        var at = (_pos + align - 1) & ~(align - 1);
        if (at + size > _bytes.Length)
            throw new InvalidOperationException($"a value of {size} bytes does not fit into the message registers at byte {at}");
        _pos = at + size;
        var s = _bytes.Slice(at, size);
        s.Clear();
        return s;
    }

    /// <summary>Writes a machine word.</summary>
    public void Word(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8, 8), value);

    /// <summary>Writes a 32-bit value.</summary>
    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4, 4), value);

    /// <summary>Writes a 16-bit value.</summary>
    public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2, 2), value);

    /// <summary>Reserves <paramref name="size"/> zeroed bytes aligned to <paramref name="align"/> (a C struct) for the caller to fill.</summary>
    public Span<byte> Bytes(int size, int align) => Take(size, align);

    /// <summary>Writes a C string as <c>operator &lt;&lt;(Ostream &amp;, char const *)</c> does: the length with the terminating zero, then the bytes and the zero.</summary>
    public void String(ReadOnlySpan<char> text)
    {
        var n = text.Length + 1;
        Word((ulong)n);
        var b = Take(n, 1);
        for (var i = 0; i < text.Length; i++)
            b[i] = text[i] <= 0x7f ? (byte)text[i] : (byte)'?';
    }

    /// <summary>Writes an array as <c>buf_cp_out</c> does: the length, then the bytes.</summary>
    public void Array(ReadOnlySpan<byte> bytes)
    {
        Word((ulong)bytes.Length);
        bytes.CopyTo(Take(bytes.Length, 1));
    }
}
