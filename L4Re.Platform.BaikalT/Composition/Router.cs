using L4Re.Io;
using L4Re.Io.Dma;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Boot;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;
using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Time;
using L4Re.Platform.BaikalT.Trusted;
using L4Re.Platform.BaikalT.Vm;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Vio.Capture;
using L4Re.Vio.Driver;
using L4Re.Vio.Memory;
using L4Re.Vio.Switch;
using L4Re.Vio.Virtio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Platform.BaikalT.Composition;

/// <summary>
/// The composed prpl router (built by <see cref="RouterBuilder"/>): every part is reachable for inspection, and
/// <see cref="RunGuest"/> runs the OpenWrt VM on the kernel. Physical memory plan (Baikal-T1 DRAM): 0–4 MiB the L4Re
/// pool (sigma0), 16 MiB + 1 MiB the trusted component's memory (its DMA rings and buffers and its switch port),
/// 0x20000000 the VM's guest RAM.
/// </summary>
public sealed class Router : IDisposable
{
    /// <summary>Physical address of the L4Re pool.</summary>
    public const ulong PoolPhysical = 0;
    /// <summary>Size of the L4Re pool.</summary>
    public const long PoolSize = 4L << 20;
    /// <summary>Physical address of the trusted component's memory.</summary>
    public const ulong WifiMemoryPhysical = 0x0100_0000;
    /// <summary>Physical address of the VM's guest RAM.</summary>
    public const ulong VmRamPhysical = 0x2000_0000;
    /// <summary>The trusted component's quota.</summary>
    public const long ComponentQuota = 1L << 20;

    private readonly ILoggerFactory _loggerFactory;
    private readonly PcapWriter? _pcap;
    private readonly bool _ownsPcapStream;

