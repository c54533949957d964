using L4Re.Io.Hw;
using L4Re.Io.Ipc;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Client;

/// <summary>
/// The client side of a vbus capability (libvbus, kernkonzept/io <c>libvbus/lib/src/vbus.cc</c> and
/// <c>libvbus/include/vbus</c>), for a host-driven thread of the client task: every method builds the
/// message the libvbus function sends, calls the vbus (or its ICU) through the capability and decodes the
/// answer. Results are io's error codes; an IPC failure (e.g. the vbus was revoked: the capability no longer
/// names an object) is reported as <c>l4_error</c> does, as <c>-(L4_EIPC_LO + code)</c>, i.e.
/// <see cref="IpcErrorBase"/> + the IPC error code (see <see cref="LastResult"/>).
/// </summary>
public sealed class VbusClient
{
    /// <summary><c>L4_EIPC_LO</c>: IPC errors are reported as this plus the IPC error code.</summary>
    public const int IpcErrorBase = 2000;

    /// <summary><c>L4VBUS_MAX_DEPTH</c>.</summary>
    public const int MaxDepth = 100;

    /// <summary>Creates a client that calls <paramref name="vbus"/> from the host-driven <paramref name="thread"/>.</summary>
    public VbusClient(L4Thread thread, CapSel vbus)
    {
        Thread = thread ?? throw new ArgumentNullException(nameof(thread));
        Vbus = vbus;
    }

    /// <summary>The calling thread (host-driven, in the client's task).</summary>
    public L4Thread Thread { get; }

    /// <summary>The vbus capability.</summary>
    public CapSel Vbus { get; }

    /// <summary>The result of the last call.</summary>
    public IpcResult LastResult { get; private set; }

    /// <summary>The timeouts of every call (default: wait forever, as libvbus does).</summary>
    public TimeoutPair Timeouts { get; set; } = TimeoutPair.Never;

    private Utcb Utcb => Thread.Utcb;

    /// <summary>
    /// Sends <paramref name="tag"/> with the message already in the UTCB to <paramref name="cap"/> and returns
    /// <c>l4_error</c> of the answer. A call nobody answers (e.g. an ICU unmask, which has no reply) is canceled
    /// once the system is idle and reported as a canceled receive.
    /// </summary>
    public L4Error Call(CapSel cap, MsgTag tag)
    {
        LastResult = Thread.Call(cap, tag, Timeouts);
        if (LastResult.IsBlocked)
        {
            // Nobody will ever answer (the system went idle): the real thread would wait forever; cancel the
            // host-driven call so that the thread stays usable.
            Thread.Cancel();
            return (L4Error)(IpcErrorBase + (int)IpcErrorCode.ReCanceled);
        }
        if (LastResult.HasError)
            return (L4Error)(IpcErrorBase + (int)LastResult.ErrorCode);
        return LastResult.Tag.Label < 0 ? (L4Error)(-LastResult.Tag.Label) : L4Error.Ok;
    }

    private L4Error CallVbus(ref IpcWriter w) => Call(Vbus, MsgTag.Of(0, w.Words));

    private IpcWriter Start(VbusDeviceHandle dev, VbusOpcode op)
    {
        Utcb.Bdr = default;
        Utcb.Br[0] = 0;
        var w = new IpcWriter(Utcb.Mr);
        w.Word((ulong)dev.Value);
        w.UInt32((uint)op);
        return w;
    }

    private IpcReader Answer() => new(Utcb.Mr, LastResult.Tag.Words);

    // ---- devices ---------------------------------------------------------------------------------

    /// <summary><c>l4vbus_get_device</c>.</summary>
    public L4Error GetDevice(VbusDeviceHandle dev, out VbusDeviceInfo info) =>
        DeviceAnswer(Call(Vbus, L4Vbus.GetDevice(Utcb, dev)), out info);

