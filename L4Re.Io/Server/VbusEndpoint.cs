using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Io.Ipc;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Objects;
using Microsoft.Extensions.Logging;

namespace L4Re.Io.Server;

/// <summary>
/// The capability side of one vbus: the IPC gate its one client invokes and the handler of what arrives
/// through it — io's <c>System_bus</c> as an <c>L4::Epiface_t&lt;System_bus, L4vbus::Vbus&gt;</c>
/// (kernkonzept/io <c>io/server/src/virt/vbus.cc</c>). Label 0 is the vbus protocol (device handle, opcode,
/// arguments in <c>L4::Ipc::Iostream</c> layout); label <see cref="L4ReProtocol.Dataspace"/> is the vbus as
/// the dataspace of its devices' MMIO windows (offset = physical address; io's <c>op_map</c>); any other
/// label is <see cref="L4Error.BadProto"/>. The vbus's ICU is a second gate (<see cref="VirtualIcu"/>).
/// </summary>
internal sealed partial class VbusEndpoint : IIommuPort
{
    private readonly IoTask _io;
    private readonly IoMemory _memory;
    private readonly Func<VirtualBus, ulong, ulong, bool> _foreignPages;
    private readonly ILogger _logger;
    private readonly Dictionary<DmaSpace, ulong> _dmaSlots = [];

    public VbusEndpoint(VirtualBus bus, IoTask io, IoMemory memory, ISet<uint> boundLines, Func<VirtualBus, ulong, ulong, bool> foreignPages, ILogger logger)
    {
        Bus = bus;
        _io = io;
        _memory = memory;
        _foreignPages = foreignPages;
        _logger = logger;
        Icu = new VirtualIcu(io, bus, boundLines, logger);
    }

    public VirtualBus Bus { get; }

    /// <summary>The longest string a reply carries (63 words minus the length word).</summary>
    private const int MaxString = (Utcb.MaxWords - 1) * 8 - 1;

    public VirtualIcu Icu { get; }

    /// <summary>The task the vbus capability was handed to, or null.</summary>
    public L4Task? Client { get; set; }

    /// <summary>io's slot of the vbus gate (with the D right), or null while not handed out.</summary>
    public ulong? GateSlot { get; set; }

    /// <summary>The vbus gate, or null.</summary>
    public IpcGate? Gate { get; set; }

    // ---- dispatch --------------------------------------------------------------------------------

    /// <summary>Handles one message to the vbus gate.</summary>
    public MsgTag Dispatch(MsgTag tag, Utcb utcb) => tag.Label switch
    {
        L4ReProtocol.Vbus => DispatchVbus(tag, utcb),
        L4ReProtocol.Dataspace => DispatchDataspace(tag, utcb),
        L4ReProtocol.Event or L4ReProtocol.Inhibitor => MsgTag.FromError(L4Error.NoSys), // not modelled
        _ => MsgTag.FromError(L4Error.BadProto),
    };

    private MsgTag DispatchVbus(MsgTag tag, Utcb utcb)
    {
        var r = new IpcReader(utcb.Mr, tag.Words);
        if (!r.TryWord(out var rawHandle) || !r.TryUInt32(out var func))
            return MsgTag.FromError(L4Error.MsgTooShort);
        var handle = new VbusDeviceHandle((long)rawHandle);
        if (Bus.GetDevice(handle, out _) != L4Error.Ok)
            return MsgTag.FromError(L4Error.NoDev); // io's dev_from_id(handle, -L4_ENODEV)
        switch ((VbusInterface)(func >> 26))
        {
            case VbusInterface.Generic:
                return Generic(handle, (VbusOpcode)func, ref r, utcb);
            case VbusInterface.Pm:
                return MsgTag.FromError(L4Error.NoSys); // power management is not modelled
        }
        // The device's features: the root bus handles resources and DMA domains, the ICU hands out its capability.
        if (handle == VbusDeviceHandle.Root)
        {
            return (VbusOpcode)func switch
            {
                VbusOpcode.RequestResource => RequestResource(ref r, utcb),
                VbusOpcode.AssignDmaDomain => AssignDmaDomain(tag, ref r),
                _ => MsgTag.FromError(L4Error.NoSys),
            };
        }
        if (handle == VirtualBus.IcuHandle && (VbusOpcode)func == VbusOpcode.IcuGetCap)
            return IcuCapability(utcb);
        return MsgTag.FromError(L4Error.NoSys);
    }

