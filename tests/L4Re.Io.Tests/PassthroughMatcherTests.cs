using L4Re.Io.Hw;
using L4Re.Io.Vmm;

namespace L4Re.Io.Tests;

/// <summary>Matching a VM's device-tree nodes against its vbus as uvmm does.</summary>
public class PassthroughMatcherTests
{
    private static PassthroughNode Node(string path, (ulong, ulong)[] reg, uint[] irqs, string? vbusDev = null, bool force = false) =>
        new(path, [.. reg.Select(r => new RegEntry(r.Item1, r.Item2))], irqs, vbusDev, force);

    [Test]
    public void Nodes_with_reg_and_interrupts_are_matched_1_to_1_and_the_rest_disabled()
    {
        var rig = new Rig();
        var vmm = rig.Connect("openwrt");
        var vbus = VbusDeviceView.Scan(vmm.Vbus); // over IPC, as uvmm's Virt_bus does
        var nodes = new[]
        {
            Node("/soc/serial@1f04b000", [(0x1f04b000, 0x1000)], [49]),
            Node("/soc/ethernet@1f05e000", [(0x1f05e000, 0x2000)], [72]),
            Node("/soc/serial@1f04a000", [(0x1f04a000, 0x1000)], [48]),         // uart0 stays with L4Re
            Node("/soc/wifi-irq", [], [80]),                                       // the NIC's IRQ is not OpenWrt's
            Node("/soc/ethernet@1f05e000-too-big", [(0x1f05e000, 0x3000)], [72]),
            Node("/soc/partial", [(0x1f060000, 0x2000), (0x1f04a000, 0x1000)], [73]),
            Node("/reserved@100000", [(0x10_0000, 0x1000)], []),                  // in guest RAM
            Node("/soc/watchdog", [(0x1f04c000, 0x1000)], [17], force: true),
            Node("/chosen", [], []),
        };
        var plan = PassthroughMatcher.Match(vbus, nodes, [new RegEntry(0, 0x800_0000)]);

        Assert.That(plan.Errors, Is.Empty);
        Assert.That(plan.Matches.Select(m => m.Node.Path), Is.EqualTo(new[] { "/soc/serial@1f04b000", "/soc/ethernet@1f05e000", "/reserved@100000" }));
        var serial = plan.MatchOf("/soc/serial@1f04b000")!;
        Assert.That(serial.Devices.Single().Name, Is.EqualTo("uart1"));
        Assert.That(serial.Mmio.Single(), Is.EqualTo(new MmioPassthrough(0x1f04b000, 0x1f04b000, 0x1000, MemFlags.RW, serial.Devices[0])));
        Assert.That(serial.Irqs, Is.EqualTo(new[] { new IrqRoute(49, 49) }));
        Assert.That(plan.MatchOf("/soc/ethernet@1f05e000")!.Devices.Single().Name, Is.EqualTo("gmac0"));
        Assert.That(plan.MatchOf("/reserved@100000")!.Mmio, Is.Empty, "a reg entry in RAM needs no window");

        Assert.That(plan.Disabled.Select(d => d.Node.Path), Is.EqualTo(new[] { "/soc/serial@1f04a000", "/soc/wifi-irq", "/soc/ethernet@1f05e000-too-big", "/soc/partial" }));
        Assert.That(plan.Disabled[0].Reason, Does.Contain("no corresponding IO resource").And.Contain("reg[0]"));
        Assert.That(plan.Disabled[1].Reason, Does.Contain("IRQ 80"));
        Assert.That(plan.Disabled[2].Reason, Does.Contain("exceeds"));
        Assert.That(plan.Disabled[3].Reason, Does.Contain("reg[1]"), "a partial match is no match");
        Assert.That(plan.Kept.Select(n => n.Path), Is.EqualTo(new[] { "/soc/watchdog", "/chosen" }));

        // uvmm maps every window of the vbus 1:1, matched by a node or not.
        Assert.That(plan.Regions.Select(r => r.Device.Name), Is.EqualTo(new[] { "uart1", "gmac0", "gmac1", "sata" }));
        Assert.That(plan.Regions.All(r => r.GuestAddress == r.HostAddress), Is.True);
        Assert.That(plan.PresentIrqs, Is.EqualTo(new uint[] { 49, 64, 72, 73 }));
    }

    private const string Gpus = """
        device gpu  { hid = "vendor,gpu"; mmio reg0 = 0x20000000 + 0x1000; mmio reg1 = 0x20002000 + 0x2000; mmio ctrl = 0x20010000 + 0x1000
                      irq irq0 = 50; irq irq1 = 51; port io0 = 0x300 + 4 }
        device gpu2 { hid = "vendor,gpu"; mmio reg0 = 0x21000000 + 0x1000; irq irq0 = 52 }
        device misc { mmio regs = 0x22000000 + 0x1000; irq irq0 = 53 }
        vbus vm { device gpu; device gpu2; device misc }
        """;