    /// <summary><c>l4vbus_get_next_device</c>: the child after <paramref name="child"/> (<see cref="VbusDeviceHandle.Null"/>: the first).</summary>
    public L4Error NextDevice(VbusDeviceHandle parent, ref VbusDeviceHandle child, out VbusDeviceInfo info, int depth = MaxDepth)
    {
        var err = DeviceAnswer(Call(Vbus, L4Vbus.GetNextDevice(Utcb, parent, child, depth)), out info);
        if (err == L4Error.Ok)
            child = info.Handle;
        return err;
    }

    /// <summary><c>l4vbus_get_device_by_hid</c>.</summary>
    public L4Error FindByHid(VbusDeviceHandle parent, ref VbusDeviceHandle child, string hid, out VbusDeviceInfo info, int depth = MaxDepth)
    {
        ArgumentNullException.ThrowIfNull(hid);
        info = default;
        if (hid.Length > 400)
            return L4Error.MsgTooLong;
        var err = DeviceAnswer(Call(Vbus, L4Vbus.GetDeviceByHid(Utcb, parent, child, hid, depth)), out info);
        if (err == L4Error.Ok)
            child = info.Handle;
        return err;
    }

    private L4Error DeviceAnswer(L4Error err, out VbusDeviceInfo info)
    {
        info = default;
        if (err != L4Error.Ok)
            return err;
        return L4Vbus.TryReadDevice(Utcb, LastResult.Tag, out info) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    /// <summary><c>l4vbus_get_hid</c>.</summary>
    public L4Error GetHid(VbusDeviceHandle dev, out string hid)
    {
        hid = "";
        var w = Start(dev, VbusOpcode.GetHid);
        var err = CallVbus(ref w);
        if (err != L4Error.Ok)
            return err;
        var r = Answer();
        if (!r.TryArray(out var bytes))
            return L4Error.MsgTooShort;
        var end = bytes.IndexOf((byte)0);
        hid = System.Text.Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
        return L4Error.Ok;
    }

    /// <summary><c>l4vbus_get_adr</c>.</summary>
    public L4Error GetAdr(VbusDeviceHandle dev, out uint adr)
    {
        adr = 0;
        var w = Start(dev, VbusOpcode.DeviceAdr);
        var err = CallVbus(ref w);
        if (err != L4Error.Ok)
            return err;
        var r = Answer();
        return r.TryUInt32(out adr) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    /// <summary><c>l4vbus_is_compatible</c>.</summary>
    public L4Error IsCompatible(VbusDeviceHandle dev, string cid, out bool compatible)
    {
        ArgumentNullException.ThrowIfNull(cid);
        compatible = false;
        if (cid.Length > 400)
            return L4Error.MsgTooLong;
        var w = Start(dev, VbusOpcode.IsCompatible);
        w.String(cid);
        var err = CallVbus(ref w);
        compatible = err == L4Error.Ok && LastResult.Tag.Label == 1;
        return err;
    }

    /// <summary><c>l4vbus_get_resource</c>.</summary>
    public L4Error GetResource(VbusDeviceHandle dev, uint index, out VbusResource resource)
    {
        resource = default;
        var err = Call(Vbus, L4Vbus.GetResource(Utcb, dev, index));
        if (err != L4Error.Ok)
            return err;
        return L4Vbus.TryReadResource(Utcb, LastResult.Tag, out resource) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    /// <summary>Every device of the vbus (from the root, in enumeration order) with its resources.</summary>
    public L4Error Enumerate(out List<(VbusDeviceInfo Info, string Hid, List<VbusResource> Resources)> devices)
    {
        devices = [];
        var child = VbusDeviceHandle.Null;
        L4Error err;
        while ((err = NextDevice(VbusDeviceHandle.Root, ref child, out var info)) == L4Error.Ok)
        {
            GetHid(child, out var hid);
            var list = new List<VbusResource>();
            for (var i = 0u; i < (uint)info.ResourceCount; i++)
            {
                var e = GetResource(child, i, out var res);
                if (e != L4Error.Ok)
                    return e;
                list.Add(res);
            }
            devices.Add((info, hid, list));
        }
        return err == L4Error.NoDev ? L4Error.Ok : err;
    }

    // ---- resources -------------------------------------------------------------------------------

    /// <summary>
    /// <c>l4vbus_request_ioport</c>: requests the port range in naturally aligned power-of-two pieces, each
    /// received at the same port numbers in the calling task's I/O space. Only <see cref="ResourceType.Port"/>.
    /// </summary>
    public L4Error RequestIoPorts(in Resource ports)
    {
        if (ports.Type != ResourceType.Port)
            return L4Error.Inval;
        var start = ports.Start;
        while (start <= ports.End)
        {
            var order = 0;
            while (order < 16 && (start & ((1UL << (order + 1)) - 1)) == 0 && start + (1UL << (order + 1)) - 1 <= ports.End)
                order++;
            var piece = new Resource(ResourceType.Port, 0, start, start + (1UL << order) - 1, default);
            var err = Call(Vbus, L4Vbus.RequestResource(Utcb, piece));
            Utcb.Br[0] = 0;
            if (err != L4Error.Ok)
                return err;
            var next = start + (1UL << order);
            if (next < start)
                break;
            start = next;
        }
        return L4Error.Ok;
    }

    /// <summary>Sends <c>L4vbus_vbus_request_resource</c> for any resource (io maps only ports; everything else is <c>-L4_ENOENT</c>).</summary>
    public L4Error RequestResource(in Resource resource)
    {
        var err = Call(Vbus, L4Vbus.RequestResource(Utcb, resource));
        Utcb.Br[0] = 0;
        return err;
    }

    /// <summary><c>l4vbus_release_ioport</c> (io does not implement it: <c>-L4_ENOSYS</c>).</summary>
    public L4Error ReleaseResource(in Resource resource)
    {
        var w = Start(VbusDeviceHandle.Root, VbusOpcode.ReleaseResource);
        w.UInt16((ushort)resource.Type);
        w.Word(resource.Start);
        w.Word(resource.End);
        return CallVbus(ref w);
    }

    /// <summary><c>l4vbus_assign_dma_domain</c>: binds (or unbinds) the DMA space <paramref name="dmaSpace"/> (invalid: none is sent).</summary>
    public L4Error AssignDmaDomain(uint domainId, DmaDomainAssignFlags flags, CapSel dmaSpace) =>
        Call(Vbus, L4Vbus.AssignDmaDomain(Utcb, domainId, flags, dmaSpace));

    // ---- the vbus as dataspace: MMIO --------------------------------------------------------------

    /// <summary>
    /// <c>L4Re::Dataspace::map</c> on the vbus: maps the MMIO page(s) at physical address
    /// <paramref name="physicalAddress"/> at <paramref name="localAddress"/> of the calling task — or, with
    /// <paramref name="intoTask"/> (a capability with the W right, e.g. to the client's VM), into that task's
    /// space: the way a VMM passes a device window into its guest's physical address space.
    /// </summary>
    /// <param name="physicalAddress">An address inside one of the vbus's MMIO windows.</param>
    /// <param name="localAddress">Where the page lands (io maps the largest aligned block around the address that fits).</param>
    /// <param name="flags">Rights and caching wanted (<see cref="DataspaceMapFlags"/>).</param>
    /// <param name="intoTask">Forward the mapping into this task or VM instead of the calling task.</param>
    /// <param name="mappedBytes">How many bytes the answer's flexpage covers (0 on error).</param>
    public L4Error MapMmio(ulong physicalAddress, ulong localAddress, DataspaceMapFlags flags, CapSel? intoTask, out ulong mappedBytes)
    {
        mappedBytes = 0;
        var err = Call(Vbus, L4Vbus.MapMmio(Utcb, physicalAddress, localAddress, flags, intoTask));
        Utcb.Br[0] = 0;
        if (err != L4Error.Ok)
            return err;
        mappedBytes = L4Vbus.MappedBytes(Utcb, LastResult.Tag);
        return mappedBytes == 0 ? L4Error.NoMem : L4Error.Ok;
    }

    /// <summary>Maps a whole MMIO window of the vbus at <paramref name="localAddress"/> (or into <paramref name="intoTask"/>) block by block, as page faults on an attached vbus region would.</summary>
    public L4Error MapWindow(in Resource window, ulong localAddress, DataspaceMapFlags flags = DataspaceMapFlags.RW | DataspaceMapFlags.Uncacheable, CapSel? intoTask = null)
    {
        if (window.Type != ResourceType.Mem)
            return L4Error.Inval;
        var page = window.Start & ~0xfffUL;
        var local = localAddress & ~0xfffUL;
        while (page <= window.End)
        {
            var err = MapMmio(page, local, flags, intoTask, out var bytes);
            if (err != L4Error.Ok)
                return err;
            var block = page & ~(bytes - 1);
            var done = block + bytes - page;
            if (page + done < page)
                break;
            page += done;
            local += done;
        }
        return L4Error.Ok;
    }

    /// <summary><c>L4Re::Dataspace::info</c> on the vbus: size and flags of the I/O dataspace.</summary>
    public L4Error DataspaceInfo(out ulong size, out ulong flags)
    {
        size = flags = 0;
        var w = new IpcWriter(Utcb.Mr);
        w.UInt32((uint)DataspaceOp.Info);
        var err = Call(Vbus, MsgTag.Of((ProtocolLabel)L4ReProtocol.Dataspace, w.Words));
        if (err != L4Error.Ok)
            return err;
        var r = Answer();
        return r.TryWord(out size) && r.TryWord(out flags) ? L4Error.Ok : L4Error.MsgTooShort;
    }

    // ---- the ICU --------------------------------------------------------------------------------------

    /// <summary>
    /// Finds the vbus's ICU device (HID <c>L40009</c>) and receives its capability into <paramref name="into"/>
    /// (<c>L4vbus::Icu::vicu</c> = <c>l4vbus_vicu_get_cap</c>), as uvmm's <c>Virt_bus</c> does.
    /// </summary>
    public L4Error GetIcu(CapSel into)
    {
        var icu = VbusDeviceHandle.Null;
        var err = FindByHid(VbusDeviceHandle.Root, ref icu, VirtualBus.IcuHid, out _);
        if (err != L4Error.Ok)
            return err;
        err = Call(Vbus, L4Vbus.GetIcuCapability(Utcb, icu, into));
        Utcb.Br[0] = 0;
        return err;
    }

    /// <summary><c>l4_icu_bind</c> on the vbus ICU <paramref name="icu"/>: binds the IRQ object <paramref name="irq"/> to vbus IRQ <paramref name="number"/>.</summary>
    public L4Error BindIrq(CapSel icu, uint number, CapSel irq) => Call(icu, L4Sys.IcuBind(Utcb, number, irq));

    /// <summary><c>l4_icu_unbind</c>.</summary>
    public L4Error UnbindIrq(CapSel icu, uint number, CapSel irq) => Call(icu, L4Sys.IcuUnbind(Utcb, number, irq));

    /// <summary><c>l4_icu_set_mode</c>.</summary>
    public L4Error SetIrqMode(CapSel icu, uint number, IrqMode mode) => Call(icu, L4Sys.IcuSetMode(Utcb, number, mode));

    /// <summary><c>l4_icu_info</c>: the number of IRQ numbers the ICU has (the highest + 1).</summary>
    public L4Error IcuInfo(CapSel icu, out uint irqs)
    {
        irqs = 0;
        var err = Call(icu, L4Sys.IcuInfo(Utcb));
        if (err == L4Error.Ok)
            irqs = (uint)Utcb.Mr[1];
        return err;
    }
}
