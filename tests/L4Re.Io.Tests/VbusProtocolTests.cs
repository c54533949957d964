using L4Re.Io.Client;
using L4Re.Io.Hw;
using L4Re.Io.Ipc;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;

namespace L4Re.Io.Tests;

/// <summary>The vbus protocol over IPC: what a client learns through its capability, and io's answers to bad messages.</summary>
public class VbusProtocolTests
{
    private static L4Error NotExistent => (L4Error)(VbusClient.IpcErrorBase + (int)IpcErrorCode.NotExistent);

    [Test]
    public void A_client_enumerates_the_icu_and_then_its_devices_over_ipc()
    {
        var rig = new Rig();
        var c = rig.Connect("openwrt");
        Assert.That(c.Vbus.Enumerate(out var devices), Is.EqualTo(L4Error.Ok));
        Assert.That(devices.Select(d => d.Info.Name), Is.EqualTo(new[] { "L4ICU", "uart1", "gmac0", "gmac1", "sata" }));
        Assert.That(devices.Select(d => d.Info.Handle.Value), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
        Assert.That(devices[0].Hid, Is.EqualTo("L40009"));
        Assert.That(devices[0].Info.InterfaceType, Is.EqualTo(1u << (int)VbusInterface.Icu));
        Assert.That(devices[1].Hid, Is.EqualTo("snps,dw-apb-uart"));
        Assert.That(devices[2].Hid, Is.Empty);
        // The resources as the host-side view has them, provider = the device.
        var bus = rig.Io.FindVbus("openwrt")!;
        foreach (var (info, _, resources) in devices.Skip(1))
            Assert.That(resources, Is.EqualTo(bus.Devices.Single(d => d.Handle == info.Handle).Resources));
        Assert.That(devices[2].Resources.Select(r => r.Resource.Type), Is.EqualTo(new[] { ResourceType.Mem, ResourceType.Irq, ResourceType.DmaDomain }));

        Assert.That(c.Vbus.GetDevice(VbusDeviceHandle.Root, out var root), Is.EqualTo(L4Error.Ok));
        Assert.That((root.Name, root.HasChildren, root.InterfaceType), Is.EqualTo(("openwrt", true, 1u << (int)VbusInterface.Bus)));
    }

    [Test]
    public void Lookups_by_hid_and_compatibility_follow_io()
    {
        var rig = new Rig();
        var c = rig.Connect("wifi_drv");
        var child = VbusDeviceHandle.Null;
        Assert.That(c.Vbus.FindByHid(VbusDeviceHandle.Root, ref child, "L40009", out var icu), Is.EqualTo(L4Error.Ok));
        Assert.That((child, icu.Name), Is.EqualTo((VirtualBus.IcuHandle, "L4ICU")));
        Assert.That(c.Vbus.FindByHid(VbusDeviceHandle.Root, ref child, "L40009", out _), Is.EqualTo(L4Error.NoEnt), "no second ICU");
        child = VbusDeviceHandle.Null;
        Assert.That(c.Vbus.FindByHid(VbusDeviceHandle.Root, ref child, "", out _), Is.EqualTo(L4Error.Inval));
        var wifi = VirtualBus.FirstDeviceHandle;
        Assert.That(c.Vbus.IsCompatible(wifi, "PCI/VEN_168c&DEV_003c", out var yes), Is.EqualTo(L4Error.Ok));
        Assert.That(yes, Is.True);
        Assert.That(c.Vbus.IsCompatible(wifi, "pci168c,003c", out yes), Is.EqualTo(L4Error.Ok));
        Assert.That(yes, Is.True);
        Assert.That(c.Vbus.IsCompatible(wifi, "snps,dwmac", out yes), Is.EqualTo(L4Error.Ok));
        Assert.That(yes, Is.False);
        Assert.That(c.Vbus.GetAdr(wifi, out var adr), Is.EqualTo(L4Error.Ok));
        Assert.That(adr, Is.EqualTo(0u), "device 0, function 0");
        Assert.That(c.Vbus.GetAdr(VirtualBus.IcuHandle, out _), Is.EqualTo(L4Error.NoSys));
        Assert.That(c.Vbus.GetDevice(wifi, out var info), Is.EqualTo(L4Error.Ok));
        Assert.That(info.InterfaceType, Is.EqualTo(1u << (int)VbusInterface.PciDev), "a PCI function speaks the PCI device interface");
    }

    [Test]
    public void Unknown_handles_opcodes_and_resources_give_ios_codes()
    {
        var rig = new Rig();
        var c = rig.Connect("wifi_drv");
        Assert.That(c.Vbus.GetDevice(new VbusDeviceHandle(3), out _), Is.EqualTo(L4Error.NoDev));
        Assert.That(c.Vbus.GetResource(new VbusDeviceHandle(-7), 0, out _), Is.EqualTo(L4Error.NoDev));
        Assert.That(c.Vbus.GetResource(VirtualBus.FirstDeviceHandle, 3, out _), Is.EqualTo(L4Error.NoEnt));
        Assert.That(c.Vbus.GetResource(VirtualBus.IcuHandle, 0, out _), Is.EqualTo(L4Error.NoEnt));
        var child = new VbusDeviceHandle(9);
        Assert.That(c.Vbus.NextDevice(VbusDeviceHandle.Root, ref child, out _), Is.EqualTo(L4Error.Inval));
        child = VbusDeviceHandle.Null;
        Assert.That(c.Vbus.NextDevice(VirtualBus.FirstDeviceHandle, ref child, out _), Is.EqualTo(L4Error.NoDev), "devices have no children");
        // MMIO is not requested as a resource (only ports are); release is not implemented by io.
        var bar0 = Resource.Mmio("bar0", 0x08000000, 0x1000);
        Assert.That(c.Vbus.RequestResource(bar0), Is.EqualTo(L4Error.NoEnt));
        Assert.That(c.Vbus.RequestResource(Resource.Mmio("x", 0x1f04b000, 0x1000)), Is.EqualTo(L4Error.NoEnt));
        Assert.That(c.Vbus.RequestResource(new Resource(ResourceType.Invalid, 0, 0, 0, default)), Is.EqualTo(L4Error.Inval));
        Assert.That(c.Vbus.ReleaseResource(bar0), Is.EqualTo(L4Error.NoSys));
        Assert.That(c.Vbus.DataspaceInfo(out var size, out var flags), Is.EqualTo(L4Error.Ok));
        Assert.That((size, flags), Is.EqualTo((~0xfffUL, (ulong)DataspaceMapFlags.RW)));
    }

    [Test]
    public void Bad_messages_fail_like_io()
    {
        var rig = new Rig();
        var c = rig.Connect("wifi_drv");
        var mr = c.Thread.Utcb.Mr;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, new MsgTag(0x1234, 2, 0, 0)), Is.EqualTo(L4Error.BadProto), "a label the vbus does not speak");
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(ProtocolLabel.Task, 2)), Is.EqualTo(L4Error.BadProto));
        Assert.That(c.Vbus.Call(Rig.VbusSlot, new MsgTag(L4ReProtocol.Event, 1, 0, 0)), Is.EqualTo(L4Error.NoSys), "a vbus interface io has but this model does not");
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 0)), Is.EqualTo(L4Error.MsgTooShort), "no handle");
        mr[0] = 0;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 1)), Is.EqualTo(L4Error.MsgTooShort), "no opcode");
        mr[1] = (ulong)VbusOpcode.GetNext;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 2)), Is.EqualTo(L4Error.MsgTooShort), "get_next without the child handle");
        mr[0] = 77;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 2)), Is.EqualTo(L4Error.NoDev), "the handle is checked first");
        mr[0] = 0;
        mr[1] = (0x20u << 26) + 99;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 2)), Is.EqualTo(L4Error.NoSys), "unknown generic opcode");
        mr[1] = 3u << 26;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 2)), Is.EqualTo(L4Error.NoSys), "unknown interface");
        mr[1] = (ulong)VbusOpcode.RequestResource;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 3)), Is.EqualTo(L4Error.MsgTooShort), "a resource that does not fit in the message");
        mr[1] = (ulong)VbusOpcode.AssignDmaDomain;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 3)), Is.EqualTo(L4Error.Inval), "no DMA space item");
        mr[0] = (ulong)VirtualBus.FirstDeviceHandle.Value;
        mr[1] = (ulong)VbusOpcode.RequestResource;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, MsgTag.Of(0, 8)), Is.EqualTo(L4Error.NoSys), "bus operations belong to the root");
        mr[0] = (ulong)DataspaceOp.Map;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, new MsgTag(L4ReProtocol.Dataspace, 2, 0, 0)), Is.EqualTo(L4Error.MsgTooShort), "map without flags");
        mr[0] = 9;
        Assert.That(c.Vbus.Call(Rig.VbusSlot, new MsgTag(L4ReProtocol.Dataspace, 1, 0, 0)), Is.EqualTo(L4Error.NoSys));
        Assert.That(c.Vbus.IsCompatible(VirtualBus.FirstDeviceHandle, "", out _), Is.EqualTo(L4Error.Ok), "the client sends the terminating zero");
    }

    [Test]
    public void A_hid_too_long_for_a_message_is_refused_not_cut()
    {
        var rig = new Rig(config: $"device d {{ hid = \"{new string('h', 600)}\"; mmio reg0 = 0x1f000000 + 0x1000 }}\nvbus v {{ device d }}");
        var c = rig.Connect("v");
        Assert.That(c.Vbus.GetHid(VirtualBus.FirstDeviceHandle, out _), Is.EqualTo(L4Error.MsgTooLong));
        Assert.That(c.Vbus.GetDevice(VirtualBus.FirstDeviceHandle, out var info), Is.EqualTo(L4Error.Ok));
        Assert.That(info.Name, Is.EqualTo("d"));
    }

    [Test]
    public void A_vbus_has_exactly_one_client_and_it_cannot_delete_the_vbus()
    {
        var rig = new Rig();
        var c = rig.Connect("wifi_drv");
        var other = rig.NewTask("intruder");
        Assert.Throws<InvalidOperationException>(() => rig.Io.Connect("wifi_drv", other.Task, Rig.VbusSlot));
        Assert.Throws<ArgumentException>(() => rig.Io.Connect("nope", other.Task, Rig.VbusSlot));
        Assert.That(rig.Io.ClientOf("wifi_drv"), Is.SameAs(c.Task));
        var cap = c.Task.Caps!.Lookup(Rig.VbusSlot.Index)!.Value;
        Assert.That(cap.Object, Is.SameAs(rig.Io.GateOf("wifi_drv")));
        Assert.That(cap.Rights, Is.EqualTo(CapRights.RW), "no D: the client cannot delete the vbus");
        // Trying to delete it only drops the client's own capability.
        c.Task.Unmap(Fpage.Obj(Rig.VbusSlot, CapRights.RWSD), UnmapFlags.DeleteObj);
        Assert.That(rig.Io.GateOf("wifi_drv")!.IsDeleted, Is.False);
        Assert.That(c.Vbus.GetDevice(VbusDeviceHandle.Root, out _), Is.EqualTo(NotExistent));
    }

    [Test]
    public void Disconnecting_invalidates_the_capability_and_the_vbus_can_be_handed_out_again()
    {
        var rig = new Rig();
        var c = rig.Connect("wifi_drv");
        // The client passes its capability on; the copy dies with the original.
        var friend = rig.NewTask("friend");
        Assert.That(friend.Task.Map(c.Task, Fpage.Obj(Rig.VbusSlot, CapRights.RW), Rig.VbusSlot.Raw).IsOk, Is.True);
        Assert.That(friend.Vbus.GetDevice(VbusDeviceHandle.Root, out _), Is.EqualTo(L4Error.Ok));
        Assert.That(rig.Io.Disconnect("wifi_drv"), Is.True);
        Assert.That(c.Vbus.GetDevice(VbusDeviceHandle.Root, out _), Is.EqualTo(NotExistent));
        Assert.That(friend.Vbus.GetDevice(VbusDeviceHandle.Root, out _), Is.EqualTo(NotExistent));
        Assert.That(c.Task.Caps!.Lookup(Rig.VbusSlot.Index), Is.Null);
        Assert.That(rig.Io.ClientOf("wifi_drv"), Is.Null);
        var next = rig.Connect("wifi_drv", "next");
        Assert.That(next.Vbus.GetDevice(VbusDeviceHandle.Root, out var root), Is.EqualTo(L4Error.Ok));
        Assert.That(root.Name, Is.EqualTo("wifi_drv"));
        Assert.That(rig.Io.DeleteVbus("wifi_drv"), Is.True);
        Assert.That(next.Vbus.GetDevice(VbusDeviceHandle.Root, out _), Is.EqualTo(NotExistent));
        Assert.That(rig.Io.Disconnect("wifi_drv"), Is.False);
    }

    [Test]
    public void A_native_program_uses_its_vbus_with_the_libvbus_messages()
    {
        var rig = new Rig();
        var task = rig.Factory.CreateTask("drv");
        var thread = rig.Factory.CreateThread("drv");
        thread.Bind(task);
        rig.Io.Connect("wifi_drv", task, Rig.VbusSlot);
        var names = new List<string>();
        VbusResource bar = default;
        ulong mapped = 0;
        thread.Start(async ctx =>
        {
            var child = VbusDeviceHandle.Null;
            while (true)
            {
                var r = await ctx.Call(Rig.VbusSlot, L4Vbus.GetNextDevice(ctx.Utcb, VbusDeviceHandle.Root, child));
                if (r.HasError || r.Tag.Label < 0 || !L4Vbus.TryReadDevice(ctx.Utcb, r.Tag, out var info))
                    break;
                names.Add(info.Name);
                child = info.Handle;
            }
            var rr = await ctx.Call(Rig.VbusSlot, L4Vbus.GetResource(ctx.Utcb, VirtualBus.FirstDeviceHandle, 0));
            L4Vbus.TryReadResource(ctx.Utcb, rr.Tag, out bar);
            var m = await ctx.Call(Rig.VbusSlot, L4Vbus.MapMmio(ctx.Utcb, bar.Resource.Start, 0x6000_0000, DataspaceMapFlags.RW));
            mapped = L4Vbus.MappedBytes(ctx.Utcb, m.Tag);
        });
        rig.Kernel.Run();
        Assert.That(thread.StopReason, Is.EqualTo("program ended"));
        Assert.That(names, Is.EqualTo(new[] { VirtualBus.IcuName, "wifi" }));
        Assert.That(bar.Resource, Is.EqualTo(Resource.Mmio("bar0", 0x0800_0000, 0x20_0000)));
        Assert.That(mapped, Is.EqualTo(0x20_0000UL));
        Assert.That(task.Memory.TryTranslate(0x601f_fff0, out _), Is.True);
    }
}
