using L4Re.Kernel.Memory;
using L4Re.Vio.Memory;

namespace L4Re.Vio.Devices.Net;

/// <summary>
/// Where the bytes of one frame lie in a guest's memory: the device-readable pieces of a transmit chain after
/// the virtio-net header, collected in the single walk that validates the chain. One instance per device, reused
/// for every packet, so taking a packet allocates nothing and the frame is later read in place.
/// </summary>
public sealed class FrameSegments
{
    private readonly Dataspace?[] _dataspaces;
    private readonly int[] _offsets;
    private readonly int[] _lengths;

    internal FrameSegments(int capacity)
    {
        _dataspaces = new Dataspace?[capacity];
        _offsets = new int[capacity];
        _lengths = new int[capacity];
    }

    /// <summary>The number of pieces.</summary>
    public int Count { get; private set; }

    /// <summary>The total length in bytes.</summary>
    public long Length { get; private set; }

    internal void Clear()
    {
        // The dataspace references stay until overwritten: they keep nothing alive that the device does not.
        Count = 0;
        Length = 0;
    }

    /// <summary>Adds <paramref name="buffer"/> from byte <paramref name="skip"/> on (false when the list is full).</summary>
    internal bool Add(GuestBuffer buffer, int skip)
    {
        var length = buffer.Length - skip;
        if (length <= 0)
            return true;
        if (Count == _lengths.Length)
            return false;
        // Frames of one guest come from the same dataspace: skip the store (and its GC write barrier) when the
        // slot already holds it.
        var dataspace = buffer.Dataspace;
        if (!ReferenceEquals(_dataspaces[Count], dataspace))
            _dataspaces[Count] = dataspace;
        _offsets[Count] = buffer.Offset + skip;
        _lengths[Count] = length;
        Count++;
        Length += length;
        return true;
    }

    /// <summary>Piece <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index] =>
        (uint)index < (uint)Count ? _dataspaces[index]!.Span.Slice(_offsets[index], _lengths[index]) : default;
}
