using L4Re.Io.Hw;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;

namespace L4Re.Io.Tests;

public class VirtualBusTests
{
    private IoServer _io = null!;

    [SetUp]
    public void Load()
    {
        _io = new IoServer();
        _io.Load(TestConfigs.Baikal);
    }

    private static List<VbusDeviceInfo> Enumerate(VirtualBus bus)
    {
        var list = new List<VbusDeviceInfo>();
        var child = VbusDeviceHandle.Null;
        L4Error err;
        while ((err = bus.NextDevice(VbusDeviceHandle.Root, ref child, out var info)) == L4Error.Ok)
            list.Add(info);
        Assert.That(err, Is.EqualTo(L4Error.NoDev), "an enumeration ends with L4_ENODEV");
        Assert.That(list[0].Name, Is.EqualTo(VirtualBus.IcuName), "io's virtual ICU is the first child of every vbus");
        return list.Skip(1).ToList();
    }

    [Test]
    public void Each_client_enumerates_exactly_its_devices_in_rule_order()
    {
        Assert.That(Enumerate(_io.FindVbus("openwrt")!).Select(i => i.Name), Is.EqualTo(new[] { "uart1", "gmac0", "gmac1", "sata" }));
        Assert.That(Enumerate(_io.FindVbus("wifi_drv")!).Select(i => i.Name), Is.EqualTo(new[] { "wifi" }));
        Assert.That(Enumerate(_io.FindVbus("platform")!).Select(i => i.Name), Is.EqualTo(new[] { "watchdog", "gpio0" }));
        Assert.That(_io.OwnerOf("uart0"), Is.Null);
        Assert.That(_io.OwnerOf("pcie"), Is.Null);
        Assert.That(_io.OwnerOf("wifi")!.Name, Is.EqualTo("wifi_drv"));
    }

    [Test]
    public void The_root_device_is_the_bus()
    {
        var bus = _io.FindVbus("openwrt")!;
        Assert.That(bus.GetDevice(VbusDeviceHandle.Root, out var root), Is.EqualTo(L4Error.Ok));
        Assert.That(root.Name, Is.EqualTo("openwrt"));
        Assert.That(root.HasChildren, Is.True);
        Assert.That(root.Flags, Is.EqualTo(0x10u));
        Assert.That(bus.GetResource(VbusDeviceHandle.Root, 0, out _), Is.EqualTo(L4Error.NoEnt));
    }

    [Test]
    public void Resources_are_the_hardware_resources_plus_the_dma_domain()
    {
        var bus = _io.FindVbus("openwrt")!;
        var gmac0 = bus.Devices[1];
        Assert.That(bus.GetDevice(gmac0.Handle, out var info), Is.EqualTo(L4Error.Ok));
        Assert.That(info.ResourceCount, Is.EqualTo(3));
        Assert.That(bus.GetResource(gmac0.Handle, 0, out var mem), Is.EqualTo(L4Error.Ok));
        Assert.That(mem.Resource, Is.EqualTo(Resource.Mmio("reg0", 0x1f05e000, 0x2000)));
        Assert.That(mem.Provider, Is.EqualTo(gmac0.Handle));
        Assert.That(bus.GetResource(gmac0.Handle, 1, out var irq), Is.EqualTo(L4Error.Ok));
        Assert.That(irq.Resource.IrqMode, Is.EqualTo(IrqMode.LevelHigh));
        Assert.That(bus.GetResource(gmac0.Handle, 2, out var dma), Is.EqualTo(L4Error.Ok));
        Assert.That(dma.Resource.Type, Is.EqualTo(ResourceType.DmaDomain));
        Assert.That(dma.Resource.Start, Is.EqualTo(gmac0.DmaDomain));
        Assert.That(bus.GetResource(gmac0.Handle, 3, out _), Is.EqualTo(L4Error.NoEnt));
        Assert.That(bus.GetResource(gmac0.Handle, -1, out _), Is.EqualTo(L4Error.NoEnt));
        Assert.That(bus.Devices[0].DmaDomain, Is.Null, "a UART does no DMA");
    }

