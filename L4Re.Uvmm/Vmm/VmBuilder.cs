using L4Re.Uvmm.DeviceTree;
using L4Re.Uvmm.Loaders;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;
using L4Re.Vio.Switch;
using Microsoft.Extensions.Logging;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Composes a <see cref="MipsVm"/> from a device tree the way uvmm's <c>main.cc</c> sets a VM up: scan the tree
/// (RAM dataspaces from the memory nodes, devices by <c>compatible</c>, unbacked nodes disabled), map the RAM
/// into the vCPU's second stage, create the boot vCPU in its reset state with uvmm's guest controls, load the
/// kernel, initrd and final DTB, and set the UHI boot registers.
/// </summary>
public sealed class VmBuilder
{
    private readonly List<Action<MipsVirtualPlatform>> _platformSetup = [];
    private DtTree? _tree;
    private MipsPlatformOptions _options = new();
    private string? _kernelPath;
    private byte[]? _initrd;
    private string? _bootArgs;
    private ILoggerFactory? _loggerFactory;
    private Func<MipsVirtualPlatform, ISecondStage>? _secondStage;
    private VcpuOptions _vcpuOptions = new() { CpuNum = 0 };
    private Func<GuestRam, DtTree, UhiBootState>? _loader;

    /// <summary>Uses the default virtual platform (<see cref="MipsPlatformTree"/>) with these options.</summary>
    /// <param name="options">Memory size, CPU clock, command line, device addresses.</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithPlatform(MipsPlatformOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _tree = null;
        return this;
    }

    /// <summary>Uses an explicit device tree instead of the default platform.</summary>
    /// <param name="tree">The tree (the VM changes it: disabled nodes, /chosen).</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithDeviceTree(DtTree tree)
    {
        _tree = tree ?? throw new ArgumentNullException(nameof(tree));
        return this;
    }

    /// <summary>The kernel to boot: an ELF32 little-endian MIPS executable (Debian's <c>vmlinuz-*-mips32r2el</c>).</summary>
    /// <param name="path">The kernel file.</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithKernel(string path)
    {
        _kernelPath = path ?? throw new ArgumentNullException(nameof(path));
        return this;
    }

    /// <summary>An initrd/initramfs to place after the kernel (announced in /chosen).</summary>
    /// <param name="initrd">The image bytes, or null for none.</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithInitrd(byte[]? initrd)
    {
        _initrd = initrd;
        return this;
    }

    /// <summary>The kernel command line (/chosen/bootargs); null keeps the tree's.</summary>
    /// <param name="bootArgs">The command line.</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithBootArgs(string? bootArgs)
    {
        _bootArgs = bootArgs;
        return this;
    }

    /// <summary>
    /// Backs the virtio-net slot (<c>l4vmm,vdev = "proxy"</c>, <c>l4vmm,virtiocap = "<paramref name="capability"/>"</c>)
    /// with a new port of <paramref name="vswitch"/>; the guest sees <paramref name="port"/>'s MAC.
    /// </summary>
    /// <param name="vswitch">The switch.</param>
    /// <param name="port">The port options (name, VLAN, MAC).</param>
    /// <param name="capability">The capability name in the node (the default platform's is <c>net</c>).</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithNetwork(VirtualSwitch vswitch, PortOptions port, string capability = "net")
    {
        ArgumentNullException.ThrowIfNull(vswitch);
        ArgumentNullException.ThrowIfNull(port);
        port.Validate();
        return ConfigurePlatform(p => p.ConnectNetwork(capability, vswitch, port));
    }

    /// <summary>Logging for the VMM and its devices.</summary>
    /// <param name="loggerFactory">The factory.</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithLogging(ILoggerFactory? loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Runs <paramref name="setup"/> on the platform before the tree is scanned (register device factories, e.g. <c>virtio,mmio</c>).</summary>
    /// <param name="setup">The callback.</param>
    /// <returns>This builder.</returns>
    public VmBuilder ConfigurePlatform(Action<MipsVirtualPlatform> setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _platformSetup.Add(setup);
        return this;
    }

    /// <summary>
    /// Gives the vCPU a second stage other than the default (the RAM regions mapped into a <see cref="DataspaceSecondStage"/>),
    /// e.g. a microkernel's VM object: <paramref name="create"/> runs after the platform is built and must make every
    /// RAM region of <see cref="VirtualMachine.Ram"/> resolve.
    /// </summary>
    /// <param name="create">Creates the stage (and maps the RAM into it).</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithSecondStage(Func<MipsVirtualPlatform, ISecondStage> create)
    {
        _secondStage = create ?? throw new ArgumentNullException(nameof(create));
        return this;
    }

    /// <summary>The boot vCPU's configuration (guest TLB size); <see cref="VcpuOptions.CpuNum"/> must be 0.</summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithVcpuOptions(VcpuOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CpuNum != 0)
            throw new ArgumentException("the boot vCPU is CPU 0", nameof(options));
        _vcpuOptions = options;
        return this;
    }

    /// <summary>
    /// Loads something other than a Linux kernel (a bare-metal program): <paramref name="load"/> writes guest RAM once
    /// the device tree is final and returns the boot registers. Excludes <see cref="WithKernel"/>.
    /// </summary>
    /// <param name="load">The loader.</param>
    /// <returns>This builder.</returns>
    public VmBuilder WithLoader(Func<GuestRam, DtTree, UhiBootState> load)
    {
        _loader = load ?? throw new ArgumentNullException(nameof(load));
        return this;
    }

    /// <summary>Builds the VM: devices, RAM, vCPU 0 and — when a kernel was given — the loaded Linux boot image.</summary>
    /// <returns>The VM, ready to run.</returns>
    /// <exception cref="DeviceTreeException">The tree cannot describe a VM (no RAM, malformed memory nodes).</exception>
    /// <exception cref="LoaderException">The kernel, initrd or DTB does not load.</exception>
    public MipsVm Build()
    {
        var tree = _tree ?? MipsPlatformTree.Create(_options);
        var cpuHz = CpuClockHz(tree);
        var clock = new CycleClock(cpuHz);
        var platform = new MipsVirtualPlatform(tree, clock, _loggerFactory);
        foreach (var setup in _platformSetup)
            setup(platform);
        platform.Build();
        if (platform.Vm.Ram.Regions.Count == 0)
            throw new DeviceTreeException("the device tree describes no RAM (no enabled device_type = \"memory\" node)");

        if (_loader is not null && _kernelPath is not null)
            throw new InvalidOperationException("a VM boots either a kernel or a loader's image, not both");
        ISecondStage stage;
        if (_secondStage is not null)
        {
            stage = _secondStage(platform);
        }
        else
        {
            var dataspaces = new DataspaceSecondStage();
            foreach (var region in platform.Vm.Ram.Regions)
                dataspaces.Map(region.GuestPhysical, region.Dataspace, 0, region.Size);
            stage = dataspaces;
        }

        var vcpu = new Vcpu(stage, _vcpuOptions);
        clock.Source = vcpu;
        // uvmm ARCH-mips cpu_dev.cc Cpu_dev::reset: the guest owns its timer (GT) and hit-type cache operations (CG).
        vcpu.State.GuestCtl0 |= GuestCtl0Bits.GT | GuestCtl0Bits.CG;

        LinuxBootImage? boot = null;
        UhiBootState? start = null;
        if (_kernelPath is not null)
        {
            boot = LinuxBoot.Prepare(platform.Vm.Ram, tree, _kernelPath, _initrd, _bootArgs);
            start = boot.Boot;
        }
        else if (_loader is not null)
        {
            start = _loader(platform.Vm.Ram, tree);
        }
        if (start is not null)
        {
            vcpu.InvalidateAllCode();
            for (var i = 4; i < 8; i++)
                vcpu.SetGpr(i, i switch { 4 => start.A0, 5 => start.A1, 6 => start.A2, _ => start.A3 });
            vcpu.Pc = start.Pc;
            vcpu.State.Status = vcpu.State.Status & ~(Cp0Bits.StatusERL | Cp0Bits.StatusBEV);
        }

        var exits = new GuestExitHandler(platform, clock, cpuHz / P5600Guest.CountResolution, _loggerFactory);
        var vm = new MipsVm(platform, stage, vcpu, clock, exits, boot);
        exits.PutChar = c => vm.EmitConsole([c]);
        return vm;
    }

    /// <summary>
    /// The CPU clock Linux's generic <c>plat_time_init</c> reads: the first clock of <c>/cpus/cpu@0</c> (a
    /// <c>fixed-clock</c>'s <c>clock-frequency</c>); 320 MHz when the tree has none.
    /// </summary>
    /// <param name="tree">The device tree.</param>
    /// <returns>Cycles per second.</returns>
    public static ulong CpuClockHz(DtTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        const ulong fallback = 320_000_000;
        var cpu = tree.Nodes.FirstOrDefault(n => n.IsEnabled && n.HasProperty("device_type") && n.DeviceType == "cpu");
        if (cpu is null || !cpu.HasProperty("clocks"))
            return fallback;
        var phandle = cpu.GetProperty("clocks").GetCell(0);
        var clock = tree.FindByPhandle(phandle);
        var hz = clock?.GetU32("clock-frequency", 0) ?? 0;
        return hz == 0 ? fallback : hz;
    }
}
