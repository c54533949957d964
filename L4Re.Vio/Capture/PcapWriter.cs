using System.Buffers.Binary;
using L4Re.Vio.Devices.Net;

namespace L4Re.Vio.Capture;

/// <summary>
/// Writes frames in the classic libpcap file format (pcap-savefile(5); IETF draft-ietf-opsawg-pcap): a
/// 24-byte global header (magic 0xa1b2c3d4 little-endian, version 2.4, snap length, link type
/// <see cref="LinkTypeEthernet"/>) followed by one 16-byte record header plus data per frame, microsecond
/// timestamps. tshark, Wireshark and tcpdump read the files. Allocation-free per frame; thread-safe.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>The magic number of a microsecond-resolution pcap file.</summary>
    public const uint Magic = 0xa1b2c3d4;

    /// <summary>LINKTYPE_ETHERNET.</summary>
    public const uint LinkTypeEthernet = 1;

    /// <summary>The size of the global header.</summary>
    public const int FileHeaderSize = 24;

    /// <summary>The size of a record header.</summary>
    public const int RecordHeaderSize = 16;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly TimeProvider _time;
    private readonly byte[] _record;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Starts a capture on <paramref name="stream"/> and writes the global header.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="time">The clock for timestamps (default: the system clock; pass the system's virtual clock for reproducible files).</param>
    /// <param name="snapLength">The most bytes kept per frame (longer frames are truncated, their original length recorded).</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    public PcapWriter(Stream stream, TimeProvider? time = null, int snapLength = 65535, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(snapLength, 14);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(snapLength, 262144);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _time = time ?? TimeProvider.System;
        SnapLength = snapLength;
        _record = new byte[RecordHeaderSize + snapLength];
        Span<byte> header = stackalloc byte[FileHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);   // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        _stream.Write(header);
    }

    /// <summary>Creates (or overwrites) a capture file.</summary>
    public static PcapWriter Create(string path, TimeProvider? time = null, int snapLength = 65535) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), time, snapLength);

    /// <summary>The snap length.</summary>
    public int SnapLength { get; }

    /// <summary>Frames written.</summary>
    public long Frames { get; private set; }

    /// <summary>Writes one frame.</summary>
    public void Write(ReadOnlySpan<byte> frame)
    {
        var reader = FrameReader.FromSpan(frame);
        Write(ref reader);
    }

    /// <summary>Writes the frame <paramref name="frame"/> reads (with its rewrite).</summary>
    public void Write(ref FrameReader frame)
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            var length = frame.Length;
            var captured = frame.Read(_record.AsSpan(RecordHeaderSize, Math.Min(length, SnapLength)));
            var now = _time.GetUtcNow();
            var micros = (now - DateTimeOffset.UnixEpoch).Ticks / 10;
            BinaryPrimitives.WriteUInt32LittleEndian(_record, (uint)(micros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(4), (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(8), (uint)captured);
            BinaryPrimitives.WriteUInt32LittleEndian(_record.AsSpan(12), (uint)length);
            _stream.Write(_record, 0, RecordHeaderSize + captured);
            Frames++;
        }
    }

    /// <summary>Flushes buffered records to the stream.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (!_disposed)
                _stream.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            _stream.Flush();
            if (!_leaveOpen)
                _stream.Dispose();
        }
    }
}
