namespace L4Re.Vio.Devices.Net;

/// <summary>
/// Reads the bytes of one Ethernet frame from where it lies — the pieces of a transmit chain in a guest's
/// memory (<see cref="FrameSegments"/>), or a contiguous host buffer — applying a <see cref="VlanMangle"/> on the
/// fly (the <c>copy_pkt</c> state machine of l4vio_switch). A small value type: copy it to read the same frame
/// again (once per destination). Nothing is allocated and the source is read in place.
/// </summary>
public ref struct FrameReader
{
    private ReadOnlySpan<byte> _span;
    private readonly FrameSegments? _segments;
    private int _next;
    private int _rawRemaining;
    private readonly int _rawLength;
    private int _macRemaining;
    private int _tagRemaining;
    private ushort _tci;

    private FrameReader(ReadOnlySpan<byte> first, FrameSegments? segments, int length)
    {
        _span = first;
        _segments = segments;
        _next = 1;
        _rawRemaining = length;
        _rawLength = length;
        _macRemaining = _tagRemaining = 0;
        _tci = 0;
        Mangle = VlanMangle.None;
    }

    /// <summary>A frame in a contiguous buffer.</summary>
    public static FrameReader FromSpan(ReadOnlySpan<byte> frame) => new(frame, null, frame.Length);

    /// <summary>A frame in guest memory.</summary>
    public static FrameReader FromSegments(FrameSegments segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return new(segments[0], segments, (int)Math.Min(int.MaxValue, segments.Length));
    }

    /// <summary>The frame's length as read (after the rewrite).</summary>
    public readonly int Length => Mangle.MangledLength(_rawLength);

    /// <summary>The frame's length before the rewrite.</summary>
    public readonly int RawLength => _rawLength;

    /// <summary>The rewrite applied while reading.</summary>
    public VlanMangle Mangle { get; private set; }

    /// <summary>A copy that reads the frame from its start with <paramref name="mangle"/>.</summary>
    public readonly FrameReader WithMangle(VlanMangle mangle)
    {
        var copy = this;
        copy.Mangle = mangle;
        copy._macRemaining = mangle.IsActive ? 12 : 0;
        copy._tagRemaining = mangle.Delta;
        copy._tci = mangle.Tci;
        return copy;
    }

    /// <summary>The first contiguous bytes of the raw frame (what l4vio's monitor filter sees: the first buffer).</summary>
    public readonly ReadOnlySpan<byte> FirstSegment() => _span;

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes of the (rewritten) frame; 0 at the end.</summary>
    public int Read(Span<byte> destination)
    {
        if (_tagRemaining == 0)
            return ReadRaw(destination);
        var total = 0;
        while (total < destination.Length)
        {
            if (_macRemaining > 0)
            {
                var n = ReadRaw(destination.Slice(total, Math.Min(_macRemaining, destination.Length - total)));
                if (n == 0)
                    break;
                _macRemaining -= n;
                total += n;
            }
            else if (_tagRemaining > 0)
            {
                // 0x81 0x00 TCI(hi) TCI(lo), resumed where a previous call stopped.
                var index = 4 - _tagRemaining;
                destination[total++] = index switch
                {
                    0 => 0x81,
                    1 => 0x00,
                    2 => (byte)(_tci >> 8),
                    _ => (byte)_tci,
                };
                _tagRemaining--;
            }
            else if (_tagRemaining < 0)
            {
                var skipped = SkipRaw(-_tagRemaining);
                if (skipped == 0)
                    break;
                _tagRemaining += skipped;
            }
            else
            {
                var n = ReadRaw(destination[total..]);
                if (n == 0)
                    break;
                total += n;
            }
        }
        return total;
    }

    private int ReadRaw(Span<byte> destination)
    {
        // Fast path: the whole request from the current piece.
        if (destination.Length <= _span.Length && destination.Length <= _rawRemaining)
        {
            _span[..destination.Length].CopyTo(destination);
            _span = _span[destination.Length..];
            _rawRemaining -= destination.Length;
            return destination.Length;
        }
        var done = 0;
        while (done < destination.Length && NextPiece())
        {
            var n = Math.Min(Math.Min(_span.Length, destination.Length - done), _rawRemaining);
            _span[..n].CopyTo(destination[done..]);
            _span = _span[n..];
            _rawRemaining -= n;
            done += n;
        }
        return done;
    }

    private int SkipRaw(int count)
    {
        var done = 0;
        while (done < count && NextPiece())
        {
            var n = Math.Min(Math.Min(_span.Length, count - done), _rawRemaining);
            _span = _span[n..];
            _rawRemaining -= n;
            done += n;
        }
        return done;
    }

    private bool NextPiece()
    {
        if (_rawRemaining <= 0)
            return false;
        while (_span.IsEmpty)
        {
            if (_segments is null || _next >= _segments.Count)
            {
                _rawRemaining = 0;
                return false;
            }
            _span = _segments[_next++];
        }
        return true;
    }
}
