using BenchmarkDotNet.Attributes;
using L4Re.Io;
using L4Re.Io.Client;
using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Io.Ipc;
using L4Re.Io.Vbus;
using L4Re.Kernel.Memory;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Benchmarks;

/// <summary>
/// io/vbus: device-side DMA through a kernel DMA space bound by the IOMMU and without one (Baikal-T1),
/// vbus calls over IPC (a resource query, an MMIO page map + unmap), HID glob matching, and parsing a
/// router configuration.
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

    private DmaEngine Nic(DmaMode mode)
    {
        var ram = new Dataspace(1 << 20, "ram");
        var kernel = new Microkernel();
        kernel.PhysicalMemory.Add(ram, 0);
        var io = new IoServer(kernel, mode);
        io.LoadText(Config);
        // The Wi-Fi driver: a task with a host-driven thread, its buffers, a kernel DMA space bound over IPC.
        var driver = kernel.RootFactory.CreateTask("wifi-drv");
        var thread = kernel.RootFactory.CreateThread("wifi-drv");
        thread.Bind(driver);
        thread.Drive();
        io.Connect("wifi_drv", driver, CapSel.FromIndex(0x10));
        driver.Attach(ram, 0x4000_0000, MemRights.RW, 0x8000, 0x4000);
        var space = kernel.RootFactory.CreateDmaSpace("wifi-dma");
        space.Map(driver, Fpage.Memory(0x4000_0000, 14, MemRights.RW), 0x10000);
        driver.InsertCapability(0x11, space, CapRights.RWS);
        var client = new VbusClient(thread, CapSel.FromIndex(0x10));
        client.AssignDmaDomain(VirtualBus.WholeBusDomain, DmaDomainAssignFlags.Bind | DmaDomainAssignFlags.KernelDmaSpace, CapSel.FromIndex(0x11));
        if (mode == DmaMode.Iommu)
        {
            _client = client;
            _driver = driver;
        }
        return io.GetDmaEngine("wifi");
    }

    private VbusClient _client = null!;
    private L4Task _driver = null!;

    /// <summary>One <c>l4vbus_get_resource</c> over IPC: the client's call, io's dispatch and the reply.</summary>
    [Benchmark]
    public L4Error VbusGetResourceIpc() => _client.GetResource(VirtualBus.FirstDeviceHandle, 0, out _);

    /// <summary>Map one MMIO page of the NIC's BAR through the vbus dataspace (IPC + kernel map) and unmap it again.</summary>
    [Benchmark]
    public L4Error MmioMapUnmapPage()
    {
        var err = _client.MapMmio(0x0800_1000, 0x6000_1000, DataspaceMapFlags.RW, null, out _);
        _driver.Unmap(Fpage.Memory(0x6000_1000, 12, MemRights.RWX), UnmapFlags.AllSpaces);
        return err;
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
