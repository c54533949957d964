using L4Re.Io.Hw;
using L4Re.Io.Ipc;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Ipc;
using L4Re.Kernel.Native;

namespace L4Re.Io.Client;

/// <summary>
/// Message builders and answer readers of the vbus protocol, as libvbus's functions write and read them
/// (kernkonzept/io <c>libvbus/lib/src/vbus.cc</c>): each builder fills the UTCB (message and receive
/// buffers) and returns the tag to send to the vbus capability — usable from any caller, a native program
/// (<c>await ctx.Call(vbus, L4Vbus.GetResource(ctx.Utcb, dev, 0))</c>) or a host-driven thread
/// (<see cref="VbusClient"/> does exactly that).
/// </summary>
public static class L4Vbus
{
    private static IpcWriter Start(Utcb utcb, VbusDeviceHandle dev, VbusOpcode op)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        utcb.Bdr = default;
        utcb.Br[0] = 0;
        var w = new IpcWriter(utcb.Mr);
        w.Word((ulong)dev.Value);
        w.UInt32((uint)op);
        return w;
    }

    private static MsgTag Tag(in IpcWriter w, uint items = 0) => MsgTag.Of(0, w.Words, items);

    /// <summary><c>l4vbus_get_device</c>; read the answer with <see cref="TryReadDevice"/>.</summary>
    public static MsgTag GetDevice(Utcb utcb, VbusDeviceHandle dev)
    {
        var w = Start(utcb, dev, VbusOpcode.Get);
        return Tag(w);
    }

    /// <summary><c>l4vbus_get_next_device</c>; read the answer with <see cref="TryReadDevice"/>.</summary>
    public static MsgTag GetNextDevice(Utcb utcb, VbusDeviceHandle parent, VbusDeviceHandle child, int depth = VbusClient.MaxDepth)
    {
        var w = Start(utcb, parent, VbusOpcode.GetNext);
        w.Word((ulong)child.Value);
        w.UInt32((uint)depth);
        return Tag(w);
    }

    /// <summary><c>l4vbus_get_device_by_hid</c> (a HID of at most 400 characters); read the answer with <see cref="TryReadDevice"/>.</summary>
    /// <exception cref="ArgumentException">The HID is longer than 400 characters.</exception>
    public static MsgTag GetDeviceByHid(Utcb utcb, VbusDeviceHandle parent, VbusDeviceHandle child, string hid, int depth = VbusClient.MaxDepth)
    {
        ArgumentNullException.ThrowIfNull(hid);
        if (hid.Length > 400)
            throw new ArgumentException("a HID of more than 400 characters does not fit into a message", nameof(hid));
        var w = Start(utcb, parent, VbusOpcode.GetByHid);
        w.Word((ulong)child.Value);
        w.UInt32((uint)depth);
        w.String(hid);
        return Tag(w);
    }

    /// <summary>Reads the handle and <c>l4vbus_device_t</c> of a <c>get</c>/<c>get_next</c>/<c>get_by_hid</c> answer.</summary>
    public static bool TryReadDevice(Utcb utcb, MsgTag answer, out VbusDeviceInfo info)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        info = default;
        var r = new IpcReader(utcb.Mr, answer.Words);
        return r.TryWord(out var raw) && VbusWire.TryRead(ref r, new VbusDeviceHandle((long)raw), out info);
    }

    /// <summary><c>l4vbus_get_resource</c>; read the answer with <see cref="TryReadResource"/>.</summary>
    public static MsgTag GetResource(Utcb utcb, VbusDeviceHandle dev, uint index)
    {
        var w = Start(utcb, dev, VbusOpcode.GetResource);
        w.UInt32(index);
        return Tag(w);
    }

    /// <summary>Reads the <c>l4vbus_resource_t</c> of a <c>get_resource</c> answer.</summary>
    public static bool TryReadResource(Utcb utcb, MsgTag answer, out VbusResource resource)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        var r = new IpcReader(utcb.Mr, answer.Words);
        return VbusWire.TryRead(ref r, out resource);
    }

    /// <summary><c>request_resource</c> of <paramref name="resource"/>; for a port range also the I/O receive window at the same ports.</summary>
    public static MsgTag RequestResource(Utcb utcb, in Resource resource)
    {
        var w = Start(utcb, VbusDeviceHandle.Root, VbusOpcode.RequestResource);
        VbusWire.Write(ref w, new VbusResource(resource, VbusDeviceHandle.Root));
        var size = resource.End - resource.Start + 1;
        if (resource.Type == ResourceType.Port && size != 0 && (size & (size - 1)) == 0 && resource.End < 1UL << Fpage.WholeIoSpace)
        {
            utcb.Br[0] = BufItem.Map().Raw;
            utcb.Br[1] = Fpage.Io(resource.Start, System.Numerics.BitOperations.Log2(size)).Raw;
            utcb.Br[2] = 0;
        }
        return Tag(w);
    }

    /// <summary><c>l4vbus_assign_dma_domain</c>: the DMA space goes as a capability item unless invalid.</summary>
    public static MsgTag AssignDmaDomain(Utcb utcb, uint domainId, DmaDomainAssignFlags flags, CapSel dmaSpace)
    {
        var w = Start(utcb, VbusDeviceHandle.Root, VbusOpcode.AssignDmaDomain);
        w.UInt32(domainId);
        w.UInt32((uint)flags);
        if (dmaSpace.IsInvalid)
            return Tag(w);
        utcb.Mr[(int)w.Words] = SndItem.MapObj().Raw;
        utcb.Mr[(int)w.Words + 1] = Fpage.Obj(dmaSpace, CapRights.RWS).Raw;
        return Tag(w, 1);
    }

    /// <summary><c>l4vbus_vicu_get_cap</c> on the ICU device <paramref name="icu"/>, receiving into <paramref name="into"/>.</summary>
    public static MsgTag GetIcuCapability(Utcb utcb, VbusDeviceHandle icu, CapSel into)
    {
        var w = Start(utcb, icu, VbusOpcode.IcuGetCap);
        L4Sys.ReceiveCapability(utcb, into);
        return Tag(w);
    }

    /// <summary>
    /// <c>L4Re::Dataspace::map</c> on the vbus: the MMIO page at <paramref name="physicalAddress"/> at
    /// <paramref name="localAddress"/> of the caller's task, or of <paramref name="intoTask"/> (forwarded).
    /// </summary>
    public static MsgTag MapMmio(Utcb utcb, ulong physicalAddress, ulong localAddress, DataspaceMapFlags flags, CapSel? intoTask = null)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        var w = new IpcWriter(utcb.Mr);
        w.UInt32((uint)DataspaceOp.Map);
        w.Word(physicalAddress);
        w.Word(localAddress);
        w.Word((ulong)flags);
        utcb.Bdr = default;
        utcb.Br[0] = BufItem.Map(forwardMappings: intoTask is not null).Raw;
        utcb.Br[1] = Fpage.All.Raw;
        utcb.Br[2] = intoTask?.Raw ?? 0;
        utcb.Br[3] = 0;
        return MsgTag.Of((ProtocolLabel)L4ReProtocol.Dataspace, w.Words);
    }

    /// <summary>The bytes the flexpage of a <see cref="MapMmio"/> answer covers (0 when nothing was mapped).</summary>
    public static ulong MappedBytes(Utcb utcb, MsgTag answer)
    {
        ArgumentNullException.ThrowIfNull(utcb);
        if (answer.Items < 1 || (utcb.Mr[0] & 6) == (ulong)ReturnItemType.MapNothing)
            return 0;
        return 1UL << (int)((utcb.Mr[0] >> Fpage.OrderShift) & 0x3f);
    }
}