    [Test]
    public void Vbus_dev_nodes_claim_devices_by_hid_and_place_regN_at_reg_N()
    {
        var rig = new Rig(config: Gpus);
        var vbus = VbusDeviceView.Of(rig.Io.FindVbus("vm")!);
        var nodes = new[]
        {
            Node("/gpu@40000000", [(0x4000_0000, 0x1000), (0x4000_4000, 0x2000)], [10, 11], "vendor,gpu"),
            Node("/gpu@50000000", [(0x5000_0000, 0x1000)], [12], "vendor,gpu"),
            Node("/gpu@60000000", [(0x6000_0000, 0x1000)], [13], "vendor,gpu"),
            Node("/misc", [(0x22000000, 0x1000)], [53]),
            Node("/gpu-1to1", [(0x20000000, 0x1000)], [50]),
        };
        var plan = PassthroughMatcher.Match(vbus, nodes);
        Assert.That(plan.Errors, Is.Empty);
        var gpu = plan.MatchOf("/gpu@40000000")!;
        Assert.That(gpu.Devices.Single().Name, Is.EqualTo("gpu"), "the first device with the HID that is still free");
        Assert.That(gpu.Mmio.Select(m => (m.GuestAddress, m.HostAddress, m.Size)),
            Is.EqualTo(new[] { (0x4000_0000UL, 0x2000_0000UL, 0x1000UL), (0x4000_4000UL, 0x2000_2000UL, 0x2000UL) }), "relocated; 'ctrl' has no regN name and is skipped");
        Assert.That(gpu.Irqs, Is.EqualTo(new[] { new IrqRoute(10, 50), new IrqRoute(11, 51) }));
        Assert.That(gpu.Ports.Single().Start, Is.EqualTo(0x300UL));
        Assert.That(plan.MatchOf("/gpu@50000000")!.Devices.Single().Name, Is.EqualTo("gpu2"));
        Assert.That(plan.IsDisabled("/gpu@60000000"), Is.True, "no free device with that HID");
        Assert.That(plan.Disabled.Single(d => d.Node.Path == "/gpu@60000000").Reason, Does.Contain("not available"));
        // Claimed devices are not mapped 1:1: a node at their physical address finds nothing.
        Assert.That(plan.IsDisabled("/gpu-1to1"), Is.True);
        Assert.That(plan.MatchOf("/misc")!.Devices.Single().Name, Is.EqualTo("misc"));
        Assert.That(plan.Regions.Select(r => r.Device.Name), Is.EqualTo(new[] { "misc" }));
        Assert.That(plan.PresentIrqs, Is.EqualTo(new uint[] { 53 }));
    }

    [TestCase(new ulong[] { 0x1000, 0x1000 }, 2, "0x2000 bytes but reg[1]")]
    [TestCase(new ulong[] { 0x1000 }, 2, "no reg[1]")]
    [TestCase(new ulong[] { 0x1000, 0x2000, 0x1000 }, 2, "not enough memory resources")]
    [TestCase(new ulong[] { 0x1000, 0x2000 }, 1, "no matching interrupts entry")]
    [TestCase(new ulong[] { 0x1000, 0x2000 }, 3, "not enough interrupt resources")]
    public void A_vbus_dev_node_that_does_not_fit_its_device_is_fatal_as_in_uvmm(ulong[] sizes, int irqs, string message)
    {
        var rig = new Rig(config: Gpus);
        var node = Node("/gpu", [.. sizes.Select((s, i) => (0x4000_0000UL + (ulong)i * 0x10000, s))], [.. Enumerable.Range(10, irqs).Select(i => (uint)i)], "vendor,gpu");
        var plan = PassthroughMatcher.Match(VbusDeviceView.Of(rig.Io.FindVbus("vm")!), [node]);
        Assert.That(plan.Errors.Single(), Does.Contain(message));
        Assert.That(plan.IsDisabled("/gpu"), Is.True);
        Assert.That(plan.Regions.Any(r => r.Device.Name == "gpu"), Is.True, "the device stays unclaimed");
    }

    [Test]
    public void Pci_devices_are_left_to_the_virtual_pci_host_bridge()
    {
        var rig = new Rig();
        var views = VbusDeviceView.Of(rig.Io.FindVbus("wifi_drv")!);
        Assert.That(views.Select(v => (v.Name, v.IsPci)), Is.EqualTo(new[] { ("L4ICU", false), ("wifi", true) }));
        var plan = PassthroughMatcher.Match(views, [Node("/pcie/wifi", [(0x0800_0000, 0x20_0000)], [80])]);
        Assert.That(plan.Regions, Is.Empty);
        Assert.That(plan.IsDisabled("/pcie/wifi"), Is.True);
    }
}
