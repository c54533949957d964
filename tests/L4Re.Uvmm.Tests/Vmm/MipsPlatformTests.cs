using L4Re.Uvmm.Devices;
using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Loaders;
using L4Re.Uvmm.Tests.DeviceTree;
using L4Re.Uvmm.Tests.Loaders;
using L4Re.Uvmm.Vmm;
using L4Re.Vio.Devices.Net;
using L4Re.Vio.Switch;
using L4Re.Vio.Virtio;

namespace L4Re.Uvmm.Tests.Vmm;

public class MipsPlatformTests
{
    [Test]
    public void Default_tree_is_accepted_by_dtc_and_describes_the_platform()
    {
        var tree = MipsPlatformTree.Create();
        var dts = Dtc.Decompile(tree.ToDtb());
        Assert.That(dts, Does.Contain("bootargs = \"console=ttyS0,115200 earlycon rdinit=/init nokaslr\";"));
        Assert.That(dts, Does.Contain("stdout-path = \"serial0:115200n8\";"));
        Assert.That(tree.GetNode("/cpus/cpu@0").IsCompatible("mti,proaptiv"), Is.True, "a PRId Debian's MIPS32r2 kernel knows");
        Assert.That(tree.FindByPhandle(tree.GetNode("/cpus/cpu@0").GetU32("clocks"))!.GetU32("clock-frequency"), Is.EqualTo(320_000_000u));
        Assert.That(tree.GetNode("/memory@0").GetTranslatedReg(), Is.EqualTo(new[] { new DtRegion(0, 256 << 20) }));
        var gic = tree.GetNode("/soc/interrupt-controller@1bdc0000");
        Assert.That(gic.GetTranslatedReg().Single(), Is.EqualTo(new DtRegion(0x1bdc0000, 0x20000)));
        Assert.That(gic.GetU32("mti,reserved-cpu-vectors"), Is.EqualTo(7u));
        var uart = tree.FindNode("serial0")!;
        Assert.That(uart.IsCompatible("ns16550a") && uart.GetU32("reg-shift") == 2 && uart.GetU32("reg-io-width") == 4, Is.True);
        Assert.That(uart.GetInterrupts().Single().Controller, Is.SameAs(gic));
        var net = tree.GetNode("/l4vmm/virtio_net@10000");
        Assert.That(net.GetTranslatedReg().Single(), Is.EqualTo(new DtRegion(0x30010000, 0x200)));
        Assert.That(net.GetInterrupts().Single().Cells, Is.EqualTo(new uint[] { 0, 4, 4 }));
        Assert.That(tree.GetNode("/l4vmm/virtio_uart@20000").GetTranslatedReg().Single().Address, Is.EqualTo(0x30020000UL));
        Assert.That(tree.GetNode("/vmm-syscon/syscon").GetTranslatedReg().Single(), Is.EqualTo(new DtRegion(0x30030000, 4)));
        Assert.That(tree.GetNode("/vmm-syscon/reboot").GetU32("mask"), Is.EqualTo(0x66u));
    }