    private MsgTag Generic(VbusDeviceHandle handle, VbusOpcode op, ref IpcReader r, Utcb utcb)
    {
        var w = new IpcWriter(utcb.Mr);
        L4Error err;
        VbusDeviceInfo info;
        switch (op)
        {
            case VbusOpcode.DeviceHid:
            case VbusOpcode.GetHid:
                Bus.GetHid(handle, out var hid);
                if (hid.Length > MaxString)
                    return MsgTag.FromError(L4Error.MsgTooLong); // io's stream would not hold it either
                w.String(hid);
                return MsgTag.Result(0, w.Words);
            case VbusOpcode.DeviceAdr:
                err = Bus.GetAdr(handle, out var adr);
                if (err != L4Error.Ok)
                    return MsgTag.FromError(err);
                w.UInt32(adr);
                return MsgTag.Result(0, w.Words);
            case VbusOpcode.Get:
                Bus.GetDevice(handle, out info);
                return Device(ref w, info);
            case VbusOpcode.GetNext:
            case VbusOpcode.GetByHid:
            {
                if (!r.TryWord(out var rawChild) || !r.TryUInt32(out _))
                    return MsgTag.FromError(L4Error.MsgTooShort);
                var child = new VbusDeviceHandle((long)rawChild);
                if (op == VbusOpcode.GetNext)
                    err = Bus.NextDevice(handle, ref child, out info);
                else
                {
                    if (!r.TryArray(out var bytes))
                        return MsgTag.FromError(L4Error.MsgTooShort);
                    err = Bus.FindByHid(handle, ref child, bytes.Length <= 1 ? "" : CString(bytes), out info);
                }
                return err != L4Error.Ok ? MsgTag.FromError(err) : Device(ref w, info);
            }
            case VbusOpcode.GetResource:
            {
                if (!r.TryUInt32(out var index))
                    return MsgTag.FromError(L4Error.MsgTooShort);
                err = Bus.GetResource(handle, (int)Math.Min(index, int.MaxValue), out var res);
                if (err != L4Error.Ok)
                    return MsgTag.FromError(err);
                VbusWire.Write(ref w, res);
                return MsgTag.Result(0, w.Words);
            }
            case VbusOpcode.IsCompatible:
            {
                if (!r.TryArray(out var bytes) || bytes.Length == 0)
                    return MsgTag.FromError(L4Error.MsgTooShort);
                err = Bus.IsCompatible(handle, CString(bytes), out var yes);
                return err != L4Error.Ok ? MsgTag.FromError(err) : MsgTag.Result(yes ? 1 : 0);
            }
            default:
                return MsgTag.FromError(L4Error.NoSys);
        }
    }

    private static MsgTag Device(ref IpcWriter w, in VbusDeviceInfo info)
    {
        w.Word((ulong)info.Handle.Value);
        VbusWire.Write(ref w, info);
        return MsgTag.Result(0, w.Words);
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
    }

    // ---- resources ---------------------------------------------------------------------------------

    /// <summary>
    /// io's <c>System_bus::request_resource</c>: an I/O port range inside one of the vbus's port resources is
    /// answered with an I/O flexpage (the largest power of two that fits, aligned); anything else — found or
    /// not — is <see cref="L4Error.NoEnt"/>: MMIO goes through the dataspace interface.
    /// </summary>
    private MsgTag RequestResource(ref IpcReader r, Utcb utcb)
    {
        if (!VbusWire.TryRead(ref r, out var req))
            return MsgTag.FromError(L4Error.MsgTooShort);
        var res = req.Resource;
        var err = Bus.RequestResource(res);
        if (err != L4Error.Ok)
            return MsgTag.FromError(err);
        if (res.Type != ResourceType.Port)
            return MsgTag.FromError(L4Error.NoEnt);
        if (res.End >= 1UL << Fpage.WholeIoSpace)
            return MsgTag.FromError(L4Error.Range);
        var size = res.End + 1 - res.Start;
        var order = 63 - System.Numerics.BitOperations.LeadingZeroCount(size);
        while (order > 0 && (res.Start & ((1UL << order) - 1)) != 0)
            order--; // never more than asked: an unaligned start gets a smaller flexpage
        var fp = Fpage.Io(res.Start, order);
        if (_io.Task.IoPorts!.Lookup(res.Start) is null && !_io.Task.Map(_io.Kernel.Sigma0, fp, res.Start << Fpage.AddressShift).IsOk)
            return MsgTag.FromError(L4Error.NoMem);
        utcb.Mr[0] = SndItem.Map(res.Start << Fpage.AddressShift).Raw;
        utcb.Mr[1] = fp.Raw;
        return MsgTag.Result(0, 0, 1);
    }

