using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using L4Re.Vio.Devices.Net;

namespace L4Re.Vio.Switch;

/// <summary>
/// A switch port whose client is .NET code, over a pair of <see cref="Pipe"/>s. Frames travel as a 4-byte
/// big-endian length followed by the Ethernet frame — the stream framing of QEMU's <c>-netdev stream</c> /
/// <c>socket</c> backends (qemu net/stream.c), so a pipe can be bridged to a socket. The host writes frames to
/// <see cref="Input"/> and calls <see cref="Kick"/> (or uses <see cref="SendAsync"/>); frames for the host
/// appear on <see cref="Output"/> (or through <see cref="ReceiveAsync"/>).
/// </summary>
/// <remarks>
/// Bad framing (a length of 0 or above <see cref="MaxFrameLength"/>) is a clear failure: the input pipe is
/// completed with an <see cref="InvalidDataException"/> the writer sees on its next flush, and the port stops
/// taking input. When the host does not read <see cref="Output"/>, deliveries are dropped (counted as
/// <c>tx_dropped</c>) until it does — the switch never waits for the host.
/// </remarks>
public sealed class HostPort : SwitchPort
{
    /// <summary>The largest frame accepted in either direction.</summary>
    public const int MaxFrameLength = 65535;

    /// <summary>The size of the length prefix.</summary>
    public const int PrefixLength = 4;

    private readonly Pipe _toSwitch;
    private readonly Pipe _fromSwitch;
    private readonly byte[] _scratch = new byte[MaxFrameLength];
    private SequencePosition _frameEnd;
    private bool _holding;
    private bool _failed;
    private bool _unflushed;
    private Task<FlushResult>? _flushTask;

    internal HostPort(string name, MacAddress mac, PipeOptions? pipeOptions)
        : base(name, mac)
    {
        var options = pipeOptions ?? new PipeOptions(readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.ThreadPool, useSynchronizationContext: false);
        _toSwitch = new Pipe(options);
        _fromSwitch = new Pipe(options);
    }

    /// <summary>Where the host writes frames for the switch (length-prefixed).</summary>
    public PipeWriter Input => _toSwitch.Writer;

    /// <summary>Where the host reads frames from the switch (length-prefixed).</summary>
    public PipeReader Output => _fromSwitch.Reader;

    /// <summary>Tells the switch that frames were written to <see cref="Input"/>; the switch takes them now.</summary>
    public void Kick() => Switch?.Notify(this);

    /// <summary>Writes one frame to <see cref="Input"/>, flushes and kicks the switch.</summary>
    /// <exception cref="ArgumentException">The frame is empty or longer than <see cref="MaxFrameLength"/>.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
    {
        if (frame.IsEmpty || frame.Length > MaxFrameLength)
            throw new ArgumentException($"a frame has 1..{MaxFrameLength} bytes", nameof(frame));
        var writer = _toSwitch.Writer;
        var span = writer.GetSpan(PrefixLength + frame.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)frame.Length);
        frame.Span.CopyTo(span[PrefixLength..]);
        writer.Advance(PrefixLength + frame.Length);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        Kick();
    }

    /// <summary>
    /// Reads the next frame from <see cref="Output"/> into <paramref name="destination"/> and returns its length,
    /// or 0 when the switch side completed. Waits until a frame is there.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small for the frame.</exception>
    public async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var reader = _fromSwitch.Reader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= PrefixLength)
            {
                var length = (int)Math.Min(int.MaxValue, ReadPrefix(buffer));
                if (buffer.Length >= PrefixLength + (long)length)
                {
                    if (length > destination.Length)
                    {
                        reader.AdvanceTo(buffer.Start);
                        throw new ArgumentException($"the frame has {length} bytes", nameof(destination));
                    }
                    buffer.Slice(PrefixLength, length).CopyTo(destination.Span);
                    reader.AdvanceTo(buffer.GetPosition(PrefixLength + length));
                    return length;
                }
            }
            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                return 0;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static uint ReadPrefix(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        return BinaryPrimitives.ReadUInt32BigEndian(prefix);
    }

    internal override bool TryTakeRequest(out NetTransmit request)
    {
        request = default;
        if (_failed || _holding)
            return false;
        var reader = _toSwitch.Reader;
        if (!reader.TryRead(out var result))
            return false;
        var buffer = result.Buffer;
        if (buffer.Length < PrefixLength)
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            return false;
        }
        var length = ReadPrefix(buffer);
        if (length == 0 || length > MaxFrameLength)
        {
            _failed = true;
            Statistics.RxDropped++;
            reader.AdvanceTo(buffer.End);
            reader.Complete(new InvalidDataException($"host port '{Name}': frame length {length} is not in 1..{MaxFrameLength}"));
            return false;
        }
        if (buffer.Length < PrefixLength + length)
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            return false;
        }
        var frame = buffer.Slice(PrefixLength, length);
        ReadOnlyMemory<byte> data;
        if (frame.IsSingleSegment)
        {
            data = frame.First;
        }
        else
        {
            frame.CopyTo(_scratch);
            data = _scratch.AsMemory(0, (int)length);
        }
        _frameEnd = frame.End;
        _holding = true;
        request = new NetTransmit(data);
        return true;
    }

    internal override void CompleteRequest(in NetTransmit request)
    {
        if (!_holding)
            return;
        _holding = false;
        _toSwitch.Reader.AdvanceTo(_frameEnd);
    }

    internal override bool EnableNotifications()
    {
        if (_failed || _holding || !_toSwitch.Reader.TryRead(out var result))
            return false;
        var buffer = result.Buffer;
        var complete = false;
        if (buffer.Length >= PrefixLength)
        {
            var length = ReadPrefix(buffer);
            complete = length == 0 || length > MaxFrameLength || buffer.Length >= PrefixLength + length;
        }
        _toSwitch.Reader.AdvanceTo(buffer.Start, buffer.End);
        return complete;
    }

    internal override DeliveryResult Deliver(SwitchPort source, ref FrameReader frame, NetHeader header)
    {
        if (_flushTask is { IsCompleted: false })
            return DeliveryResult.Dropped;
        var length = frame.Length;
        if (length > MaxFrameLength)
            return DeliveryResult.Dropped;
        var writer = _fromSwitch.Writer;
        var span = writer.GetSpan(PrefixLength + length);
        var n = frame.Read(span.Slice(PrefixLength, length));
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)n);
        writer.Advance(PrefixLength + n);
        _unflushed = true;
        return DeliveryResult.Delivered;
    }

    internal override void EndDeliveries()
    {
        if (!_unflushed || _flushTask is { IsCompleted: false })
            return;
        _unflushed = false;
        var flush = _fromSwitch.Writer.FlushAsync();
        if (flush.IsCompleted)
            flush.GetAwaiter().GetResult();
        else
            _flushTask = flush.AsTask();
    }

    internal override void OnRemoved()
    {
        _fromSwitch.Writer.Complete();
        if (!_failed)
            _toSwitch.Reader.Complete();
    }
}