    internal Router(RouterSettings s)
    {
        _loggerFactory = s.LoggerFactory ?? NullLoggerFactory.Instance;
        DmaMode = s.DmaMode;
        System = new SystemBuilder().WithOptions(s.KernelOptions).WithLogging(_loggerFactory).WithRam(new Dataspace(PoolSize, "l4re-pool"), PoolPhysical).Build();
        var k = Kernel;
        var root = k.RootFactory;

        // The board and io with the router's vbuses.
        Board = new BaikalT1Board(k, _loggerFactory);
        Io = new IoServer(k, s.DmaMode, _loggerFactory);
        Io.Load(BoardIoConfig.Router(s.Io));
        Board.AttachIo(Io);
        Environment = new RadioEnvironment(k, Board.Nic);
        foreach (var (khz, after) in s.Radars)
            Environment.AddRadar(khz, after);
        foreach (var (frame, after) in s.Stations)
            Environment.AddStation(frame, after);

        // The virtual switch and its monitor.
        Switch = new VirtualSwitch(s.SwitchOptions, _loggerFactory);
        if (s.PcapStream is not null || s.PcapPath is not null)
        {
            var stream = s.PcapStream ?? File.Create(s.PcapPath!);
            _ownsPcapStream = s.PcapStream is null;
            _pcap = new PcapWriter(stream, new KernelTimeProvider(k, KernelTimeProvider.DefaultEpoch), leaveOpen: !_ownsPcapStream);
            Monitor = Switch.CreatePcapPort(_pcap);
        }

        // The trusted Wi-Fi component: task, thread, memory, vbus "wifi", switch port, radio gate.
        WifiTask = root.CreateTask("wifi-drv");
        WifiThread = root.CreateThread("wifi-drv");
        WifiThread.Bind(WifiTask);
        var memory = new Dataspace(WifiDriverSetup.MemorySize, "wifi-drv-mem");
        Board.PlaceRam(memory, WifiMemoryPhysical);
        WifiTask.Attach(memory, WifiDriverSetup.MemoryVa, MemRights.RW);
        WifiTask.InsertCapability(WifiDriverSetup.TaskSlot.Index, WifiTask, CapRights.RWS);
        WifiTask.InsertCapability(WifiDriverSetup.FactorySlot.Index, root.CreateFactory(ComponentQuota, "wifi-drv-quota"), CapRights.RWS);
        WifiTask.InsertCapability(WifiDriverSetup.ThreadSlot.Index, WifiThread, CapRights.RWS);
        Io.Connect(BoardIoConfig.WifiVbus, WifiTask, WifiDriverSetup.VbusSlot);
        var netIrq = root.CreateIrq("wifi-net-irq");
        WifiTask.InsertCapability(WifiDriverSetup.NetIrqSlot.Index, netIrq, CapRights.RWS);
        netIrq.Bind(WifiThread, WifiDriverSetup.NetIrqLabel);
        var netMemory = new DriverMemoryList(2);
        netMemory.Add(WifiDriverSetup.MemoryVa + WifiDriverSetup.DmaAreaSize, WifiDriverSetup.MemorySize - (long)WifiDriverSetup.DmaAreaSize, memory, (long)WifiDriverSetup.DmaAreaSize);
        WifiPort = Switch.CreatePort(new PortOptions { Name = "wifi" }, netMemory);
        RadioGate = root.CreateGate(WifiThread, WifiDriverSetup.GateLabel, "radio");
        Wifi = new WifiDriver(new WifiDriverSetup
        {
            Country = s.Country,
            Capabilities = s.Radio,
            GateOptions = s.GateOptions,
            Devices = Board.Devices,
            Memory = memory,
            MemoryPhysical = WifiMemoryPhysical,
            NetTransport = new VirtioMmioTransport(WifiPort.Device, new KernelIrqLine(netIrq)),
            NetMemory = netMemory,
            NetAllocator = new GuestMemoryAllocator(WifiDriverSetup.MemoryVa + WifiDriverSetup.DmaAreaSize, WifiDriverSetup.MemorySize - WifiDriverSetup.DmaAreaSize),
        }, k, _loggerFactory);
        WifiThread.Start(Wifi.Main, s.WifiPriority);
        k.Run();
        if (!Wifi.Ready)
            throw new InvalidOperationException("the trusted Wi-Fi component did not start: " + (Wifi.InitError ?? WifiThread.StopReason ?? "unknown"));

        // The untrusted OpenWrt VM: VMM task and thread, VM object, vbus "openwrt", the radio gate with R and W only.
        if (s.Guest is not null)
        {
            VmmTask = root.CreateTask("openwrt-vmm");
            VmmThread = root.CreateThread("openwrt-vmm");
            VmmThread.Bind(VmmTask);
            VmmThread.Drive(s.VmmPriority);
            var vm = root.CreateVm("openwrt");
            VmmTask.InsertCapability(1, VmmTask, CapRights.RWS);
            VmmTask.InsertCapability(OpenWrtVmmSetup.FactorySlot.Index, root.CreateFactory(ComponentQuota, "openwrt-vmm-quota"), CapRights.RWS);
            VmmTask.InsertCapability(OpenWrtVmmSetup.ThreadSlot.Index, VmmThread, CapRights.RWS);
            VmmTask.InsertCapability(OpenWrtVmmSetup.VmSlot.Index, vm, CapRights.RWS);
            VmmTask.InsertCapability(OpenWrtVmmSetup.RadioSlot.Index, RadioGate, CapRights.RW);
            Io.Connect(BoardIoConfig.OpenWrtVbus, VmmTask, OpenWrtVmmSetup.VbusSlot);
            var wake = root.CreateIrq("openwrt-wake");
            VmmTask.InsertCapability(OpenWrtVmmSetup.WakeIrqSlot.Index, wake, CapRights.RWS);
            wake.Bind(VmmThread, OpenWrtVmmSetup.WakeLabel);
            Vmm = new OpenWrtVmm(new OpenWrtVmmSetup
            {
                Kernel = k,
                Board = Board,
                Task = VmmTask,
                Thread = VmmThread,
                VmObject = vm,
                WakeIrq = wake,
                Switch = Switch,
                RamSize = s.VmMemory,
                RamPhysical = VmRamPhysical,
            }, s.Guest, _loggerFactory);
        }
    }

