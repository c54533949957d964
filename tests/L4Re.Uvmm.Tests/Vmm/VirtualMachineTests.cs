using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Vmm;

public class VirtualMachineTests
{
    private static DtTree Tree() => new DtBuilder()
        .Root(r => r.Cells(1, 1).Compatible("l4,virt")
            .Node("cpus", c => c.Cells(1, 0)
                .Node("cpu@0", n => n.String("device_type", "cpu").Compatible("mips,p5600").U32("reg", 0))
                .Node("cpu@1", n => n.String("device_type", "cpu").Compatible("mips,24kc").U32("reg", 1)))
            .Node("memory@0", n => n.String("device_type", "memory").Reg(0, 0x100000))
            .Node("memory@20000000", n => n.String("device_type", "memory").Reg(0x20000000, 0x10000))
            .Node("ic", n => n.Label("ic").Compatible("test,ic").Empty("interrupt-controller").U32("#interrupt-cells", 1))
            .Node("soc", s => s.Cells(1, 1).Compatible("simple-bus").Empty("ranges").InterruptParent("ic")
                .Node("uart@1000", n => n.Compatible("vendor,unknown", "test,uart").Reg(0x1000, 0x100).Interrupts(2))
                .Node("vnet@2000", n => n.Compatible("virtio,mmio").Reg(0x2000, 0x200).Interrupts(4).String("l4vmm,vdev", "proxy"))
                .Node("vcon@3000", n => n.Compatible("virtio,mmio").Reg(0x3000, 0x200).Interrupts(3).String("l4vmm,vdev", "console"))
                .Node("phys@4000", n => n.Compatible("acme,dma").Reg(0x4000, 0x100))
                .Node("forced@5000", n => n.Compatible("acme,thing").Reg(0x5000, 0x100).Empty("l4vmm,force-enable"))
                .Node("vbus@6000", n => n.Compatible("acme,nic").Reg(0x6000, 0x100).String("l4vmm,vbus-dev", "nic0"))
                .Node("nothing", n => n.Compatible("acme,no-resources"))
                .Node("off@7000", n => n.Compatible("test,uart").Reg(0x7000, 0x100).Disabled()))
            .Node("chosen", n => n.String("bootargs", "x")))
        .Build();

    private static DeviceRegistry Registry(List<string> order, FakeController ic)
    {
        var reg = new DeviceRegistry();
        reg.Register("test,ic", (d, n) => { order.Add(n.Name); return ic; });
        reg.Register("test,uart", (d, n) =>
        {
            order.Add(n.Name);
            var dev = new RecordingDevice(n.Name);
            d.RegisterMmioDevice(dev, n);
            var irq = d.ConnectInterrupt(n);
            irq.Inject();
            return dev;
        });
        reg.Register("virtio,mmio", (d, n) => { order.Add(n.Name); var dev = new RecordingDevice(n.Name); d.RegisterMmioDevice(dev, n); return dev; }, vdev: "console");
        return reg;
    }

