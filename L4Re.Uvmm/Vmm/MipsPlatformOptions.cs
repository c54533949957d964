using L4Re.Uvmm.Devices;

namespace L4Re.Uvmm.Vmm;

/// <summary>Parameters of the default MIPS virtual platform device tree (<see cref="MipsPlatformTree"/>).</summary>
public sealed record MipsPlatformOptions
{
    /// <summary>The kernel command line of the reference boot (docs/vmm.md, guest-images.md).</summary>
    public const string DefaultBootArgs = "console=ttyS0,115200 earlycon rdinit=/init nokaslr";

    /// <summary>Guest RAM in bytes (a multiple of 1 MiB). Up to 256 MiB sit at 0; the rest at 0x20000000 (highmem), as on the Baikal-T1.</summary>
    public long MemorySize { get; init; } = 256L << 20;

    /// <summary>Number of vCPUs.</summary>
    public int CpuCount { get; init; } = 1;

    /// <summary>
    /// The CPU node's compatible, which selects the PRId the guest reads (uvmm's table, <see cref="MipsCpu.ProcessorIdFor"/>).
    /// The default, <c>mti,proaptiv</c>, is what Debian's generic MIPS32r2 kernel can run on: it lacks MIPS32r5 CPU
    /// support and crashes on the P5600 PRId (<c>mips,p5600</c>, for kernels built with it). The vCPU behind it is the
    /// same P5600 engine either way.
    /// </summary>
    public string CpuCompatible { get; init; } = "mti,proaptiv";

    /// <summary>The CPU clock the <c>fixed-clock</c> node announces; Linux's generic <c>plat_time_init</c> runs CP0 Count at half of it.</summary>
    public uint CpuClockHz { get; init; } = 320_000_000;

    /// <summary>The kernel command line (/chosen/bootargs).</summary>
    public string BootArgs { get; init; } = DefaultBootArgs;

    /// <summary>The ns16550a UART's address (the Baikal-T1 UART0).</summary>
    public ulong UartBase { get; init; } = 0x1f04a000;

    /// <summary>The UART's GIC shared interrupt (Baikal-T1 UART0: 48).</summary>
    public uint UartInterrupt { get; init; } = 48;

    /// <summary>The GIC address (uvmm <c>ic-mips.dtsi</c>).</summary>
    public ulong GicBase { get; init; } = MipsGicDefaults.Base;

    /// <summary>Whether to describe the virtio-mmio network slot (uvmm: 0x30010000, GIC interrupt 4, l4vmm,vdev "proxy").</summary>
    public bool VirtioNet { get; init; } = true;

    /// <summary>Whether to describe the virtio-mmio console slot (uvmm: 0x30020000, GIC interrupt 3, l4vmm,vdev "console").</summary>
    public bool VirtioConsole { get; init; } = true;
}