    [Test]
    public void Unknown_handles_and_bad_enumeration_arguments_fail_like_io()
    {
        var bus = _io.FindVbus("wifi_drv")!;
        Assert.That(bus.GetDevice(new VbusDeviceHandle(3), out _), Is.EqualTo(L4Error.NoDev));
        Assert.That(bus.GetResource(new VbusDeviceHandle(-7), 0, out _), Is.EqualTo(L4Error.NoDev));
        var child = new VbusDeviceHandle(5);
        Assert.That(bus.NextDevice(VbusDeviceHandle.Root, ref child, out _), Is.EqualTo(L4Error.Inval));
        child = VbusDeviceHandle.Null;
        Assert.That(bus.NextDevice(new VbusDeviceHandle(2), ref child, out _), Is.EqualTo(L4Error.NoDev), "devices have no children");
        Assert.That(bus.NextDevice(new VbusDeviceHandle(8), ref child, out _), Is.EqualTo(L4Error.NoDev), "an unknown parent");
        Assert.That(bus.GetHid(new VbusDeviceHandle(9), out _), Is.EqualTo(L4Error.NoDev));
    }

    [Test]
    public void Devices_are_found_by_exact_hid_only_on_the_own_bus()
    {
        var openwrt = _io.FindVbus("openwrt")!;
        var child = VbusDeviceHandle.Null;
        Assert.That(openwrt.FindByHid(VbusDeviceHandle.Root, ref child, "snps,dw-apb-uart", out var info), Is.EqualTo(L4Error.Ok));
        Assert.That(child, Is.EqualTo(VirtualBus.FirstDeviceHandle));
        Assert.That(info.Name, Is.EqualTo("uart1"));
        Assert.That(openwrt.FindByHid(VbusDeviceHandle.Root, ref child, "snps,dw-apb-uart", out _), Is.EqualTo(L4Error.NoEnt), "uart0 is not on this bus");
        child = VbusDeviceHandle.Null;
        Assert.That(openwrt.FindByHid(VbusDeviceHandle.Root, ref child, "snps,*", out _), Is.EqualTo(L4Error.NoEnt), "get_by_hid compares exactly");
        Assert.That(openwrt.FindByHid(VbusDeviceHandle.Root, ref child, "", out _), Is.EqualTo(L4Error.Inval));
        child = VbusDeviceHandle.Null;
        Assert.That(_io.FindVbus("wifi_drv")!.FindByHid(VbusDeviceHandle.Root, ref child, "snps,dw-apb-uart", out _), Is.EqualTo(L4Error.NoEnt));
        Assert.That(openwrt.GetHid(new VbusDeviceHandle(2), out var hid), Is.EqualTo(L4Error.Ok));
        Assert.That(hid, Is.EqualTo("snps,dw-apb-uart"));
        Assert.That(openwrt.GetHid(VirtualBus.IcuHandle, out hid), Is.EqualTo(L4Error.Ok));
        Assert.That(hid, Is.EqualTo(VirtualBus.IcuHid));
        Assert.That(openwrt.GetHid(new VbusDeviceHandle(3), out hid), Is.EqualTo(L4Error.Ok));
        Assert.That(hid, Is.Empty, "gmac0 has no HID");
    }

