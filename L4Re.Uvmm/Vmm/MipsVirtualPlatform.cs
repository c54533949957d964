using L4Re.Uvmm.Devices;
using L4Re.Uvmm.DeviceTree;
using L4Re.Vio.Devices.Console;
using L4Re.Vio.Memory;
using L4Re.Vio.Switch;
using Microsoft.Extensions.Logging;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// The MIPS virtual platform of uvmm assembled from a device tree: the device factories for
/// <c>mti,cpu-interrupt-controller</c>, <c>mti,gic</c>, <c>ns16550a</c>/<c>uart,8250</c>, <c>syscon-l4vmm</c> and the
/// <c>virtio,mmio</c> slots backed by L4Re.Vio devices — <c>l4vmm,vdev = "proxy"</c> (a virtio-net port of a
/// <see cref="VirtualSwitch"/> named by <c>l4vmm,virtiocap</c>, see <see cref="ConnectNetwork"/>) and
/// <c>l4vmm,vdev = "console"</c> (a <see cref="VirtioConsoleDevice"/>), registered by <see cref="Build"/> unless the
/// caller registered its own factory for that key — (register more on <see cref="Registry"/> before
/// <see cref="Build"/>), plus the devices uvmm's MIPS guest always has without a node: the per-vCPU core
/// interrupt controllers, the Coherence Manager at CMGCRBase and the CPC (ARCH-mips <c>guest.cc</c>
/// <c>Guest::Guest</c>).
/// </summary>
public sealed class MipsVirtualPlatform
{
    private readonly List<Uart16550> _uarts = [];
    private readonly List<VirtioMmioSlot> _virtioSlots = [];
    private readonly List<VirtioNetPort> _netPorts = [];
    private readonly List<VirtioConsoleDevice> _virtioConsoles = [];
    private readonly Dictionary<string, (VirtualSwitch Switch, PortOptions Options)> _networks = [];
    private readonly IVmClock? _clock;
    private DriverMemoryList? _driverMemory;

    /// <summary>Prepares the platform for <paramref name="tree"/>.</summary>
    /// <param name="tree">The device tree (the VM disables nodes it cannot back).</param>
    /// <param name="clock">Virtual time for the GIC counter and UART timeouts, or null.</param>
    /// <param name="loggerFactory">Logging, or null.</param>
    public MipsVirtualPlatform(DtTree tree, IVmClock? clock = null, ILoggerFactory? loggerFactory = null)
    {
        _clock = clock;
        var cpuCount = Math.Clamp(tree.Nodes.Count(n => n.IsEnabled && SafeType(n) == "cpu"), 1, MipsCpu.MaxCpus);
        Cores = new CoreInterruptControllers(cpuCount);
        Cm = new CoherencyManager(cpuCount);
        Cpc = new ClusterPowerController(Cm);
        Registry = new DeviceRegistry();
        Vm = new VirtualMachine(tree, Registry, loggerFactory);
        Registry.Register("mti,cpu-interrupt-controller", (_, _) => Cores[0]);
        Registry.Register("mti,gic", CreateGic);
        Registry.Register("ns16550a", CreateUart);
        Registry.Register("uart,8250", CreateUart);
        Registry.Register("syscon-l4vmm", CreateSyscon);
    }

    /// <summary>The VM (RAM, MMIO bus, devices).</summary>
    public VirtualMachine Vm { get; }

    /// <summary>The device factories; add more before <see cref="Build"/>.</summary>
    public DeviceRegistry Registry { get; }

    /// <summary>The per-vCPU core interrupt controllers (their pending lines go to GuestCtl2.VIP).</summary>
    public CoreInterruptControllers Cores { get; }

    /// <summary>The GIC, once created.</summary>
    public MipsGic? Gic { get; private set; }

    /// <summary>The Coherence Manager (CP0 CMGCRBase points here).</summary>
    public CoherencyManager Cm { get; }

    /// <summary>The Cluster Power Controller; set <see cref="ClusterPowerController.Power"/> to start secondary vCPUs.</summary>
    public ClusterPowerController Cpc { get; }