    /// <summary>The booted kernel system (root task, sigma0).</summary>
    public BootedSystem System { get; }

    /// <summary>The kernel.</summary>
    public Microkernel Kernel => System.Kernel;

    /// <summary>The board.</summary>
    public BaikalT1Board Board { get; }

    /// <summary>io.</summary>
    public IoServer Io { get; }

    /// <summary>Whether DMA goes through the IOMMU model or is CPU-physical (the Baikal-T1 as it is).</summary>
    public DmaMode DmaMode { get; }

    /// <summary>The radio environment (radar, stations).</summary>
    public RadioEnvironment Environment { get; }

    /// <summary>The virtual switch.</summary>
    public VirtualSwitch Switch { get; }

    /// <summary>The pcap monitor port, or null.</summary>
    public PcapPort? Monitor { get; }

    /// <summary>The trusted component.</summary>
    public WifiDriver Wifi { get; }

    /// <summary>Its task.</summary>
    public L4Task WifiTask { get; }

    /// <summary>Its thread.</summary>
    public L4Thread WifiThread { get; }

    /// <summary>Its switch port.</summary>
    public VirtioNetPort WifiPort { get; }

    /// <summary>The radio protocol's Ipc_gate.</summary>
    public IpcGate RadioGate { get; }

    /// <summary>The OpenWrt VMM, or null without a VM.</summary>
    public OpenWrtVmm? Vmm { get; }

    /// <summary>The VMM's task.</summary>
    public L4Task? VmmTask { get; }

    /// <summary>The VMM's thread.</summary>
    public L4Thread? VmmThread { get; }

    /// <summary>Virtual time the other threads get after the VM stopped.</summary>
    public const long SettleNs = 1_000_000;

    /// <summary>Runs the OpenWrt VM until it stops or reaches a limit (<see cref="OpenWrtVmm.Run"/>).</summary>
    /// <param name="maxInstructions">The instruction limit (total since boot).</param>
    /// <param name="maxVirtualNs">The limit of the VM's clock.</param>
    /// <exception cref="InvalidOperationException">The router has no VM.</exception>
    public VmRunResult RunGuest(long maxInstructions = 10_000_000_000, long maxVirtualNs = 3_600_000_000_000)
    {
        var vmm = Vmm ?? throw new InvalidOperationException("the router has no VM");
        var result = vmm.Run(maxInstructions, maxVirtualNs);
        Kernel.Run(Kernel.Now + SettleNs); // let the other threads finish what the last exit started
        _pcap?.Flush();
        return result;
    }

    /// <summary>A host-driven client task holding a capability to the radio gate with <paramref name="rights"/> (tests, tools).</summary>
    public RadioClient CreateRadioClient(string name, CapRights rights = CapRights.RW)
    {
        var task = Kernel.RootFactory.CreateTask(name);
        var thread = Kernel.RootFactory.CreateThread(name);
        thread.Bind(task);
        thread.Drive(1);
        task.InsertCapability(0x10, RadioGate, rights);
        return new RadioClient(thread, CapSel.FromIndex(0x10));
    }

    /// <summary>Every task and its capabilities (slot, object, rights) — the boot report.</summary>
    public IEnumerable<(L4Task Task, IReadOnlyList<(ulong Slot, string Object, CapRights Rights)> Caps)> Capabilities()
    {
        foreach (var t in Kernel.Tasks)
        {
            if (t.Caps is not { } caps)
                continue;
            yield return (t, [.. caps.Enumerate().Select(c => (c.Index, c.Object.ToString() ?? c.Object.KindName, c.Rights))]);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_pcap is not null)
        {
            _pcap.Flush();
            _pcap.Dispose();
        }
    }
}
