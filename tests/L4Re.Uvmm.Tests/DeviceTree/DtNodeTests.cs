using L4Re.Uvmm.DeviceTree;

namespace L4Re.Uvmm.Tests.DeviceTree;

public class DtNodeTests
{
    private static DtTree Sample() => DtTree.FromDtb(Dtc.Compile("""
        /dts-v1/;
        / {
            #address-cells = <1>;
            #size-cells = <1>;
            aliases { serial0 = "/l4vmm/serial@40000"; };
            cpu_intc: cpu_intc { compatible = "mti,cpu-interrupt-controller"; interrupt-controller; #interrupt-cells = <1>; };
            wide {
                #address-cells = <2>;
                #size-cells = <2>;
                mem@100000000 { device_type = "memory"; reg = <0x1 0x0 0x0 0x10000000>, <0x0 0x0 0x0 0x8000000>; };
            };
            gic: interrupt-controller@1bdc0000 {
                compatible = "mti,gic"; reg = <0x1bdc0000 0x20000>;
                interrupt-controller; #interrupt-cells = <3>;
                interrupt-parent = <&cpu_intc>; interrupts = <2>;
            };
            l4vmm {
                #address-cells = <1>; #size-cells = <1>;
                compatible = "simple-bus";
                ranges = <0x0 0x30000000 0x21000>, <0x40000 0x30040000 0x1000>;
                interrupt-parent = <&gic>;
                serial@40000 { compatible = "ns16550a", "uart,8250"; reg = <0x40000 0x100>; interrupts = <0 2 4>; status = "okay"; };
                virtio@10000 { compatible = "virtio,mmio"; reg = <0x10000 0x200>; interrupts = <0 4 4>, <0 5 4>; status = "disabled"; };
                ext { interrupts-extended = <&cpu_intc 3>, <&gic 0 7 4>; };
            };
            isa { #address-cells = <1>; #size-cells = <1>; port@60 { reg = <0x60 0x10>; }; };
        };
        """));

    [Test]
    public void Reg_uses_the_parent_cells()
    {
        var mem = Sample().GetNode("/wide/mem@100000000");
        Assert.That(mem.DeviceType, Is.EqualTo("memory"));
        Assert.That(mem.GetReg(), Is.EqualTo(new[] { new DtRegion(0x100000000, 0x10000000), new DtRegion(0, 0x8000000) }));
    }

    [Test]
    public void Reg_is_translated_through_ranges()
    {
        var tree = Sample();
        var serial = tree.GetNode("/l4vmm/serial@40000");
        Assert.That(serial.GetReg(), Is.EqualTo(new[] { new DtRegion(0x40000, 0x100) }));
        Assert.That(serial.GetTranslatedReg(), Is.EqualTo(new[] { new DtRegion(0x30040000, 0x100) }));
        Assert.That(tree.GetNode("/l4vmm/virtio@10000").GetTranslatedReg()[0].Address, Is.EqualTo(0x30010000UL));
        var e = Assert.Throws<DeviceTreeException>(() => tree.GetNode("/isa/port@60").GetTranslatedReg());
        Assert.That(e!.Message, Does.Contain("no 'ranges'"));
    }

    [Test]
    public void Reg_of_the_wrong_length_is_a_clear_error()
    {
        var tree = Sample();
        var serial = tree.GetNode("/l4vmm/serial@40000");
        serial.SetCells("reg", 1, 2, 3);
        var e = Assert.Throws<DeviceTreeException>(() => serial.GetReg());
        Assert.That(e!.Message, Does.Contain("/l4vmm/serial@40000"));
    }

    [Test]
    public void Interrupts_follow_the_interrupt_parent()
    {
        var tree = Sample();
        var gic = tree.GetNode("/interrupt-controller@1bdc0000");
        var serial = tree.GetNode("/l4vmm/serial@40000");
        Assert.That(serial.FindInterruptParent(), Is.SameAs(gic));
        var irqs = tree.GetNode("/l4vmm/virtio@10000").GetInterrupts();
        Assert.That(irqs, Has.Count.EqualTo(2));
        Assert.That(irqs[1].Cells, Is.EqualTo(new uint[] { 0, 5, 4 }));
        Assert.That(gic.GetInterrupts().Single().Controller.Name, Is.EqualTo("cpu_intc"));
        Assert.That(gic.GetInterrupts().Single().Cells, Is.EqualTo(new uint[] { 2 }));
    }

