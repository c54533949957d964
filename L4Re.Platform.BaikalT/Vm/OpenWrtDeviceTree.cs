using L4Re.Platform.BaikalT.Devices;
using L4Re.Platform.BaikalT.Soc;
using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Vm;

/// <summary>
/// The device tree of the OpenWrt VM on the Baikal-T1 router: uvmm's MIPS virtual platform (GIC, core interrupt
/// controller, syscon, the virtio-mmio slots at 0x30010000 — the switch port, <c>l4vmm,vdev = "proxy"</c> — and
/// 0x30020000 — the radio control channel, <c>l4vmm,vdev = "console"</c>) with one P5600 at the board's clock and
/// the devices of the VM's vbus passed through 1:1 at their physical addresses: UART1 (<c>snps,dw-apb-uart</c>, <c>ns16550a</c>,
/// reg-shift 2, the console, also <c>stdout-path</c>) and both GMACs. There is no Wi-Fi node: the NIC is not on this VM's
/// vbus. The same tree is what an unmodified Linux would boot with (Linux's <c>8250_dw</c> or <c>of_serial</c>, <c>mips-gic</c>,
/// <c>virtio_mmio</c> drivers).
/// </summary>
public static class OpenWrtDeviceTree
{
    /// <summary>The kernel command line for a Linux guest.</summary>
    public const string BootArgs = "console=ttyS0,115200 earlycon rdinit=/init nokaslr";

    /// <summary>Paths of the pass-through nodes.</summary>
    public static IReadOnlyList<string> PassthroughNodes { get; } = ["/soc/serial@1f04b000", "/soc/ethernet@1f05e000", "/soc/ethernet@1f060000"];

    /// <summary>UART1's own compatible (Linux <c>8250_dw</c>).</summary>
    public const string UartCompatible = "snps,dw-apb-uart";

    /// <summary>
    /// UART1's fallback compatible: the DW APB UART is register-compatible with a 16550A, and a kernel without
    /// <c>CONFIG_SERIAL_8250_DW</c> (Debian's mips32r2el 6.1) binds it with <c>of_serial</c> (<c>8250_of.c</c> maps
    /// "ns16550a" to PORT_16550A with UPF_FIXED_TYPE, so no autoconfig probing) as ttyS0, the console /init opens.
    /// </summary>
    public const string UartFallbackCompatible = "ns16550a";

    /// <summary>The CPU the VM describes by default: the Baikal-T1's P5600.</summary>
    public const string P5600Compatible = "mips,p5600";

    /// <summary>Builds the tree for a VM with <paramref name="memorySize"/> bytes of RAM at guest-physical 0.</summary>
    /// <param name="memorySize">Guest RAM in bytes.</param>
    /// <param name="cpuCompatible">The <c>compatible</c> of the CPU node, which selects the PRId the vCPU reports (uvmm <c>get_proc_type</c>).</param>
    public static DtTree Create(long memorySize, string cpuCompatible = P5600Compatible)
    {
        if (memorySize < 1 << 20 || memorySize % (1 << 20) != 0 || memorySize > MipsPlatformTree.LowMemoryLimit)
            throw new ArgumentOutOfRangeException(nameof(memorySize), memorySize, "1 MiB to 256 MiB in whole MiB");
        var uart1 = BaikalT1MemoryMap.Uart1;
        var gmacs = BaikalT1MemoryMap.Blocks.Where(b => b.Compatible == "snps,dwmac").ToList();
        return new DtBuilder().Root(r =>
        {
            r.Cells(1, 1)
                .String("model", "Baikal-T1 prpl router: OpenWrt VM (L4Re uvmm)")
                .Compatible("l4,virt", "linux,dummy-virt")
                .Node("aliases", a => a.String("serial0", "/soc/serial@1f04b000"))
                .Node("chosen", c => c.String("bootargs", BootArgs).String("stdout-path", "serial0:115200n8"))
                .Node("cpus", cpus => cpus.Cells(1, 0)
                    .Node("cpu@0", cpu => cpu.String("device_type", "cpu").Compatible(cpuCompatible).U32("reg", 0).Reference("clocks", "cpu_clk")))
                .Node("cpu-clock", clk => clk.Label("cpu_clk").Compatible("fixed-clock").U32("#clock-cells", 0)
                    .U32("clock-frequency", P5600Core.ClockHz).String("clock-output-names", "cpu"))
                .Node("memory@0", m => m.String("device_type", "memory").Reg(0UL, (ulong)memorySize))
                .Node("cpu_intc", ic => ic.Label("cpu_intc").U32("#address-cells", 0).Compatible("mti,cpu-interrupt-controller")
                    .Empty("interrupt-controller").U32("#interrupt-cells", 1))
                .Node("soc", soc =>
                {
                    soc.Cells(1, 1).Compatible("simple-bus").Empty("ranges")
                        .Node($"interrupt-controller@{BaikalT1MemoryMap.Gic.Base:x}", gic => gic.Label("gic").Compatible("mti,gic")
                            .Reg(BaikalT1MemoryMap.Gic.Base, Uvmm.Devices.MipsGic.RegionSize).Cells("mti,reserved-cpu-vectors", 7)
                            .Empty("interrupt-controller").U32("#interrupt-cells", 3).U32("#address-cells", 0))
                        .Node($"serial@{uart1.Base:x}", u => u.Compatible(UartCompatible, UartFallbackCompatible).Reg(uart1.Base, DwApbUart.WindowSize)
                            .U32("reg-shift", 2).U32("reg-io-width", 4).U32("clock-frequency", DwApbUart.DefaultClockHz)
                            .InterruptParent("gic").Interrupts(0, (uint)uart1.Irqs[0], 4));
                    foreach (var g in gmacs)
                        soc.Node($"ethernet@{g.Base:x}", e => e.Compatible("snps,dwmac").Reg(g.Base, g.Size)
                            .InterruptParent("gic").Interrupts(0, (uint)g.Irqs[0], 4).String("phy-mode", "rgmii"));
                })
                .Node("l4vmm", vmm => vmm.Cells(1, 1).Compatible("simple-bus").Cells("ranges", 0, (uint)MipsPlatformTree.L4vmmWindow, 0x21000)
                    .Node("virtio_net@10000", n => n.Compatible("virtio,mmio").Reg(0x10000, 0x200).InterruptParent("gic")
                        .Interrupts(0, 4, 4).String("l4vmm,vdev", "proxy").String("l4vmm,virtiocap", "net"))
                    .Node("virtio_uart@20000", n => n.Compatible("virtio,mmio").Reg(0x20000, 0x200).InterruptParent("gic")
                        .Interrupts(0, 3, 4).String("l4vmm,vdev", "console")))
                .Node("vmm-syscon", s => s.Cells(1, 1).Compatible("simple-bus").Cells("ranges", 0, (uint)MipsPlatformTree.L4vmmWindow + 0x30000, 4)
                    .Node("syscon@0", sc => sc.Label("l4syscon").Compatible("syscon", "syscon-l4vmm").Reg(0, 4).Empty("little-endian"))
                    .Node("reboot", rb => rb.Compatible("syscon-reboot").Reference("regmap", "l4syscon").U32("offset", 0).U32("mask", Uvmm.Devices.SysconL4vmm.RebootValue))
                    .Node("poweroff", po => po.Compatible("syscon-poweroff").Reference("regmap", "l4syscon").U32("offset", 0).U32("value", 1).U32("mask", 0xffffffff)));
        }).Build();
    }
}