    /// <summary>The UARTs in device tree order.</summary>
    public IReadOnlyList<Uart16550> Uarts => _uarts;

    /// <summary>The <c>virtio,mmio</c> slots in device tree order.</summary>
    public IReadOnlyList<VirtioMmioSlot> VirtioSlots => _virtioSlots;

    /// <summary>The switch ports of the virtio-net slots.</summary>
    public IReadOnlyList<VirtioNetPort> NetPorts => _netPorts;

    /// <summary>The virtio consoles (their <see cref="VirtioConsoleDevice.Output"/> is drained by <see cref="MipsVm"/>).</summary>
    public IReadOnlyList<VirtioConsoleDevice> VirtioConsoles => _virtioConsoles;

    /// <summary>
    /// Guest RAM as the virtio devices see it (l4virtio's driver memory list): every RAM region at its
    /// guest-physical address. Available once <see cref="Build"/> has allocated RAM.
    /// </summary>
    /// <exception cref="InvalidOperationException">RAM has not been allocated yet.</exception>
    public DriverMemoryList DriverMemory => _driverMemory ??= CreateDriverMemory();

    /// <summary>
    /// Connects the <c>virtio,mmio</c> node with <c>l4vmm,vdev = "proxy"</c> and <c>l4vmm,virtiocap = "<paramref name="capability"/>"</c>
    /// to a new port of <paramref name="vswitch"/> (uvmm hands the proxy the switch port capability of that name;
    /// without one the node is disabled). Call before <see cref="Build"/>.
    /// </summary>
    /// <param name="capability">The capability name in the node (the default platform uses <c>net</c>).</param>
    /// <param name="vswitch">The switch.</param>
    /// <param name="port">The port's options (name, VLAN, MAC); the MAC is what the guest sees.</param>
    public void ConnectNetwork(string capability, VirtualSwitch vswitch, PortOptions port)
    {
        ArgumentException.ThrowIfNullOrEmpty(capability);
        ArgumentNullException.ThrowIfNull(vswitch);
        ArgumentNullException.ThrowIfNull(port);
        port.Validate();
        _networks[capability] = (vswitch, port);
    }

    /// <summary>Power-off and reboot requests.</summary>
    public ShutdownController Shutdown { get; } = new();

    /// <summary>Allocates RAM, creates the devices from the tree and maps the CM and CPC.</summary>
    public void Build()
    {
        // The L4Re.Vio-backed virtio slots are defaults: a caller that registered its own factory for a key keeps it.
        if (!Registry.IsRegistered("virtio,mmio", "proxy"))
            Registry.Register("virtio,mmio", CreateVirtioNet, "proxy");
        if (!Registry.IsRegistered("virtio,mmio", "console"))
            Registry.Register("virtio,mmio", CreateVirtioConsole, "console");
        Vm.ScanDeviceTree();
        Vm.Mmio.Add(Cm.Base, CoherencyManager.RegionSize, Cm, "mips-cm");
        if ((Cm.CpcBase & 1) != 0)
            Vm.Mmio.Add(Cm.CpcBase & ~1u, ClusterPowerController.RegionSize, Cpc, "mips-cpc");
    }

    /// <summary>Lets devices catch up with virtual time (GIC compare, UART input and timeouts). Call on every exit and before a vCPU sleeps.</summary>
    public void Poll()
    {
        Gic?.Poll();
        foreach (var u in _uarts)
            u.Poll();
    }

    /// <summary>The earliest virtual time at which a device needs <see cref="Poll"/> (GIC compare, UART timeout), or null.</summary>
    public ulong? NextDeadline
    {
        get
        {
            var next = Gic?.NextTimerDeadline;
            foreach (var u in _uarts)
            {
                if (u.TimeoutDeadline is { } t && (next is null || t < next))
                    next = t;
            }
            return next;
        }
    }