    /// <summary>io's <c>System_bus::assign_dma_domain</c> (needs the DMA space as a capability item).</summary>
    private MsgTag AssignDmaDomain(MsgTag tag, ref IpcReader r)
    {
        if (tag.Items == 0)
            return MsgTag.FromError(L4Error.Inval);
        if (tag.Words > Utcb.MaxWords - 2)
            return MsgTag.FromError(L4Error.MsgTooLong);
        r.TryUInt32(out var id);
        r.TryUInt32(out var flags);
        var received = _io.Received;
        if (received is null)
            return MsgTag.FromError(L4Error.Inval);
        // A kernel object that is not a DMA space cannot be bound by the IOMMU (L4_EINVAL).
        var space = received as DmaSpace;
        // io keeps a capability to a space it binds (the IOMMU call names it) while it is bound.
        if (space is not null && (flags & (uint)DmaDomainAssignFlags.Bind) != 0 && !_dmaSlots.ContainsKey(space))
            _dmaSlots[space] = _io.KeepReceived();
        var err = Bus.AssignDmaDomain(id, (DmaDomainAssignFlags)flags, space, this);
        if (space is not null && !IsBound(space) && _dmaSlots.Remove(space, out var slot))
            _io.Release(slot);
        return MsgTag.FromError(err);
    }

    /// <inheritdoc />
    L4Error IIommuPort.Bind(uint sourceId, DmaSpace space) => _io.Iommu(bind: true, sourceId, _dmaSlots[space]);

    /// <inheritdoc />
    L4Error IIommuPort.Unbind(uint sourceId, DmaSpace space) =>
        _dmaSlots.TryGetValue(space, out var slot) ? _io.Iommu(bind: false, sourceId, slot) : L4Error.Inval;

    private bool IsBound(DmaSpace space) =>
        Bus.DmaDomains is { } set && (ReferenceEquals(set.Space, space) || set.Domains.Any(d => ReferenceEquals(d.Space, space)));

    /// <summary>io's <c>Sw_icu::dispatch</c> for <c>L4vbus_vicu_get_cap</c>: the ICU gate as a capability item.</summary>
    private MsgTag IcuCapability(Utcb utcb)
    {
        if (Icu.GateSlot is not { } slot)
        {
            var gate = _io.Kernel.RootFactory.CreateGate(_io.Server, IcuLabel, $"{Bus.Name}-icu");
            Icu.GateSlot = slot = _io.Insert(gate, CapRights.RWSD);
        }
        utcb.Mr[0] = SndItem.MapObj().Raw;
        utcb.Mr[1] = Fpage.Obj(CapSel.FromIndex(slot), CapRights.RWS).Raw;
        return MsgTag.Result(0, 0, 1);
    }

    /// <summary>The label of the vbus gate (set by the server).</summary>
    public ulong Label { get; init; }

    /// <summary>The label of the ICU gate.</summary>
    public ulong IcuLabel => Label + 4;

    // ---- the vbus as a dataspace ---------------------------------------------------------------------

    private MsgTag DispatchDataspace(MsgTag tag, Utcb utcb)
    {
        var r = new IpcReader(utcb.Mr, tag.Words);
        if (!r.TryUInt32(out var op))
            return MsgTag.FromError(L4Error.MsgTooShort);
        switch ((DataspaceOp)op)
        {
            case DataspaceOp.Map:
                if (!r.TryWord(out var offset) || !r.TryWord(out var spot) || !r.TryWord(out var flags))
                    return MsgTag.FromError(L4Error.MsgTooShort);
                return Map(offset, spot, (DataspaceMapFlags)flags, utcb);
            case DataspaceOp.Info:
            {
                // io's op_info: the whole address range, read-write.
                var w = new IpcWriter(utcb.Mr);
                w.Word(ulong.MaxValue & ~0xfffUL);
                w.Word((ulong)DataspaceMapFlags.RW);
                return MsgTag.Result(0, w.Words);
            }
            case DataspaceOp.Allocate:
            case DataspaceOp.MapInfo:
                return MsgTag.Result(0);
            default:
                return MsgTag.FromError(L4Error.NoSys);
        }
    }