    [Test]
    public void More_than_256MiB_goes_to_highmem_at_512MiB()
    {
        var tree = MipsPlatformTree.Create(new MipsPlatformOptions { MemorySize = 512L << 20, CpuCount = 2 });
        Assert.That(tree.GetNode("/memory@0").GetTranslatedReg(), Is.EqualTo(new[] { new DtRegion(0, 256 << 20), new DtRegion(0x20000000, 256 << 20) }));
        Assert.That(tree.GetNode("/cpus").Children, Has.Count.EqualTo(2));
        Assert.That(() => MipsPlatformTree.Create(new MipsPlatformOptions { MemorySize = 1000 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Platform_builds_ram_and_devices_and_disables_unbacked_virtio_slots()
    {
        var tree = MipsPlatformTree.Create();
        var platform = new MipsVirtualPlatform(tree, new ManualClock());
        platform.Build();
        var vm = platform.Vm;
        Assert.That(vm.Ram.Size, Is.EqualTo(256UL << 20));
        Assert.That(vm.Mmio.Find(0x1bdc0000)?.Device, Is.SameAs(platform.Gic));
        Assert.That(vm.Mmio.Find(0x1f04a000)?.Device, Is.SameAs(platform.Uarts.Single()));
        Assert.That(vm.Mmio.Find(0x30030000)?.Device, Is.InstanceOf<SysconL4vmm>());
        Assert.That(vm.Mmio.Find(0x1fbf8000)?.Device, Is.SameAs(platform.Cm));
        Assert.That(vm.Mmio.Find(0x1bde0000)?.Device, Is.SameAs(platform.Cpc));
        Assert.That(vm.Cpus.Single().ProcessorId, Is.EqualTo(MipsCpu.ProAptivProcessorId));
        Assert.That(vm.DisabledNodes.Select(n => n.Path), Is.EquivalentTo(new[] { "/l4vmm/virtio_net@10000" }),
            "without a network for l4vmm,virtiocap \"net\" the proxy slot is disabled, as uvmm does when a device cannot be created");
        Assert.That(vm.Mmio.Find(0x30020000)?.Device, Is.InstanceOf<VirtioMmioSlot>(), "the console slot is always backed");
        Assert.That(platform.VirtioConsoles, Has.Count.EqualTo(1));
        Assert.That(tree.GetNode("/vmm-syscon/reboot").IsEnabled, Is.True);
        Assert.That(tree.GetNode("/cpu-clock").IsEnabled, Is.True);
    }

    [Test]
    public void Virtio_slots_are_l4re_vio_devices_on_their_gic_interrupts()
    {
        var tree = MipsPlatformTree.Create();
        var platform = new MipsVirtualPlatform(tree, new ManualClock());
        var vswitch = new VirtualSwitch();
        var mac = MacAddress.Parse("02:4c:34:00:00:07");
        platform.ConnectNetwork("net", vswitch, new PortOptions { Name = "guest", Mac = mac });
        platform.Build();
        Assert.That(platform.Vm.DisabledNodes, Is.Empty);
        var bus = platform.Vm.Mmio;
        foreach (var (address, id, irq) in new[] { (0x30010000UL, VirtioDeviceId.Net, 4), (0x30020000UL, VirtioDeviceId.Console, 3) })
        {
            Assert.That(bus.TryRead(address + (ulong)MmioRegister.MagicValue, MmioWidth.Word, 0, out var magic) && magic == VirtioMmioTransport.Magic, Is.True);
            bus.TryRead(address + (ulong)MmioRegister.DeviceId, MmioWidth.Word, 0, out var deviceId);
            Assert.That(deviceId, Is.EqualTo((ulong)id));
            var slot = (VirtioMmioSlot)bus.Find(address)!.Device;
            Assert.That((slot.Irq.Controller, slot.Irq.Irq), Is.EqualTo(((IInterruptController?)platform.Gic, irq)));
        }
        Assert.That(platform.NetPorts.Single().Switch, Is.SameAs(vswitch));
        // The MAC in the configuration space is the port's (virtio-net config offset 0).
        var macBytes = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            bus.TryRead(0x30010000UL + (ulong)MmioRegister.Config + (ulong)i, MmioWidth.Byte, 0, out var b);
            macBytes[i] = (byte)b;
        }
        Assert.That(MacAddress.Read(macBytes), Is.EqualTo(mac));
        Assert.That(platform.DriverMemory.Regions.Single().Size, Is.EqualTo(256L << 20));
    }

    [Test]
        public void Factories_registered_before_build_replace_the_default_virtio_slots()
    {
        var tree = MipsPlatformTree.Create();
        var platform = new MipsVirtualPlatform(tree, new ManualClock());
        var lines = new Dictionary<string, IrqSink>();
        IVmDevice Slot(IDeviceLookup d, DtNode n)
        {
            var dev = new RecordingDevice(n.Name);
            d.RegisterMmioDevice(dev, n);
            lines[n.Name] = d.ConnectInterrupt(n);
            return dev;
        }
        platform.Registry.Register("virtio,mmio", Slot, vdev: "proxy");
        platform.Registry.Register("virtio,mmio", Slot, vdev: "console");
        platform.Build();
        Assert.That(platform.VirtioSlots, Is.Empty, "the caller's factories replace the L4Re.Vio defaults");
        Assert.That(platform.Vm.DisabledNodes, Is.Empty);
        Assert.That(platform.Vm.Mmio.Find(0x30010000)?.Name, Is.EqualTo("/l4vmm/virtio_net@10000"));
        Assert.That(lines["virtio_net@10000"].Irq, Is.EqualTo(4));
        Assert.That(lines["virtio_uart@20000"].Controller, Is.SameAs(platform.Gic));
    }

    [Test]
    public void Virtio_interrupt_status_drives_the_slot_line_level()
    {
        var platform = new MipsVirtualPlatform(MipsPlatformTree.Create(), new ManualClock());
        platform.Build();
        var slot = platform.VirtioSlots.Single();
        IInterruptLine line = slot;
        line.Raise();
        Assert.That(slot.Irq.IsAsserted, Is.True);
        line.Lower();
        Assert.That(slot.Irq.IsAsserted, Is.False);
        // Hostile accesses never throw: beyond the window, huge offsets, odd widths.
        Assert.That(slot.Read(ulong.MaxValue, MmioWidth.Word, 0), Is.Zero);
        Assert.DoesNotThrow(() => slot.Write(0x1ff, MmioWidth.Word, 0xffff_ffff, 0));
        Assert.DoesNotThrow(() => slot.Write(ulong.MaxValue - 3, MmioWidth.Word, 1, 0));
    }

    [Test]
    public void Uart_input_interrupts_core_line_2_through_the_gic_as_linux_programs_it()
    {
        var platform = new MipsVirtualPlatform(MipsPlatformTree.Create(), new ManualClock());
        platform.Build();
        var bus = platform.Vm.Mmio;
        const ulong gic = 0x1bdc0000, uart = 0x1f04a000;
        // irq-mips-gic.c: map shared 48 to pin 0 of VP 0, unmask; 8250: FIFO on, RX interrupt on.
        bus.TryWrite(gic + 0x500 + 4 * 48, MmioWidth.Word, MipsGic.MapToPin | 0, 0);
        bus.TryWrite(gic + 0x2000 + 0x20 * 48, MmioWidth.Word, 1, 0);
        bus.TryWrite(gic + 0x380 + 4, MmioWidth.Word, 1u << 16, 0);
        bus.TryWrite(uart + (2 << 2), MmioWidth.Word, Uart16550.FcrEnable, 0);
        bus.TryWrite(uart + (1 << 2), MmioWidth.Word, Uart16550.IerRdi, 0);
        Assert.That(platform.Cores.HasPending(0), Is.False);
        var u = platform.Uarts[0];
        "root\n"u8.CopyTo(u.Input.GetSpan(5));
        u.Input.Advance(5);
        u.Input.FlushAsync().AsTask().Wait();
        platform.Poll();
        platform.Poll(); // idle: the character timeout fires below the trigger level
        Assert.That(platform.Cores[0]!.PendingLines, Is.EqualTo(1u), "IP2");
        Assert.That(platform.Cores[0]!.ApplyToGuestCtl2(0x1234_0000), Is.EqualTo(0x1234_0000u | 1 << 10));
        bus.TryRead(gic + 0x480 + 4, MmioWidth.Word, 0, out var pend);
        Assert.That(pend & 1u << 16, Is.Not.Zero, "GIC_SH_PEND bit 48");
        for (var i = 0; i < 5; i++)
            bus.TryRead(uart, MmioWidth.Word, 0, out _);
        Assert.That(platform.Cores.HasPending(0), Is.False);
    }

    [Test]
    public void Syscon_reboot_and_poweroff_nodes_reach_the_shutdown_controller()
    {
        foreach (var (node, kind) in new[] { ("reboot", ShutdownKind.Reboot), ("poweroff", ShutdownKind.PowerOff) })
        {
            var tree = MipsPlatformTree.Create();
            var platform = new MipsVirtualPlatform(tree);
            platform.Build();
            var n = tree.GetNode($"/vmm-syscon/{node}");
            // drivers/power/reset/syscon-{reboot,poweroff}.c: value (or mask) with mask 0xffffffff, regmap_update_bits.
            var value = n.HasProperty("value") ? n.GetU32("value") : n.GetU32("mask");
            var mask = n.HasProperty("value") ? n.GetU32("mask", 0xffffffff) : 0xffffffff;
            var address = tree.FindByPhandle(n.GetU32("regmap"))!.GetTranslatedReg()[0].Address + n.GetU32("offset");
            platform.Vm.Mmio.TryRead(address, MmioWidth.Word, 0, out var orig);
            var updated = ((uint)orig & ~mask) | (value & mask);
            Assert.That(updated, Is.Not.EqualTo((uint)orig), $"{node}: regmap_update_bits only writes a changed value");
            platform.Vm.Mmio.TryWrite(address, MmioWidth.Word, updated, 0);
            Assert.That(platform.Shutdown.Pending?.Kind, Is.EqualTo(kind));
        }
    }

    [Test]
    public void Debian_kernel_initramfs_and_dtb_are_placed_for_a_uhi_boot()
    {
        var tree = MipsPlatformTree.Create();
        var platform = new MipsVirtualPlatform(tree);
        platform.Build();
        var initrd = File.ReadAllBytes(GuestFiles.Initramfs("marker"));
        var boot = LinuxBoot.Prepare(platform.Vm.Ram, tree, GuestFiles.Kernel, initrd, bootArgs: null);
        Assert.That(boot.Boot.Pc, Is.EqualTo(0x8113_0000u).Or.InRange(0x8100_0000u, 0x8200_0000u));
        var dtb = DtTree.FromDtb(platform.Vm.Ram.GetSpan(boot.DtbAddress, boot.Dtb.Length));
        Assert.That(dtb.GetNode("/chosen").GetString("bootargs"), Is.EqualTo(MipsPlatformOptions.DefaultBootArgs));
        Assert.That(dtb.GetNode("/l4vmm/virtio_net@10000").IsEnabled, Is.False, "the DTB the guest sees has the unbacked slot disabled");
        Assert.That(boot.Initrd!.Value.Start, Is.GreaterThanOrEqualTo(boot.Kernel.End));
        Assert.That(boot.DtbAddress + (ulong)boot.Dtb.Length, Is.LessThan(256UL << 20));
        Dtc.Decompile(boot.Dtb);
    }
}
