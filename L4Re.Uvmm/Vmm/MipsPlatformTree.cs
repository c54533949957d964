using L4Re.Uvmm.DeviceTree;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// The default device tree of a MIPS generic-kernel guest: uvmm's MIPS virtual platform (<c>configs/dts/virt-mips32.dts</c>
/// with <c>ic-mips.dtsi</c>, <c>vmm-devices-mips.dtsi</c>, <c>syscon.dtsi</c>) plus what the unmodified Debian
/// <c>mips32r2el</c> kernel needs to boot from it (docs/vmm.md): a <c>fixed-clock</c> for the CPU (the generic
/// <c>plat_time_init</c> derives the CP0 timer from it), an <c>ns16550a</c> console with <c>stdout-path</c> for
/// <c>earlycon</c>, and /chosen bootargs.
/// </summary>
public static class MipsPlatformTree
{
    /// <summary>Physical base of uvmm's virtual device window (<c>l4vmm</c> simple-bus).</summary>
    public const ulong L4vmmWindow = 0x30000000;

    /// <summary>Where RAM beyond the low 256 MiB goes (HIGHMEM_START of 32-bit MIPS Linux).</summary>
    public const ulong HighMemoryBase = 0x20000000;

    /// <summary>The most RAM placed at physical 0.</summary>
    public const long LowMemoryLimit = 256L << 20;

    /// <summary>Builds the tree.</summary>
    /// <param name="options">Parameters, or null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The memory size or CPU count is out of range.</exception>
    public static DtTree Create(MipsPlatformOptions? options = null)
    {
        var o = options ?? new MipsPlatformOptions();
        if (o.MemorySize < 16L << 20 || o.MemorySize % (1 << 20) != 0 || o.MemorySize > 2L << 30)
            throw new ArgumentOutOfRangeException(nameof(options), o.MemorySize, "memory must be a multiple of 1 MiB between 16 MiB and 2 GiB");
        if (o.CpuCount is < 1 or > Devices.MipsCpu.MaxCpus)
            throw new ArgumentOutOfRangeException(nameof(options), o.CpuCount, "1 to 32 CPUs");

        var low = Math.Min(o.MemorySize, LowMemoryLimit);
        var high = o.MemorySize - low;
        var memory = high > 0 ? new[] { 0UL, (ulong)low, HighMemoryBase, (ulong)high } : [0UL, (ulong)low];
        var uartName = $"serial@{o.UartBase:x}";

        return new DtBuilder().Root(r =>
        {
            r.Cells(1, 1)
                .String("model", "L4Re uvmm MIPS virtual platform")
                .Compatible("l4,virt", "linux,dummy-virt")
                .Node("aliases", a => a.String("serial0", $"/soc/{uartName}"))
                .Node("chosen", c => c.String("bootargs", o.BootArgs).String("stdout-path", "serial0:115200n8"))
                .Node("cpus", cpus =>
                {
                    cpus.Cells(1, 0);
                    for (var i = 0; i < o.CpuCount; i++)
                    {
                        var id = (uint)i;
                        cpus.Node($"cpu@{i}", cpu => cpu.String("device_type", "cpu").Compatible(o.CpuCompatible).U32("reg", id).Reference("clocks", "cpu_clk"));
                    }
                })
                .Node("cpu-clock", clk => clk.Label("cpu_clk").Compatible("fixed-clock").U32("#clock-cells", 0)
                    .U32("clock-frequency", o.CpuClockHz).String("clock-output-names", "cpu"))
                .Node("memory@0", m => m.String("device_type", "memory").Reg(memory))
                .Node("cpu_intc", ic => ic.Label("cpu_intc").U32("#address-cells", 0).Compatible("mti,cpu-interrupt-controller")
                    .Empty("interrupt-controller").U32("#interrupt-cells", 1))
                .Node("soc", soc => soc.Cells(1, 1).Compatible("simple-bus").Empty("ranges")
                    .Node($"interrupt-controller@{o.GicBase:x}", gic => gic.Label("gic").Compatible("mti,gic")
                        .Reg(o.GicBase, Devices.MipsGic.RegionSize).Cells("mti,reserved-cpu-vectors", 7)
                        .Empty("interrupt-controller").U32("#interrupt-cells", 3).U32("#address-cells", 0))
                    .Node(uartName, u => u.Compatible("ns16550a").Reg(o.UartBase, 0x100)
                        .U32("reg-shift", 2).U32("reg-io-width", 4).U32("clock-frequency", Devices.UartOptions.StandardClock)
                        .InterruptParent("gic").Interrupts(0, o.UartInterrupt, 4)))
                .Node("l4vmm", vmm =>
                {
                    vmm.Cells(1, 1).Compatible("simple-bus").Cells("ranges", 0, (uint)L4vmmWindow, 0x21000);
                    if (o.VirtioNet)
                        vmm.Node("virtio_net@10000", n => n.Compatible("virtio,mmio").Reg(0x10000, 0x200).InterruptParent("gic")
                            .Interrupts(0, 4, 4).String("l4vmm,vdev", "proxy").String("l4vmm,virtiocap", "net"));
                    if (o.VirtioConsole)
                        vmm.Node("virtio_uart@20000", n => n.Compatible("virtio,mmio").Reg(0x20000, 0x200).InterruptParent("gic")
                            .Interrupts(0, 3, 4).String("l4vmm,vdev", "console"));
                })
                .Node("vmm-syscon", s => s.Cells(1, 1).Compatible("simple-bus").Cells("ranges", 0, (uint)L4vmmWindow + 0x30000, 4)
                    .Node("syscon@0", sc => sc.Label("l4syscon").Compatible("syscon", "syscon-l4vmm").Reg(0, 4).Empty("little-endian"))
                    .Node("reboot", rb => rb.Compatible("syscon-reboot").Reference("regmap", "l4syscon").U32("offset", 0).U32("mask", Devices.SysconL4vmm.RebootValue))
                    // uvmm's syscon.dtsi has mask = <0x0> here, which makes Linux's regmap_update_bits skip the write
                    // (the register reads 0, so nothing changes); writing 1 reaches the VMM as a power-off request.
                    .Node("poweroff", po => po.Compatible("syscon-poweroff").Reference("regmap", "l4syscon").U32("offset", 0).U32("value", 1).U32("mask", 0xffffffff)));
        }).Build();
    }
}