    [Test]
    public void Interrupts_extended_names_each_controller()
    {
        var irqs = Sample().GetNode("/l4vmm/ext").GetInterrupts();
        Assert.That(irqs.Select(i => i.Controller.Name), Is.EqualTo(new[] { "cpu_intc", "interrupt-controller@1bdc0000" }));
        Assert.That(irqs[1].Cells, Is.EqualTo(new uint[] { 0, 7, 4 }));
    }

    [Test]
    public void Interrupts_that_do_not_match_interrupt_cells_are_an_error()
    {
        var serial = Sample().GetNode("/l4vmm/serial@40000");
        serial.SetCells("interrupts", 0, 2);
        Assert.Throws<DeviceTreeException>(() => serial.GetInterrupts());
    }

    [Test]
    public void Status_and_disable()
    {
        var tree = Sample();
        Assert.That(tree.GetNode("/l4vmm/serial@40000").IsEnabled, Is.True);
        Assert.That(tree.GetNode("/l4vmm/virtio@10000").IsEnabled, Is.False);
        var gic = tree.GetNode("/interrupt-controller@1bdc0000");
        Assert.That(gic.IsEnabled, Is.True);
        gic.Disable();
        Assert.That(gic.IsEnabled, Is.False);
        Assert.That(gic.Status, Is.EqualTo("disabled"));
        Assert.That(Dtc.Decompile(tree.ToDtb()), Does.Contain("status = \"disabled\";"));
    }

    [Test]
    public void Paths_aliases_and_base_name_lookup()
    {
        var tree = Sample();
        Assert.That(tree.FindNode("serial0")?.Path, Is.EqualTo("/l4vmm/serial@40000"));
        Assert.That(tree.FindNode("/l4vmm/serial")?.Path, Is.EqualTo("/l4vmm/serial@40000"));
        Assert.That(tree.FindNode("/interrupt-controller")?.IsCompatible("mti,gic"), Is.True);
        Assert.That(tree.FindNode("/nope"), Is.Null);
        Assert.That(tree.FindNode("nope"), Is.Null);
        Assert.That(tree.GetNode("/l4vmm/serial@40000").Path, Is.EqualTo("/l4vmm/serial@40000"));
        Assert.That(tree.FindCompatible("uart,8250").Single().Name, Is.EqualTo("serial@40000"));
    }

    [Test]
    public void Phandles_are_found_and_assigned_uniquely()
    {
        var tree = Sample();
        var gic = tree.GetNode("/interrupt-controller@1bdc0000");
        Assert.That(tree.FindByPhandle(gic.Phandle!.Value), Is.SameAs(gic));
        var isa = tree.GetNode("/isa");
        var fresh = tree.GetOrAssignPhandle(isa);
        Assert.That(fresh, Is.GreaterThan(gic.Phandle!.Value));
        Assert.That(tree.GetOrAssignPhandle(isa), Is.EqualTo(fresh));
        Assert.That(tree.FindByPhandle(fresh), Is.SameAs(isa));
    }

    [Test]
    public void Duplicate_phandles_cannot_be_written()
    {
        var tree = Sample();
        tree.GetNode("/isa").SetU32("phandle", tree.GetNode("/cpu_intc").Phandle!.Value);
        Assert.That(() => tree.ToDtb(), Throws.TypeOf<DeviceTreeException>().With.Message.Contains("is used by both"));
    }

