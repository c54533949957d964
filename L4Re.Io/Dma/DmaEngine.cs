using L4Re.Io.Hw;
using Microsoft.Extensions.Logging;

namespace L4Re.Io.Dma;

/// <summary>
/// The bus-master side of one DMA-capable device: a device model calls <see cref="Read"/> and
/// <see cref="Write"/> with the DMA addresses its driver programmed. With an IOMMU
/// (<see cref="DmaMode.Iommu"/>) every address is translated through the DMA space bound to the
/// domain of the device's vbus; a transfer that touches anything unmapped (or lacks a right) faults as
/// a whole — logged, counted, nothing read or written. Without an IOMMU (<see cref="DmaMode.CpuPhys"/>,
/// the Baikal-T1) addresses are physical and the device reaches all RAM. Transfers allocate nothing.
/// </summary>
public sealed class DmaEngine
{
    private readonly DmaSource _source;
    private readonly DmaMode _mode;
    private readonly PhysicalDmaSpace _memory;
    private readonly ILogger _logger;
    private long _faults;
    private volatile DmaFault? _lastFault;

    internal DmaEngine(HwDevice device, DmaSource source, DmaMode mode, PhysicalDmaSpace memory, ILogger logger)
    {
        Device = device;
        _source = source;
        _mode = mode;
        _memory = memory;
        _logger = logger;
    }

    /// <summary>The device.</summary>
    public HwDevice Device { get; }

    /// <summary>How many transfers were refused.</summary>
    public long FaultCount => Interlocked.Read(ref _faults);

    /// <summary>The most recent refused transfer, or null.</summary>
    public DmaFault? LastFault => _lastFault;

    /// <summary>The device reads <paramref name="destination"/>.Length bytes of memory at <paramref name="dmaAddress"/>.</summary>
    public DmaStatus Read(ulong dmaAddress, Span<byte> destination)
    {
        var space = Resolve(dmaAddress, destination.Length, DmaAccess.Read, out var status);
        if (space is null)
            return status;
        var done = 0;
        while (done < destination.Length)
        {
            space.Translate(dmaAddress + (ulong)done, DmaAccess.Read, out var t);
            var n = (int)Math.Min(t.Length, destination.Length - done);
            t.Dataspace.Span.Slice((int)t.Offset, n).CopyTo(destination[done..]);
            done += n;
        }
        return DmaStatus.Ok;
    }

    /// <summary>The device writes <paramref name="source"/> to memory at <paramref name="dmaAddress"/>.</summary>
    public DmaStatus Write(ulong dmaAddress, ReadOnlySpan<byte> source)
    {
        var space = Resolve(dmaAddress, source.Length, DmaAccess.Write, out var status);
        if (space is null)
            return status;
        var done = 0;
        while (done < source.Length)
        {
            space.Translate(dmaAddress + (ulong)done, DmaAccess.Write, out var t);
            var n = (int)Math.Min(t.Length, source.Length - done);
            source.Slice(done, n).CopyTo(t.Dataspace.Span.Slice((int)t.Offset, n));
            done += n;
        }
        return DmaStatus.Ok;
    }

    /// <summary>
    /// Finds the space the transfer goes through and checks that every byte of it translates; on
    /// failure records the fault and returns null.
    /// </summary>
    private IDmaSpace? Resolve(ulong address, int length, DmaAccess access, out DmaStatus status)
    {
        IDmaSpace? space = _mode == DmaMode.CpuPhys ? _memory : _source.Domain?.Space;
        if (space is null)
            return Fault(address, length, access, address, DmaStatus.NoDmaSpace, out status);
        if (length > 0 && address + (ulong)length - 1 < address)
            return Fault(address, length, access, address, DmaStatus.NotMapped, out status);
        var done = 0L;
        while (done < length)
        {
            var at = address + (ulong)done;
            var s = space.Translate(at, access, out var t);
            if (s != DmaStatus.Ok)
                return Fault(address, length, access, at, s, out status);
            done += t.Length;
        }
        if (_mode == DmaMode.CpuPhys)
            DmaLog.Unchecked(_logger, Device.Name, access, length, address);
        status = DmaStatus.Ok;
        return space;
    }

    private IDmaSpace? Fault(ulong address, int length, DmaAccess access, ulong at, DmaStatus why, out DmaStatus status)
    {
        Interlocked.Increment(ref _faults);
        _lastFault = new DmaFault(Device.Name, address, length, access, at, why);
        DmaLog.Fault(_logger, Device.Name, access, length, address, at, why);
        status = why;
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => $"DMA engine of {Device.Name} ({_mode})";
}

/// <summary>Which DMA domain a device's transfers currently go through (set when a vbus claims the device).</summary>
internal sealed class DmaSource
{
    private volatile DmaDomain? _domain;

    public DmaDomain? Domain
    {
        get => _domain;
        set => _domain = value;
    }
}
