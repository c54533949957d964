using System.Runtime.CompilerServices;
using L4Re.Kernel.Memory;

namespace L4Re.Vio.Memory;

/// <summary>
/// A translated, bounds-checked window of driver memory: what a descriptor (or a ring area) refers to,
/// resolved to its backing dataspace. Holding one is safe; the bytes are reached only through
/// <see cref="Readable"/> or — for device-writable buffers — <see cref="Writable"/>.
/// </summary>
public readonly struct GuestBuffer
{
    private readonly Dataspace? _dataspace;

    internal GuestBuffer(Dataspace dataspace, int offset, int length, ulong address, bool writable)
    {
        _dataspace = dataspace;
        Offset = offset;
        Length = length;
        Address = address;
        IsWritable = writable;
    }

    /// <summary>The driver address of the first byte.</summary>
    public ulong Address { get; }

    /// <summary>The length in bytes.</summary>
    public int Length { get; }

    /// <summary>The offset of the first byte in the backing dataspace.</summary>
    public int Offset { get; }

    /// <summary>Whether the device may write to the buffer (a device-writable descriptor in a writable region).</summary>
    public bool IsWritable { get; }

    /// <summary>The backing dataspace (null for an empty buffer).</summary>
    internal Dataspace? Dataspace => _dataspace;

    /// <summary>Whether the buffer is empty (zero length or default).</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>The bytes, for reading.</summary>
    public ReadOnlySpan<byte> Readable
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _dataspace is null ? default : _dataspace.Span.Slice(Offset, Length);
    }

    /// <summary>The bytes, for writing; empty when the buffer is not device-writable, so a read-only buffer is never written.</summary>
    public Span<byte> Writable
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _dataspace is null || !IsWritable ? default : _dataspace.Span.Slice(Offset, Length);
    }

    /// <summary>A sub-window of this buffer (bounds checked against this buffer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is outside the buffer.</exception>
    public GuestBuffer Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
            throw new ArgumentOutOfRangeException(nameof(start));
        return _dataspace is null ? default : new GuestBuffer(_dataspace, Offset + start, length, Address + (ulong)start, IsWritable);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Address:x}+{Length}{(IsWritable ? " w" : " r")}";
}
