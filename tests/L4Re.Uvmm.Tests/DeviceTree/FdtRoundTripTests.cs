using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.DeviceTree;

namespace L4Re.Uvmm.Tests.DeviceTree;

public class FdtRoundTripTests
{
    private const string Sample = """
        /dts-v1/;
        /memreserve/ 0x1000 0x2000;
        / {
            #address-cells = <1>;
            #size-cells = <1>;
            model = "test";
            compatible = "l4,virt", "linux,dummy-virt";
            cpu_intc: cpu_intc {
                #address-cells = <0>;
                compatible = "mti,cpu-interrupt-controller";
                interrupt-controller;
                #interrupt-cells = <1>;
            };
            soc {
                #address-cells = <1>;
                #size-cells = <1>;
                compatible = "simple-bus";
                ranges;
                gic: interrupt-controller@1bdc0000 {
                    compatible = "mti,gic";
                    reg = <0x1bdc0000 0x20000>;
                    interrupt-controller;
                    #interrupt-cells = <3>;
                    interrupt-parent = <&cpu_intc>;
                    interrupts = <2>;
                };
            };
            l4vmm {
                #address-cells = <1>;
                #size-cells = <1>;
                compatible = "simple-bus";
                ranges = <0x0 0x30000000 0x21000>;
                virtio_net@10000 {
                    compatible = "virtio,mmio";
                    reg = <0x10000 0x200>;
                    interrupt-parent = <&gic>;
                    interrupts = <0 4 4>;
                    l4vmm,vdev = "proxy";
                    big = /bits/ 64 <0x123456789>;
                    bytes = [01 02 03];
                };
            };
            chosen { bootargs = "console=ttyS0"; device-xame = "y"; xame = "q"; };
        };
        """;

    [Test]
    public void Reads_what_dtc_writes()
    {
        var tree = DtTree.FromDtb(Dtc.Compile(Sample));
        Assert.That(tree.MemoryReservations, Is.EqualTo(new[] { new MemoryReservation(0x1000, 0x2000) }));
        Assert.That(tree.Root.GetString("model"), Is.EqualTo("test"));
        Assert.That(tree.Root.Compatible, Is.EqualTo(new[] { "l4,virt", "linux,dummy-virt" }));
        var net = tree.GetNode("/l4vmm/virtio_net@10000");
        Assert.That(net.GetString("l4vmm,vdev"), Is.EqualTo("proxy"));
        Assert.That(net.GetProperty("big").GetU64(), Is.EqualTo(0x123456789UL));
        Assert.That(net.GetProperty("bytes").Value.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(tree.GetNode("/chosen").GetString("bootargs"), Is.EqualTo("console=ttyS0"));
    }

    [Test]
    public void Writes_dtc_output_back_byte_for_byte()
    {
        var dtb = Dtc.Compile(Sample);
        Assert.That(DtTree.FromDtb(dtb).ToDtb(), Is.EqualTo(dtb));
    }

    [Test]
    public void Dtc_accepts_a_built_tree_and_reflattens_it_identically()
    {
        var tree = new DtBuilder()
            .Reserve(0x100000, 0x1000)
            .Root(r => r.Cells(1, 1).Compatible("l4,virt")
                .Node("ic", n => n.Label("ic").Compatible("mti,cpu-interrupt-controller").Empty("interrupt-controller").U32("#interrupt-cells", 1).U32("#address-cells", 0))
                .Node("uart@30040000", n => n.Compatible("ns16550a").Reg(0x30040000, 0x100).InterruptParent("ic").Interrupts(4))
                .Node("chosen", n => n.String("bootargs", "console=ttyS0,115200")))
            .Build();
        var dtb = tree.ToDtb();
        var dts = Dtc.Decompile(dtb);
        Assert.That(dts, Does.Contain("compatible = \"ns16550a\";"));
        Assert.That(dts, Does.Contain("interrupt-parent = <0x01>;"));
        Assert.That(dts, Does.Contain("/memreserve/"));
        Assert.That(Dtc.Reflatten(dtb), Is.EqualTo(dtb));
    }

    [FsCheck.NUnit.Property(MaxTest = 300, Replay = "20260702,1")]
    public Property Write_then_read_gives_the_same_tree() =>
        Prop.ForAll(TreeGen.Arbitrary, tree =>
        {
            var back = DtTree.FromDtb(tree.ToDtb());
            return TreeAssert.Equal(tree, back, out var diff).Label(diff);
        });

    [FsCheck.NUnit.Property(MaxTest = 300, Replay = "20260702,3")]
    public Property Writing_is_deterministic_and_a_fixed_point() =>
        Prop.ForAll(TreeGen.Arbitrary, tree =>
        {
            var dtb = tree.ToDtb();
            return DtTree.FromDtb(dtb).ToDtb().AsSpan().SequenceEqual(dtb);
        });

    [Test]
    public void Dtc_accepts_random_trees_and_lays_them_out_as_we_do()
    {
        // One dtc process per tree: 60 trees keep this test around a second.
        var trees = TreeGen.Tree.Sample(10, new Rnd(20260702UL, 7UL), 60);
        foreach (var tree in trees)
        {
            var dtb = tree.ToDtb();
            Dtc.Decompile(dtb);
            Assert.That(Dtc.Reflatten(dtb), Is.EqualTo(dtb), "dtc -I dtb -O dtb changed our blob");
        }
    }

    [Test]
    public void Reads_version_16_blobs_without_size_dt_struct()
    {
        var r = Dtc.Run("-q -I dts -O dtb -V 16 -", System.Text.Encoding.UTF8.GetBytes(Sample));
        Assert.That(r.ExitCode, Is.Zero, r.Errors);
        var tree = DtTree.FromDtb(r.Output);
        Assert.That(tree.GetNode("/soc/interrupt-controller@1bdc0000").IsCompatible("mti,gic"), Is.True);
    }

    [Test]
    public void Clone_is_deep()
    {
        var tree = DtTree.FromDtb(Dtc.Compile(Sample));
        var copy = tree.Clone();
        copy.GetNode("/chosen").SetString("bootargs", "changed");
        Assert.That(tree.GetNode("/chosen").GetString("bootargs"), Is.EqualTo("console=ttyS0"));
        Assert.That(TreeAssert.Equal(tree, DtTree.FromDtb(tree.ToDtb()), out _), Is.True);
    }
}