    /// <summary>
    /// io's <c>System_bus::op_map</c>: the MMIO window of the vbus that contains <paramref name="offset"/> (a
    /// physical address) is answered with a memory flexpage of io's I/O memory — the largest naturally aligned
    /// block that starts at the offset's page, stays inside the window's pages and fits the client's
    /// <paramref name="spot"/>, with rights from the resource (<c>R</c> → read and execute, <c>W</c> → write) and
    /// the caching the client asked for, reduced to what the window allows (cached only if cacheable,
    /// buffered only if prefetchable, uncached otherwise). No window: <see cref="L4Error.Range"/>.
    /// </summary>
    private MsgTag Map(ulong offset, ulong spot, DataspaceMapFlags flags, Utcb utcb)
    {
        if (Bus.FindContaining(new Resource(ResourceType.Mem, 0, offset, offset, default)) is not { } found)
            return MsgTag.FromError(L4Error.Range);
        var window = found.Resource;
        var (_, last) = IoMemory.Pages(window);
        var page = offset >> Fpage.PageOrder;
        if (_foreignPages(Bus, page, page))
        {
            LogForeignPage(_logger, Bus.Name, page << Fpage.PageOrder);
            return MsgTag.FromError(L4Error.Perm);
        }
        var order = MaxOrder(page, page, last, spot >> Fpage.PageOrder); // io: l4_fpage_max_order(addr, addr, ...)
        while (order > 0 && _foreignPages(Bus, page & ~((1UL << order) - 1), (page | ((1UL << order) - 1))))
            order--;
        var block = page & ~((1UL << order) - 1);
        var err = _memory.MapInto(window, block, block + (1UL << order) - 1);
        if (err != L4Error.Ok)
            return MsgTag.FromError(err);
        var rights = ((window.MemFlags & MemFlags.R) != 0 ? MemRights.RX : 0) | ((window.MemFlags & MemFlags.W) != 0 ? MemRights.W : 0);
        var fp = Fpage.Memory(block << Fpage.PageOrder, order + Fpage.PageOrder, rights);
        utcb.Mr[0] = SndItem.Map(spot & ~0xfffUL, (byte)Caching(flags, window.MemFlags)).Raw;
        utcb.Mr[1] = fp.Raw;
        return MsgTag.Result(0, 0, 1);
    }

    /// <summary>The caching of an MMIO mapping: the least common denominator of request and resource (io's <c>op_map</c>).</summary>
    internal static FpageCacheability Caching(DataspaceMapFlags requested, MemFlags window) => (requested & DataspaceMapFlags.CachingMask) switch
    {
        DataspaceMapFlags.None when (window & MemFlags.Cacheable) != 0 => FpageCacheability.Cacheable,
        DataspaceMapFlags.None or DataspaceMapFlags.Bufferable when (window & (MemFlags.Prefetchable | MemFlags.Cacheable)) != 0 => FpageCacheability.Bufferable,
        _ => FpageCacheability.CacheOpt,
    };

    /// <summary>
    /// <c>l4_fpage_max_order</c> in pages: the largest order whose naturally aligned block around
    /// <paramref name="page"/> lies in [<paramref name="min"/>, <paramref name="max"/>] and keeps the same offset
    /// to <paramref name="hotSpot"/> (so that it can be mapped at the client's spot). io passes the requested
    /// page as the minimum, so nothing below it is mapped; unlike io (which bounds the block by the page plus
    /// the window's size) the maximum here is the window's last page, so nothing beyond the window is.
    /// </summary>
    internal static int MaxOrder(ulong page, ulong min, ulong max, ulong hotSpot)
    {
        var order = 0;
        while (order < 40)
        {
            var mask = (1UL << (order + 1)) - 1;
            var start = page & ~mask;
            if (start < min || start + mask > max || ((page ^ hotSpot) & mask) != 0)
                break;
            order++;
        }
        return order;
    }

    // ---- revocation -----------------------------------------------------------------------------------

    /// <summary>
    /// Revokes everything derived from this vbus: every mapping of its MMIO frames and I/O ports below io's
    /// own (the client's, a VM's the client filled, anyone's the client passed them on to), every IRQ bound
    /// through its ICU, every DMA space bound to its domains; deletes its gates so the client's capability
    /// becomes invalid.
    /// </summary>
    public void Revoke()
    {
        Icu.Revoke();
        foreach (var node in _io.Task.Memory.Enumerate().ToList())
            if (InWindow(node.VirtualPage, ResourceType.Mem))
                _io.Task.Unmap(Fpage.Memory(node.VirtualPage << Fpage.PageOrder, Fpage.PageOrder, MemRights.RWX), UnmapFlags.OtherSpaces);
        foreach (var node in _io.Task.IoPorts!.Enumerate().ToList())
            if (InWindow(node.VirtualPage, ResourceType.Port))
                _io.Task.Unmap(Fpage.Io(node.VirtualPage, 0), UnmapFlags.OtherSpaces);
        Bus.DmaDomains?.Revoke();
        foreach (var slot in _dmaSlots.Values)
            _io.Release(slot);
        _dmaSlots.Clear();
        if (GateSlot is { } g)
            _io.Delete(g);
        GateSlot = null;
        Gate = null;
        Client = null;
    }

    private bool InWindow(ulong unit, ResourceType type)
    {
        foreach (var d in Bus.Devices)
            foreach (var r in d.Resources)
            {
                if (r.Resource.Type != type)
                    continue;
                var (first, last) = type == ResourceType.Mem ? IoMemory.Pages(r.Resource) : (r.Resource.Start, r.Resource.End);
                if (unit >= first && unit <= last)
                    return true;
            }
        return false;
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
        Message = "vbus {Vbus}: page 0x{Page:x} also holds a window of a device on another vbus; not mapped")]
    private static partial void LogForeignPage(ILogger logger, string vbus, ulong page);
}