    [Test]
    public void Builds_ram_from_memory_nodes()
    {
        var vm = new VirtualMachine(Tree(), Registry([], new FakeController()));
        vm.ScanDeviceTree();
        Assert.That(vm.Ram.Regions.Select(r => (r.GuestPhysical, r.Size)), Is.EqualTo(new[] { (0UL, 0x100000UL), (0x20000000UL, 0x10000UL) }));
        vm.Ram.Write(0x20000ffc, [1, 2, 3, 4]);
        Assert.That(vm.Ram.Regions[1].Dataspace.Span[0xffc..0x1000].ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(() => vm.Ram.Write(0x100000 - 2, [1, 2, 3]), Throws.TypeOf<GuestMemoryException>());
    }

    [Test]
    public void Creates_virtual_devices_and_their_interrupt_parents_first()
    {
        var order = new List<string>();
        var ic = new FakeController();
        var vm = new VirtualMachine(Tree(), Registry(order, ic));
        vm.ScanDeviceTree();
        Assert.That(order, Is.EqualTo(new[] { "ic", "uart@1000", "vcon@3000" }));
        Assert.That(ic.Level[2], Is.EqualTo(1), "the UART's line is connected to the controller's interrupt 2");
        Assert.That(vm.Mmio.Find(0x1004)?.Name, Is.EqualTo("/soc/uart@1000"));
        Assert.That(vm.Mmio.Find(0x3000)?.Name, Is.EqualTo("/soc/vcon@3000"));
    }

    [Test]
    public void Matches_l4vmm_vdev_only_when_registered_for_it()
    {
        var tree = Tree();
        var vm = new VirtualMachine(tree, Registry([], new FakeController()));
        vm.ScanDeviceTree();
        Assert.That(tree.GetNode("/soc/vnet@2000").IsEnabled, Is.False, "no factory for virtio,mmio + l4vmm,vdev=proxy and no pass-through");
        Assert.That(tree.GetNode("/soc/vcon@3000").IsEnabled, Is.True);
        Assert.That(vm.Mmio.Find(0x2000), Is.Null);
    }

    [Test]
    public void Disables_nodes_whose_device_cannot_be_created()
    {
        var tree = Tree();
        var vm = new VirtualMachine(tree, Registry([], new FakeController()));
        vm.ScanDeviceTree();
        Assert.That(vm.DisabledNodes.Select(n => n.Path), Is.EquivalentTo(new[] { "/soc/vnet@2000", "/soc/phys@4000", "/soc/vbus@6000" }));
        Assert.That(tree.GetNode("/soc/forced@5000").IsEnabled, Is.True, "l4vmm,force-enable keeps it");
        Assert.That(tree.GetNode("/soc/nothing").IsEnabled, Is.True, "no reg and no interrupts: nothing to pass through");
        Assert.That(tree.GetNode("/soc/off@7000").Status, Is.EqualTo("disabled"));
        Assert.That(vm.Mmio.Find(0x7000), Is.Null, "disabled nodes are skipped");
        Assert.That(Dtc_accepts(tree), Is.True);
    }

    private static bool Dtc_accepts(DtTree tree) => DeviceTree.Dtc.Decompile(tree.ToDtb()).Contains("status = \"disabled\"");

    [Test]
    public void Pass_through_factory_gets_the_remaining_nodes_in_order()
    {
        var seen = new List<string>();
        var registry = Registry([], new FakeController());
        registry.PassThrough = new DelegateDeviceFactory((d, n) => { seen.Add(n.Name); return n.Name == "phys@4000" ? new NamedDevice("io") : null; });
        var tree = Tree();
        var vm = new VirtualMachine(tree, registry);
        vm.ScanDeviceTree();
        Assert.That(seen, Is.EqualTo(new[] { "vbus@6000", "vnet@2000", "phys@4000", "forced@5000" }), "pass 2 (vbus-dev) before pass 3");
        Assert.That(tree.GetNode("/soc/phys@4000").IsEnabled, Is.True);
        Assert.That(tree.GetNode("/soc/vbus@6000").IsEnabled, Is.False);
    }

    [Test]
    public void Cpus_get_their_prid_from_compatible()
    {
        var vm = new VirtualMachine(Tree(), Registry([], new FakeController()));
        vm.ScanDeviceTree();
        Assert.That(vm.Cpus.Select(c => (c.Id, c.ProcessorId)), Is.EqualTo(new[] { (0, 0x1a800u), (1, 0x10000u) }));
    }

    [Test]
    public void A_failing_factory_disables_its_node_and_the_rest_continues()
    {
        var registry = new DeviceRegistry();
        registry.Register("test,ic", (d, n) => throw new DeviceTreeException("broken"));
        registry.Register("test,uart", (d, n) => { var dev = new RecordingDevice(); d.RegisterMmioDevice(dev, n); d.ConnectInterrupt(n); return dev; });
        var tree = Tree();
        var vm = new VirtualMachine(tree, registry);
        vm.ScanDeviceTree();
        Assert.That(tree.GetNode("/ic").IsEnabled, Is.False);
        Assert.That(tree.GetNode("/soc/uart@1000").IsEnabled, Is.False, "its interrupt controller failed");
        Assert.That(vm.Cpus, Has.Count.EqualTo(2));
    }

    [Test]
    public void Overlapping_mmio_regions_fail_the_second_device()
    {
        var tree = Tree();
        tree.GetNode("/soc/off@7000").RemoveProperty("status");
        tree.GetNode("/soc/off@7000").SetReg(new DtRegion(0x1080, 0x100));
        var vm = new VirtualMachine(tree, Registry([], new FakeController()));
        vm.ScanDeviceTree();
        Assert.That(tree.GetNode("/soc/off@7000").IsEnabled, Is.False);
        Assert.That(vm.Mmio.Find(0x1004)?.Name, Is.EqualTo("/soc/uart@1000"));
    }

    [Test]
    public void Registry_prefers_the_vdev_specific_factory()
    {
        var tree = Tree();
        var reg = new DeviceRegistry();
        var generic = new DelegateDeviceFactory((d, n) => new NamedDevice("generic"));
        var console = new DelegateDeviceFactory((d, n) => new NamedDevice("console"));
        reg.Register("virtio,mmio", generic);
        reg.Register("virtio,mmio", console, "console");
        Assert.That(reg.Find(tree.GetNode("/soc/vcon@3000")), Is.SameAs(console));
        Assert.That(reg.Find(tree.GetNode("/soc/vnet@2000")), Is.SameAs(generic));
        Assert.That(reg.Find(tree.GetNode("/soc/uart@1000")), Is.Null);
        Assert.That(() => reg.Register("virtio,mmio", generic), Throws.InvalidOperationException);
    }
}

public class VirtualMachineRamErrorTests
{
    [TestCase(0x1000UL, 0x1800UL, "not page-aligned")]
    [TestCase(0x0UL, 0x1_0000_0000UL, "larger than one dataspace")]
    public void Malformed_memory_nodes_are_device_tree_errors(ulong address, ulong size, string message)
    {
        var tree = new DtBuilder().Root(r => r.Cells(2, 2).Node("memory@0", n => n.String("device_type", "memory").Reg(address, size))).Build();
        var vm = new VirtualMachine(tree, new DeviceRegistry());
        Assert.That(() => vm.ScanDeviceTree(), Throws.TypeOf<DeviceTreeException>().With.Message.Contains(message));
    }

    [Test]
    public void Overlapping_memory_nodes_are_device_tree_errors()
    {
        var tree = new DtBuilder().Root(r => r.Cells(1, 1)
            .Node("memory@0", n => n.String("device_type", "memory").Reg(0, 0x10000))
            .Node("memory@8000", n => n.String("device_type", "memory").Reg(0x8000, 0x10000))).Build();
        Assert.That(() => new VirtualMachine(tree, new DeviceRegistry()).ScanDeviceTree(), Throws.TypeOf<DeviceTreeException>().With.Message.Contains("overlaps"));
    }
}
