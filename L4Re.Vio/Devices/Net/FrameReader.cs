using L4Re.Vio.Virtio;

namespace L4Re.Vio.Devices.Net;

/// <summary>
/// Reads the bytes of one Ethernet frame from where it lies — a transmit chain in a guest's memory, or a
/// contiguous host buffer — applying a <see cref="VlanMangle"/> on the fly (the <c>copy_pkt</c> state machine of
/// l4vio_switch). A value type: copy it to read the same frame again (once per destination). Nothing is
/// allocated and the source is read in place.
/// </summary>
public ref struct FrameReader
{
    private ReadOnlySpan<byte> _span;
    private ChainCursor _cursor;
    private readonly bool _chained;
    private long _rawRemaining;
    private readonly int _rawLength;
    private int _macRemaining;
    private int _tagRemaining;
    private ushort _tci;

    private FrameReader(ReadOnlySpan<byte> span, ChainCursor cursor, bool chained, int length)
    {
        _span = span;
        _cursor = cursor;
        _chained = chained;
        _rawRemaining = length;
        _rawLength = length;
        _macRemaining = _tagRemaining = 0;
        _tci = 0;
        Mangle = VlanMangle.None;
    }

    /// <summary>A frame in a contiguous buffer.</summary>
    public static FrameReader FromSpan(ReadOnlySpan<byte> frame) => new(frame, default, false, frame.Length);

    /// <summary>A frame of <paramref name="length"/> bytes starting at <paramref name="cursor"/> (device-readable bytes of a chain).</summary>
    public static FrameReader FromChain(ChainCursor cursor, int length) => new(default, cursor, true, length);

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
        var done = 0;
        while (done < destination.Length && NextPiece())
        {
            var n = Math.Min(_span.Length, destination.Length - done);
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
            var n = Math.Min(_span.Length, count - done);
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
        if (!_span.IsEmpty)
            return true;
        if (!_chained || !_cursor.TryNextSegment((int)Math.Min(int.MaxValue, _rawRemaining), out var segment) || segment.IsWritable)
        {
            _rawRemaining = 0;
            return false;
        }
        _span = segment.Readable;
        return !_span.IsEmpty || NextPiece();
    }

    /// <summary>The first contiguous bytes of the raw frame (what l4vio's monitor filter sees: the first buffer).</summary>
    public readonly ReadOnlySpan<byte> FirstSegment()
    {
        if (!_chained)
            return _span;
        var copy = _cursor;
        return copy.TryNextSegment((int)Math.Min(int.MaxValue, _rawRemaining), out var seg) && !seg.IsWritable ? seg.Readable : default;
    }
}
