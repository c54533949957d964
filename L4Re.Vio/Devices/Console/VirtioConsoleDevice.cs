using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using L4Re.Vio.Memory;
using L4Re.Vio.Virtio;

namespace L4Re.Vio.Devices.Console;

/// <summary>
/// A virtio-console device with one port (virtio 1.x §5.3, no MULTIPORT; uvmm's <c>virtio_console</c> vdev)
/// whose host side is a pair of <see cref="Pipe"/>s: what the guest transmits appears on
/// <see cref="Output"/>; what the host writes to <see cref="Input"/> is delivered into the guest's receive
/// buffers. Queue 0 is receiveq0 (host to guest), queue 1 transmitq0 (guest to host).
/// </summary>
/// <remarks>
/// Guest output applies back-pressure: while the output pipe is full the transmit queue is left alone and
/// resumes when the host reads. Host input is moved into the guest by <see cref="PumpInput"/> (called on
/// every receive-queue notification) or continuously by <see cref="RunAsync"/>.
/// </remarks>
public sealed class VirtioConsoleDevice : VirtioDevice
{
    /// <summary>The receive queue (host to guest).</summary>
    public const int ReceiveQueue = 0;

    /// <summary>The transmit queue (guest to host).</summary>
    public const int TransmitQueue = 1;

    private const int ConfigLength = 12;
    private readonly Pipe _toGuest;
    private readonly Pipe _fromGuest;
    private readonly SemaphoreSlim _receiveBuffers = new(0, 1);
    private Task<FlushResult>? _flushTask;
    private bool _pumpRunning;

    /// <summary>Creates a console.</summary>
    public VirtioConsoleDevice(DriverMemoryList memory, VirtioConsoleOptions? options = null, ILogger<VirtioConsoleDevice>? logger = null)
        : base(VirtioDeviceId.Console, memory, 2, (options ?? new VirtioConsoleOptions()).QueueSize, ConfigLength, logger)
    {
        options ??= new VirtioConsoleOptions();
        var pipeOptions = options.PipeOptions ?? new PipeOptions(readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.ThreadPool, useSynchronizationContext: false);
        _toGuest = new Pipe(pipeOptions);
        _fromGuest = new Pipe(pipeOptions);
        DeviceFeatures |= VirtioFeatures.IndirectDesc | ConsoleFeatures.EmergencyWrite
            | (options.EventIdx ? VirtioFeatures.EventIdx : 0) | (options.Size is null ? 0 : ConsoleFeatures.Size);
        if (options.Size is { } size)
        {
            Le.U16(Config, 0, size.Columns);
            Le.U16(Config, 2, size.Rows);
        }
        Le.U32(Config, 4, 1); // max_nr_ports
    }

    /// <summary>Where the host writes what the guest will read.</summary>
    public PipeWriter Input => _toGuest.Writer;

    /// <summary>Where the host reads what the guest wrote.</summary>
    public PipeReader Output => _fromGuest.Reader;

    /// <summary>Bytes the guest transmitted.</summary>
    public long BytesFromGuest { get; private set; }

    /// <summary>Bytes delivered into guest receive buffers.</summary>
    public long BytesToGuest { get; private set; }

    /// <summary>Changes the reported size (with VIRTIO_CONSOLE_F_SIZE) and notifies the driver.</summary>
    public void Resize(ushort columns, ushort rows)
    {
        lock (SyncRoot)
        {
            if ((DeviceFeatures & ConsoleFeatures.Size) == 0)
                return;
            Le.U16(Config, 0, columns);
            Le.U16(Config, 2, rows);
            NotifyConfigChanged();
        }
    }

    /// <inheritdoc />
    protected override void OnQueueNotify(Virtqueue queue)
    {
        if (queue.Index == TransmitQueue)
            ProcessAvailable(queue);
        else if (_pumpRunning)
        {
            if (_receiveBuffers.CurrentCount == 0)
                _receiveBuffers.Release();
        }
        else
        {
            PumpInputLocked();
        }
    }

    // While the host has not read enough of the output pipe, the transmit queue waits (back-pressure).
    private bool OutputBlocked => _flushTask is { IsCompleted: false };