    [Test]
    public void Compatibility_is_checked_like_match_cid()
    {
        var wifi = _io.FindVbus("wifi_drv")!;
        var h = wifi.Devices[0].Handle;
        Assert.That(wifi.IsCompatible(h, "PCI/network_nw", out var c), Is.EqualTo(L4Error.Ok));
        Assert.That(c, Is.True);
        Assert.That(wifi.IsCompatible(h, "pci168c,003c", out c) == L4Error.Ok && c, Is.True);
        Assert.That(wifi.IsCompatible(h, "snps,dwmac", out c) == L4Error.Ok && !c, Is.True);
        Assert.That(wifi.IsCompatible(h, "PCI/garbage", out c) == L4Error.Ok && !c, Is.True);
        Assert.That(wifi.IsCompatible(h, "", out c) == L4Error.Ok && !c, Is.True, "an empty id matches nothing");
        Assert.That(wifi.IsCompatible(VirtualBus.IcuHandle, "L4000?", out c) == L4Error.Ok && c, Is.True, "the ICU matches its HID");
    }

    [Test]
    public void A_client_can_request_only_resources_of_its_own_devices()
    {
        var openwrt = _io.FindVbus("openwrt")!;
        var wifi = _io.FindVbus("wifi_drv")!;
        Assert.That(openwrt.RequestResource(Resource.Mmio("reg0", 0x1f04b000, 0x1000)), Is.EqualTo(L4Error.Ok));
        Assert.That(openwrt.RequestResource(Resource.Mmio("x", 0x1f04b100, 0x10)), Is.EqualTo(L4Error.Ok), "a part of a window");
        Assert.That(openwrt.RequestResource(Resource.Mmio("x", 0x1f04b800, 0x1000)), Is.EqualTo(L4Error.NoEnt), "crosses the window's end");
        Assert.That(openwrt.RequestResource(Resource.Mmio("reg0", 0x1f04a000, 0x1000)), Is.EqualTo(L4Error.NoEnt), "uart0 is io's");
        Assert.That(openwrt.RequestResource(Resource.Mmio("bar0", 0x08000000, 0x1000)), Is.EqualTo(L4Error.NoEnt), "the Wi-Fi NIC is not OpenWrt's");
        Assert.That(openwrt.RequestResource(Resource.Irq("i", 80)), Is.EqualTo(L4Error.NoEnt));
        Assert.That(wifi.RequestResource(Resource.Mmio("bar0", 0x08000000, 0x200000)), Is.EqualTo(L4Error.Ok));
        Assert.That(wifi.RequestResource(Resource.Irq("i", 80)), Is.EqualTo(L4Error.Ok));
        Assert.That(wifi.RequestResource(new Resource(ResourceType.Mem, 0, 10, 5, default)), Is.EqualTo(L4Error.Inval));
        Assert.That(wifi.RequestResource(new Resource(ResourceType.Invalid, 0, 0, 0, default)), Is.EqualTo(L4Error.Inval));
        Assert.That(wifi.ReleaseResource(Resource.Mmio("bar0", 0x08000000, 0x200000)), Is.EqualTo(L4Error.Ok));
    }

    [Test]
    public void A_deleted_vbus_refuses_everything_and_frees_its_devices()
    {
        var openwrt = _io.FindVbus("openwrt")!;
        Assert.That(_io.DeleteVbus("openwrt"), Is.True);
        Assert.That(_io.DeleteVbus("openwrt"), Is.False);
        Assert.That(openwrt.IsDeleted, Is.True);
        Assert.That(openwrt.Devices, Is.Empty);
        Assert.That(openwrt.GetDevice(VbusDeviceHandle.Root, out _), Is.EqualTo(L4Error.NoDev));
        Assert.That(openwrt.GetResource(new VbusDeviceHandle(2), 0, out _), Is.EqualTo(L4Error.NoDev));
        Assert.That(openwrt.RequestResource(Resource.Mmio("reg0", 0x1f04b000, 0x1000)), Is.EqualTo(L4Error.NoDev));
        Assert.That(_io.FindVbus("openwrt"), Is.Null);
        Assert.That(_io.OwnerOf("uart1"), Is.Null);

        _io.LoadText("vbus openwrt2 { device uart1 }");
        Assert.That(_io.OwnerOf("uart1")!.Name, Is.EqualTo("openwrt2"));
    }
}
