using L4Re.Io.Hw;
using L4Re.Kernel.Objects;
using Microsoft.Extensions.Logging;

namespace L4Re.Io.Dma;

/// <summary>
/// The bus-master side of one DMA-capable device: a device model calls <see cref="Read"/> and
/// <see cref="Write"/> with the DMA addresses its driver programmed. With an IOMMU
/// (<see cref="DmaMode.Iommu"/>) every address is translated through the kernel DMA space the kernel's
/// <see cref="Iommu"/> has bound to the device's source id (its DMA domain number) — io binds it when the
/// vbus client assigns its DMA space, and unbinds it when the vbus is revoked; a transfer that touches
/// anything unmapped (or lacks a right) faults as a whole — logged, counted, nothing read or written.
/// Without an IOMMU (<see cref="DmaMode.CpuPhys"/>, the Baikal-T1) addresses are physical and the device
/// reaches all RAM of the kernel's physical memory. Transfers allocate nothing.
/// </summary>
public sealed class DmaEngine
{
    private readonly DmaMode _mode;
    private readonly PhysicalDmaSpace _physical;
    private readonly Iommu _iommu;
    private readonly ILogger _logger;
    private long _faults;
    private volatile DmaFault? _lastFault;

    internal DmaEngine(HwDevice device, DmaDomain domain, DmaMode mode, PhysicalDmaSpace physical, Iommu iommu, ILogger logger)
    {
        Device = device;
        Domain = domain;
        _mode = mode;
        _physical = physical;
        _iommu = iommu;
        _logger = logger;
    }

    /// <summary>The device.</summary>
    public HwDevice Device { get; }

    /// <summary>The device's hardware DMA domain (with an IOMMU its number is the device's source id).</summary>
    public DmaDomain Domain { get; }

    /// <summary>How many transfers were refused.</summary>
    public long FaultCount => Interlocked.Read(ref _faults);

    /// <summary>The most recent refused transfer, or null.</summary>
    public DmaFault? LastFault => _lastFault;

    /// <summary>The device reads <paramref name="destination"/>.Length bytes of memory at <paramref name="dmaAddress"/>.</summary>
    public DmaStatus Read(ulong dmaAddress, Span<byte> destination)
    {
        if (!Resolve(dmaAddress, destination.Length, DmaAccess.Read, out var space, out var status))
            return status;
        var done = 0;
        while (done < destination.Length)
        {
            Translate(space, dmaAddress + (ulong)done, DmaAccess.Read, out var t);
            var n = (int)Math.Min(t.Length, destination.Length - done);
            t.Dataspace.Span.Slice((int)t.Offset, n).CopyTo(destination[done..]);
            done += n;
        }
        return DmaStatus.Ok;
    }

    /// <summary>The device writes <paramref name="source"/> to memory at <paramref name="dmaAddress"/>.</summary>
    public DmaStatus Write(ulong dmaAddress, ReadOnlySpan<byte> source)
    {
        if (!Resolve(dmaAddress, source.Length, DmaAccess.Write, out var space, out var status))
            return status;
        var done = 0;
        while (done < source.Length)
        {
            Translate(space, dmaAddress + (ulong)done, DmaAccess.Write, out var t);
            var n = (int)Math.Min(t.Length, source.Length - done);
            source.Slice(done, n).CopyTo(t.Dataspace.Span.Slice((int)t.Offset, n));
            done += n;
        }
        return DmaStatus.Ok;
    }

    private DmaStatus Translate(DmaSpace? space, ulong address, DmaAccess access, out DmaTarget target) =>
        space is null ? _physical.Translate(address, access, out target) : KernelDmaSpace.Translate(space, address, access, out target);

    /// <summary>
    /// Finds the space the transfer goes through (null: physical memory) and checks that every byte of it
    /// translates; on failure records the fault.
    /// </summary>
    private bool Resolve(ulong address, int length, DmaAccess access, out DmaSpace? space, out DmaStatus status)
    {
        space = null;
        if (_mode == DmaMode.Iommu)
        {
            space = _iommu.Lookup(Domain.Id);
            if (space is null || space.IsDeleted)
                return Fault(address, length, access, address, DmaStatus.NoDmaSpace, out status);
        }
        if (length > 0 && address + (ulong)length - 1 < address)
            return Fault(address, length, access, address, DmaStatus.NotMapped, out status);
        var done = 0L;
        while (done < length)
        {
            var at = address + (ulong)done;
            var s = Translate(space, at, access, out var t);
            if (s != DmaStatus.Ok)
                return Fault(address, length, access, at, s, out status);
            done += t.Length;
        }
        if (_mode == DmaMode.CpuPhys)
            DmaLog.Unchecked(_logger, Device.Name, access, length, address);
        status = DmaStatus.Ok;
        return true;
    }

    private bool Fault(ulong address, int length, DmaAccess access, ulong at, DmaStatus why, out DmaStatus status)
    {
        Interlocked.Increment(ref _faults);
        _lastFault = new DmaFault(Device.Name, address, length, access, at, why);
        DmaLog.Fault(_logger, Device.Name, access, length, address, at, why);
        status = why;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => $"DMA engine of {Device.Name} ({_mode})";
}