    /// <inheritdoc />
    protected override bool HandleChain(Virtqueue queue, DescriptorChain chain)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (OutputBlocked)
        {
            queue.Rewind(1);
            return false;
        }
        var writer = _fromGuest.Writer;
        var copy = chain;
        while (copy.TryNext(out var buffer))
        {
            if (buffer.IsWritable)
                continue; // a transmit buffer has nothing for the device to write; written length stays 0
            var src = buffer.Readable;
            src.CopyTo(writer.GetSpan(src.Length));
            writer.Advance(src.Length);
            BytesFromGuest += src.Length;
        }
        if (copy.Error != VirtqueueError.None)
        {
            DeviceError(queue, copy.Error);
            return false;
        }
        queue.Push(chain.Head, 0);
        FlushOutput();
        return true;
    }

    private void FlushOutput()
    {
        var flush = _fromGuest.Writer.FlushAsync();
        if (flush.IsCompleted)
        {
            flush.GetAwaiter().GetResult();
            return;
        }
        var task = flush.AsTask();
        _flushTask = task;
        _ = ResumeTransmitAsync(task);
    }

    private async Task ResumeTransmitAsync(Task<FlushResult> flush)
    {
        FlushResult result;
        try
        {
            result = await flush.ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return;
        }
        lock (SyncRoot)
        {
            if (_flushTask == flush)
                _flushTask = null;
            if (result.IsCompleted || result.IsCanceled)
                return;
            if (_fromGuest.Writer.UnflushedBytes > 0)
                FlushOutput();
            if (IsRunning && Queues[TransmitQueue].IsReady)
                ProcessAvailable(Queue(TransmitQueue));
        }
    }

    /// <summary>
    /// Moves host input that is already in <see cref="Input"/> into the guest's receive buffers, as far as
    /// buffers are available; returns the number of bytes delivered. Do not mix with <see cref="RunAsync"/>.
    /// </summary>
    public int PumpInput()
    {
        lock (SyncRoot)
            return PumpInputLocked();
    }

    private int PumpInputLocked()
    {
        var reader = _toGuest.Reader;
        if (!IsRunning || !reader.TryRead(out var result))
            return 0;
        var consumed = Deliver(result.Buffer);
        reader.AdvanceTo(result.Buffer.GetPosition(consumed));
        return (int)consumed;
    }

    /// <summary>
    /// Continuously moves host input into the guest until <paramref name="cancellationToken"/> fires or the
    /// host completes <see cref="Input"/>; waits for receive buffers when the guest has none.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _toGuest.Reader;
        lock (SyncRoot)
            _pumpRunning = true;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                long consumed;
                lock (SyncRoot)
                    consumed = IsRunning ? Deliver(result.Buffer) : 0;
                reader.AdvanceTo(result.Buffer.GetPosition(consumed));
                if (result.IsCompleted && consumed == result.Buffer.Length)
                    return;
                if (consumed < result.Buffer.Length)
                    await _receiveBuffers.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (SyncRoot)
                _pumpRunning = false;
        }
    }

    // Copies as much of data as fits into available receive chains; returns the bytes consumed.
    private long Deliver(ReadOnlySequence<byte> data)
    {
        var queue = Queue(ReceiveQueue);
        long consumed = 0;
        var used = false;
        while (consumed < data.Length && queue.IsReady)
        {
            var error = queue.TryPop(out var chain);
            if (error != VirtqueueError.None)
            {
                DeviceError(queue, error);
                return consumed;
            }
            if (!chain.IsValid)
                break;
            var walk = chain;
            long written = 0;
            while (consumed + written < data.Length && walk.TryNext(out var buffer))
            {
                var dst = buffer.Writable;
                if (dst.Length != buffer.Length)
                {
                    DeviceError(queue, VirtqueueError.BadRights);
                    return consumed;
                }
                var piece = data.Slice(consumed + written, Math.Min(dst.Length, data.Length - consumed - written));
                piece.CopyTo(dst);
                written += piece.Length;
            }
            if (walk.Error != VirtqueueError.None)
            {
                DeviceError(queue, walk.Error);
                return consumed;
            }
            queue.Push(chain.Head, (uint)written);
            consumed += written;
            BytesToGuest += written;
            used = true;
            if (written == 0)
                break; // a chain without room: stop rather than spin
        }
        if (used)
            SignalUsed(queue);
        // Ask for a notification when the driver adds the next buffer (avail_event / NO_NOTIFY off).
        queue.EnableDriverNotifications();
        return consumed;
    }

    /// <inheritdoc />
    protected override void OnConfigWrite(int offset, ReadOnlySpan<byte> data)
    {
        // emerg_wr (le32 at offset 8): the character is written out at once (virtio 1.x §5.3.4).
        if (offset != 8 || data.IsEmpty || (NegotiatedFeatures & ConsoleFeatures.EmergencyWrite) == 0)
            return;
        var writer = _fromGuest.Writer;
        writer.GetSpan(1)[0] = data[0];
        writer.Advance(1);
        BytesFromGuest++;
        if (!OutputBlocked)
            FlushOutput();
    }
}
