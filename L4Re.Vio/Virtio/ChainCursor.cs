using L4Re.Vio.Memory;

namespace L4Re.Vio.Virtio;

/// <summary>
/// A byte cursor over a descriptor chain: the device-readable bytes followed by the device-writable bytes,
/// in chain order, regardless of how the driver split them into descriptors (virtio 1.x §2.6.4 "Message
/// Framing": the device must not assume a particular arrangement). Use it on a chain that was validated
/// (<see cref="DescriptorChain.Validate"/>); on a walk error it simply ends.
/// </summary>
public struct ChainCursor
{
    private DescriptorChain _chain;
    private GuestBuffer _current;
    private int _position;

    /// <summary>Starts at the first byte of <paramref name="chain"/> (a copy; the original does not move).</summary>
    public ChainCursor(DescriptorChain chain)
    {
        _chain = chain;
        _current = default;
        _position = 0;
    }

    /// <summary>The walk error, if the chain turned out to be bad.</summary>
    public readonly VirtqueueError Error => _chain.Error;

    /// <summary>
    /// The next contiguous piece of at most <paramref name="maxLength"/> bytes: from the current buffer, or
    /// from the next non-empty buffer of the chain. False at the end of the chain.
    /// </summary>
    public bool TryNextSegment(int maxLength, out GuestBuffer segment)
    {
        while (_position >= _current.Length)
        {
            if (!_chain.TryNext(out _current))
            {
                segment = default;
                return false;
            }
            _position = 0;
        }
        var n = Math.Min(maxLength, _current.Length - _position);
        segment = _current.Slice(_position, n);
        _position += n;
        return true;
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length device-readable bytes; stops at the first writable byte.</summary>
    /// <returns>The number of bytes copied.</returns>
    public int Read(Span<byte> destination)
    {
        var done = 0;
        while (done < destination.Length)
        {
            if (!PeekWritable(out var writable) || writable)
                break;
            if (!TryNextSegment(destination.Length - done, out var seg))
                break;
            seg.Readable.CopyTo(destination[done..]);
            done += seg.Length;
        }
        return done;
    }

    /// <summary>Copies <paramref name="source"/> into device-writable bytes; stops at the end of the chain.</summary>
    /// <returns>The number of bytes written.</returns>
    public int Write(ReadOnlySpan<byte> source)
    {
        var done = 0;
        while (done < source.Length && TryNextSegment(source.Length - done, out var seg))
        {
            var dst = seg.Writable;
            if (dst.Length != seg.Length)
                break; // a device-readable byte: never written
            source.Slice(done, seg.Length).CopyTo(dst);
            done += seg.Length;
        }
        return done;
    }

    /// <summary>Advances over <paramref name="count"/> bytes (readable or writable); returns how many were skipped.</summary>
    public long Skip(long count)
    {
        long done = 0;
        while (done < count && TryNextSegment((int)Math.Min(int.MaxValue, count - done), out var seg))
            done += seg.Length;
        return done;
    }

    /// <summary>Whether the next byte is device-writable; false at the end of the chain.</summary>
    public bool PeekWritable(out bool writable)
    {
        while (_position >= _current.Length)
        {
            if (!_chain.TryNext(out _current))
            {
                writable = false;
                return false;
            }
            _position = 0;
        }
        writable = _current.IsWritable;
        return true;
    }
}
