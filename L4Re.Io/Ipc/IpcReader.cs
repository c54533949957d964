using System.Buffers.Binary;
using System.Runtime.InteropServices;
using L4Re.Kernel.Abi;

namespace L4Re.Io.Ipc;

/// <summary>
/// Reads values out of the untyped words of a received message the way L4Re's <c>L4::Ipc::Istream</c>
/// does (l4re-core <c>cxx/lib/ipc/include/ipc_stream</c>, <c>l4sys/include/cxx/ipc_basics</c>): the
/// message registers are a byte buffer, each value is aligned to its own alignment, and nothing past the
/// words the tag announces is read — a value that does not fit makes the read fail (the server answers
/// <see cref="L4Error.MsgTooShort"/>). Strings are an <c>unsigned long</c> length (with the terminating
/// zero) followed by the bytes. Little-endian, 64-bit words. Allocation free.
/// </summary>
public ref struct IpcReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _pos;

    /// <summary>Reads the first <paramref name="words"/> words of <paramref name="mrs"/>.</summary>
    public IpcReader(ReadOnlySpan<ulong> mrs, uint words)
    {
        _bytes = MemoryMarshal.AsBytes(mrs[..(int)Math.Min(words, (uint)mrs.Length)]);
        _pos = 0;
    }

    /// <summary>The byte position of the next value.</summary>
    public readonly int Position => _pos;

    private bool Take(int size, int align, out ReadOnlySpan<byte> value)
    {
        var at = (_pos + align - 1) & ~(align - 1);
        if (at + size > _bytes.Length)
        {
            value = default;
            return false;
        }
        value = _bytes.Slice(at, size);
        _pos = at + size;
        return true;
    }

    /// <summary>Reads a machine word (<c>l4_umword_t</c>, <c>l4_mword_t</c>, <c>l4_uint64_t</c>).</summary>
    public bool TryWord(out ulong value)
    {
        var ok = Take(8, 8, out var b);
        value = ok ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
        return ok;
    }

    /// <summary>Reads a 32-bit value (<c>unsigned</c>, <c>int</c>, <c>l4_uint32_t</c>).</summary>
    public bool TryUInt32(out uint value)
    {
        var ok = Take(4, 4, out var b);
        value = ok ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        return ok;
    }

    /// <summary>Reads a 16-bit value.</summary>
    public bool TryUInt16(out ushort value)
    {
        var ok = Take(2, 2, out var b);
        value = ok ? BinaryPrimitives.ReadUInt16LittleEndian(b) : (ushort)0;
        return ok;
    }

    /// <summary>Reads <paramref name="size"/> raw bytes aligned to <paramref name="align"/> (a C struct).</summary>
    public bool TryBytes(int size, int align, out ReadOnlySpan<byte> value) => Take(size, align, out value);

    /// <summary>
    /// Reads an array as <c>L4::Ipc::buf_in</c> does: a length word, then that many bytes. When the bytes do
    /// not fit in the message the array is empty (as L4Re sets the size to 0) but the read succeeds.
    /// </summary>
    public bool TryArray(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryWord(out var len))
            return false;
        if (len <= (ulong)(_bytes.Length - _pos))
            value = _bytes.Slice(_pos, (int)len);
        _pos += (int)Math.Min(len, (ulong)(_bytes.Length - _pos));
        return true;
    }
}
