using BenchmarkDotNet.Attributes;
using L4Re.Io;
using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Io.Vbus;
using L4Re.Kernel.Memory;
using L4Re.Kernel;
using L4Re.Kernel.Abi;

namespace L4Re.Benchmarks;

/// <summary>
/// io/vbus: device-side DMA through an IOMMU page table and without one (Baikal-T1), HID glob
/// matching, and parsing a router configuration.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class IoBenchmarks
{
    private const string Config = """
        device uart1 {
            hid = "snps,dw-apb-uart"
            compatible = "snps,dw-apb-uart", "ns16550a"
            mmio reg0 = 0x1f04b000 + 0x1000
            irq  irq0 = 49 level-high
        }
        device gmac0 {
            compatible = "snps,dwmac"
            dma
            mmio reg0 = 0x1f05e000 + 0x2000
            irq  irq0 = 72 level-high
        }
        device wifi {
            compatible = "pci168c,003c"
            pci vendor = 0x168c device = 0x003c class = 0x028000 address = "0000:01:00.0"
            dma
            mmio bar0 = 0x08000000 + 0x200000
            irq  inta = 80 level-high shared
        }
        vbus wifi_drv { match pci "VEN_168c&DEV_003c" }
        vbus openwrt {
            device uart1
            match compatible "snps,dwmac"
        }
        """;

    private readonly byte[] _frame = new byte[1500];
    private DmaEngine _iommu = null!;
    private DmaEngine _cpuPhys = null!;
    private HidGlob _glob = null!;

    [GlobalSetup]
    public void Setup()
    {
        _iommu = Nic(DmaMode.Iommu);
        _cpuPhys = Nic(DmaMode.CpuPhys);
        _glob = HidGlob.Compile("snps,dw-*-uart");
    }

    private static DmaEngine Nic(DmaMode mode)
    {
        var ram = new Dataspace(1 << 20, "ram");
        var kernel = new Microkernel();
        kernel.PhysicalMemory.Add(ram, 0);
        var io = new IoServer(kernel, mode);
        io.LoadText(Config);
        var driver = kernel.RootFactory.CreateTask("wifi-drv");
        driver.Attach(ram, 0x4000_0000, MemRights.RW, 0x8000, 0x4000);
        var space = kernel.RootFactory.CreateDmaSpace("wifi-dma");
        space.Map(driver, Fpage.Memory(0x4000_0000, 14, MemRights.RW), 0x10000);
        io.FindVbus("wifi_drv")!.AssignDmaDomain(VirtualBus.WholeBusDomain, DmaDomainAssignFlags.Bind | DmaDomainAssignFlags.KernelDmaSpace, space);
        return io.GetDmaEngine("wifi");
    }

    /// <summary>A NIC writes a 1500-byte frame through the IOMMU (crosses a page boundary).</summary>
    [Benchmark]
    public DmaStatus DmaWrite1500Iommu() => _iommu.Write(0x10000 + 3000, _frame);

    /// <summary>A NIC reads a 1500-byte frame through the IOMMU.</summary>
    [Benchmark]
    public DmaStatus DmaRead1500Iommu() => _iommu.Read(0x10000 + 3000, _frame);

    /// <summary>A NIC writes a 1500-byte frame without an IOMMU (Baikal-T1).</summary>
    [Benchmark]
    public DmaStatus DmaWrite1500CpuPhys() => _cpuPhys.Write(0x8000 + 3000, _frame);

    /// <summary>A refused transfer (IOMMU fault; logging goes to the null logger).</summary>
    [Benchmark]
    public DmaStatus DmaFaultIommu() => _iommu.Write(0x90000, _frame);

    /// <summary>One HID glob match.</summary>
    [Benchmark]
    public bool HidGlobMatch() => _glob.IsMatch("snps,dw-apb-uart");

    /// <summary>Parse a three-device, two-vbus configuration.</summary>
    [Benchmark]
    public IoConfig ParseConfig() => IoConfigParser.Parse(Config);
}