    [Test]
    public void Typed_accessors_reject_wrong_shapes()
    {
        var node = new DtTree().Root.AddChild("n");
        node.SetProperty("three", [1, 2, 3]);
        node.SetStringList("list", "a", "bc");
        node.SetU64("wide", 0x1_0000_0002);
        Assert.Multiple(() =>
        {
            Assert.That(() => node.GetProperty("three").GetU32(), Throws.TypeOf<DeviceTreeException>().With.Message.Contains("/n"));
            Assert.That(() => node.GetProperty("three").GetCells(), Throws.TypeOf<DeviceTreeException>());
            Assert.That(() => node.GetProperty("list").GetString(), Throws.TypeOf<DeviceTreeException>().With.Message.Contains("string list"));
            Assert.That(node.GetProperty("list").GetStringList(), Is.EqualTo(new[] { "a", "bc" }));
            Assert.That(node.GetProperty("wide").GetCells(), Is.EqualTo(new uint[] { 1, 2 }));
            Assert.That(node.GetProperty("wide").ReadNumber(0, 2), Is.EqualTo(0x1_0000_0002UL));
            Assert.That(node.GetProperty("wide").GetCell(1), Is.EqualTo(2u));
            Assert.That(() => node.GetProperty("wide").GetCell(2), Throws.TypeOf<DeviceTreeException>());
            Assert.That(() => node.GetProperty("missing"), Throws.TypeOf<DeviceTreeException>().With.Message.Contains("no property 'missing'"));
            Assert.That(node.GetU32("missing", 7), Is.EqualTo(7u));
        });
    }

    [Test]
    public void Names_are_validated()
    {
        var root = new DtTree().Root;
        Assert.That(() => root.AddChild("bad name"), Throws.TypeOf<DeviceTreeException>());
        Assert.That(() => root.AddChild("a@1@2"), Throws.TypeOf<DeviceTreeException>());
        Assert.That(() => root.AddChild("a@"), Throws.TypeOf<DeviceTreeException>());
        Assert.That(() => root.SetU32("bad$", 1), Throws.TypeOf<DeviceTreeException>());
        root.AddChild("ok@1f,2");
        Assert.That(() => root.AddChild("ok@1f,2"), Throws.TypeOf<DeviceTreeException>().With.Message.Contains("already has"));
        Assert.That(() => root.SetString("s", "a\0b"), Throws.TypeOf<DeviceTreeException>());
    }

    [Test]
    public void Chosen_bootargs_and_initrd()
    {
        var tree = new DtTree();
        tree.SetBootArgs("console=ttyS0,115200 earlycon rdinit=/init nokaslr");
        tree.SetInitrd(0x2000000, 0x2123456);
        var chosen = tree.GetNode("/chosen");
        Assert.That(chosen.GetString("bootargs"), Is.EqualTo("console=ttyS0,115200 earlycon rdinit=/init nokaslr"));
        Assert.That(chosen.GetU32("linux,initrd-start"), Is.EqualTo(0x2000000u));
        Assert.That(chosen.GetU32("linux,initrd-end"), Is.EqualTo(0x2123456u));
        tree.SetInitrd(0x1_0000_0000, 0x1_0000_1000);
        Assert.That(chosen.GetProperty("linux,initrd-start").GetU64(), Is.EqualTo(0x1_0000_0000UL));
        var dts = Dtc.Decompile(tree.ToDtb());
        Assert.That(dts, Does.Contain("bootargs = \"console=ttyS0,115200 earlycon rdinit=/init nokaslr\";"));
        tree.ClearInitrd();
        Assert.That(chosen.HasProperty("linux,initrd-start"), Is.False);
    }

    [Test]
    public void Set_reg_encodes_with_the_parent_cells()
    {
        var tree = new DtTree();
        tree.Root.SetU32("#address-cells", 2).Owner.SetU32("#size-cells", 1);
        var n = tree.Root.AddChild("memory@0");
        n.SetReg(new DtRegion(0x1_2000_0000, 0x1000));
        Assert.That(n.GetProperty("reg").GetCells(), Is.EqualTo(new uint[] { 1, 0x20000000, 0x1000 }));
        Assert.That(() => n.SetReg(new DtRegion(0, 0x1_0000_0000)), Throws.TypeOf<DeviceTreeException>());
    }

    [Test]
    public void Builder_reports_unknown_labels()
    {
        var b = new DtBuilder().Root(r => r.Node("x", n => n.InterruptParent("nowhere")));
        Assert.That(() => b.Build(), Throws.TypeOf<DeviceTreeException>().With.Message.Contains("unknown label 'nowhere'"));
    }
}