    private IVmDevice? CreateGic(IDeviceLookup devices, DtNode node)
    {
        if (Gic is not null)
            throw new DeviceTreeException($"{node.Path}: only one mti,gic is supported");
        // The shared counter frequency: a "mti,gic-timer" child's clock-frequency (Linux mips-gic-timer binding), else 100 MHz.
        var timer = node.Children.FirstOrDefault(c => c.IsCompatible("mti,gic-timer"));
        var hz = timer?.GetU32("clock-frequency", 100_000_000) ?? 100_000_000;
        var gic = new MipsGic(Cores, _clock, hz == 0 ? 100_000_000 : hz);
        devices.RegisterMmioDevice(gic, node);
        Gic = gic;
        return gic;
    }

    private Uart16550 CreateUart(IDeviceLookup devices, DtNode node)
    {
        var shift = node.GetU32("reg-shift", 0);
        var ioWidth = node.GetU32("reg-io-width", 1);
        if (shift > 4 || ioWidth is not (1 or 2 or 4))
            throw new DeviceTreeException($"{node.Path}: unsupported reg-shift {shift} / reg-io-width {ioWidth}");
        var clock = node.GetU32("clock-frequency", UartOptions.StandardClock);
        var uart = new Uart16550(new UartOptions((int)shift, (int)ioWidth, clock == 0 ? UartOptions.StandardClock : clock), clock: _clock);
        if (node.HasInterrupts)
            uart.Irq = devices.ConnectInterrupt(node);
        devices.RegisterMmioDevice(uart, node);
        _uarts.Add(uart);
        return uart;
    }

    private SysconL4vmm CreateSyscon(IDeviceLookup devices, DtNode node)
    {
        var syscon = new SysconL4vmm(Shutdown);
        devices.RegisterMmioDevice(syscon, node);
        return syscon;
    }

    private DriverMemoryList CreateDriverMemory()
    {
        var regions = Vm.Ram.Regions;
        if (regions.Count == 0)
            throw new InvalidOperationException("guest RAM is not allocated yet (call Build first)");
        var list = new DriverMemoryList(Math.Max(1, regions.Count));
        foreach (var r in regions)
            list.Add(r.GuestPhysical, (long)r.Size, r.Dataspace);
        return list;
    }

    private VirtioMmioSlot? CreateVirtioNet(IDeviceLookup devices, DtNode node)
    {
        var cap = node.GetString("l4vmm,virtiocap");
        if (cap is null || !_networks.TryGetValue(cap, out var network))
        {
            devices.LoggerFactory.CreateLogger<MipsVirtualPlatform>().LogWarning(
                "{Node}: no network connected for l4vmm,virtiocap '{Cap}'", node.Path, cap);
            return null;
        }
        var irq = devices.ConnectInterrupt(node);
        var port = network.Switch.CreatePort(network.Options, DriverMemory);
        var slot = new VirtioMmioSlot(port.Device, irq, $"virtio-net {port.Name}");
        devices.RegisterMmioDevice(slot, node);
        _netPorts.Add(port);
        _virtioSlots.Add(slot);
        return slot;
    }

    private VirtioMmioSlot CreateVirtioConsole(IDeviceLookup devices, DtNode node)
    {
        var irq = devices.ConnectInterrupt(node);
        // Inline pipes without back-pressure: the run loop drains the output after every resume, on its own thread.
        var pipes = new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0,
            readerScheduler: System.IO.Pipelines.PipeScheduler.Inline, writerScheduler: System.IO.Pipelines.PipeScheduler.Inline,
            useSynchronizationContext: false);
        var console = new VirtioConsoleDevice(DriverMemory, new VirtioConsoleOptions { PipeOptions = pipes },
            devices.LoggerFactory.CreateLogger<VirtioConsoleDevice>());
        var slot = new VirtioMmioSlot(console, irq, "virtio-console");
        devices.RegisterMmioDevice(slot, node);
        _virtioConsoles.Add(console);
        _virtioSlots.Add(slot);
        return slot;
    }

    private static string? SafeType(DtNode n)
    {
        try
        {
            return n.DeviceType;
        }
        catch (DeviceTreeException)
        {
            return null;
        }
    }
}
