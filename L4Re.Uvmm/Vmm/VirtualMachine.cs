using L4Re.Kernel.Memory;
using L4Re.Uvmm.Devices;
using L4Re.Uvmm.DeviceTree;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// A virtual machine built from a device tree the way uvmm builds it (<c>server/src/vm.cc</c>,
/// <c>Vm::scan_device_tree</c>): RAM from <c>device_type = "memory"</c> nodes, then three passes over the
/// enabled nodes — (1) virtual devices that a registered factory matches by <c>compatible</c> /
/// <c>l4vmm,vdev</c>; (2) nodes with <c>l4vmm,vbus-dev</c>; (3) CPUs and every other node with <c>reg</c> or
/// <c>interrupts</c> through the pass-through factory. A node whose device cannot be created gets
/// <c>status = "disabled"</c> so that the guest does not probe it (unless it has <c>l4vmm,force-enable</c>).
/// </summary>
public sealed class VirtualMachine : IDeviceLookup
{
    private readonly Dictionary<DtNode, IVmDevice> _devices = [];
    private readonly List<MipsCpu> _cpus = [];
    private readonly ILogger _log;

    /// <summary>Creates the VM (nothing is created before <see cref="ScanDeviceTree"/>).</summary>
    /// <param name="tree">The device tree; the VM changes it (disabled nodes, chosen).</param>
    /// <param name="registry">The device factories.</param>
    /// <param name="loggerFactory">Logging, or null for none.</param>
    public VirtualMachine(DtTree tree, DeviceRegistry registry, ILoggerFactory? loggerFactory = null)
    {
        Tree = tree;
        Registry = registry;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _log = LoggerFactory.CreateLogger<VirtualMachine>();
    }

    /// <inheritdoc />
    public DtTree Tree { get; }

    /// <summary>The device factories.</summary>
    public DeviceRegistry Registry { get; }

    /// <inheritdoc />
    public MmioBus Mmio { get; } = new();

    /// <inheritdoc />
    public GuestRam Ram { get; } = new();

    /// <inheritdoc />
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The devices by node.</summary>
    public IReadOnlyDictionary<DtNode, IVmDevice> Devices => _devices;

    /// <summary>The CPUs found in pass 3, ordered by id.</summary>
    public IReadOnlyList<MipsCpu> Cpus => _cpus;

    /// <summary>The nodes this VM disabled because their device could not be created.</summary>
    public List<DtNode> DisabledNodes { get; } = [];

    /// <summary>Allocates RAM for the memory nodes and creates all devices (the three uvmm passes).</summary>
    /// <exception cref="DeviceTreeException">A memory node is malformed (a VM without valid RAM cannot run).</exception>
    public void ScanDeviceTree()
    {
        SetupRam();
        Scan(AddVirtualDevice);
        Scan(AddPhysicalDeviceByVbusId);
        Scan(AddPhysicalDevice);
        _cpus.Sort((a, b) => a.Id.CompareTo(b.Id));
    }

    /// <summary>Pre-order walk over enabled nodes; a callback returning false skips the node's children (uvmm <c>Device_tree::scan</c>).</summary>
    private void Scan(Func<DtNode, bool> visit)
    {
        var stack = new Stack<DtNode>();
        stack.Push(Tree.Root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!node.IsEnabled)
                continue;
            if (!visit(node))
                continue;
            for (var i = node.Children.Count - 1; i >= 0; i--)
                stack.Push(node.Children[i]);
        }
    }

    private void SetupRam()
    {
        foreach (var node in Tree.Nodes.Where(n => n.DeviceType == "memory" && n.IsEnabled).ToList())
        {
            foreach (var r in node.GetTranslatedReg())
            {
                if (r.Size == 0)
                    continue;
                if (r.Address % Dataspace.PageSize != 0 || r.Size % Dataspace.PageSize != 0)
                    throw new DeviceTreeException($"{node.Path}: memory region {r} is not page-aligned");
                if (r.Size > (ulong)Array.MaxLength / Dataspace.PageSize * Dataspace.PageSize)
                    throw new DeviceTreeException($"{node.Path}: memory region {r} is larger than one dataspace can be");
                try
                {
                    Ram.Add(r.Address, new Dataspace((long)r.Size, $"ram@{r.Address:x}"), node.Path);
                }
                catch (ArgumentException e)
                {
                    throw new DeviceTreeException($"{node.Path}: {e.Message}", e);
                }
                _log.LogInformation("RAM {Region} from {Node}", r, node.Path);
            }
        }
    }

    private bool AddVirtualDevice(DtNode node)
    {
        if (!IsVirtual(node))
            return true;
        if (CreateDevice(node) is not null)
            return true;
        _log.LogWarning("Device creation for virtual device '{Node}' failed. Disabling device.", node.Path);
        DisableNode(node);
        return false;
    }

    private bool AddPhysicalDeviceByVbusId(DtNode node)
    {
        if (!HasResources(node) || !node.HasProperty("l4vmm,vbus-dev"))
            return true;
        if (CreateDevice(node) is not null)
            return true;
        _log.LogWarning("Device creation for {Node} failed. Disabling device.", node.Path);
        DisableNode(node);
        return false;
    }

    private bool AddPhysicalDevice(DtNode node)
    {
        var deviceType = SafeDeviceType(node);
        if (deviceType == "memory")
            return false; // memory nodes have no children that are devices
        if (deviceType == "cpu")
        {
            if (_devices.ContainsKey(node))
                return true;
            try
            {
                var cpu = MipsCpu.FromNode(node);
                if (_cpus.Any(c => c.Id == cpu.Id))
                    throw new DeviceTreeException($"{node.Path}: cpu id {cpu.Id} is used twice");
                _cpus.Add(cpu);
                _devices.Add(node, cpu);
                return true;
            }
            catch (DeviceTreeException e)
            {
                _log.LogWarning("CPU {Node} cannot be created: {Reason}. Disabling it.", node.Path, e.Message);
                DisableNode(node);
                return false;
            }
        }
        if (!HasResources(node))
            return true;
        if (CreateDevice(node) is not null)
            return true;
        if (node.HasProperty("l4vmm,force-enable"))
        {
            _log.LogWarning("Device creation for {Node} failed, 'l4vmm,force-enable' set", node.Path);
            return true;
        }
        _log.LogWarning("Device creation for {Node} failed. Disabling device.", node.Path);
        DisableNode(node);
        return false;
    }

    private void DisableNode(DtNode node)
    {
        node.Disable();
        DisabledNodes.Add(node);
    }

    private static string? SafeDeviceType(DtNode node)
    {
        try
        {
            return node.DeviceType;
        }
        catch (DeviceTreeException)
        {
            return null;
        }
    }

    private static bool HasResources(DtNode node) => node.HasInterrupts || node.HasReg;

    private bool IsVirtual(DtNode node)
    {
        try
        {
            return Registry.IsVirtual(node);
        }
        catch (DeviceTreeException)
        {
            return false;
        }
    }

    /// <summary>
    /// Creates the device for <paramref name="node"/> unless it exists (uvmm <c>Factory::create_dev</c>): the
    /// registered factory, else the pass-through factory. Errors in the node are logged and give null.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <returns>The device, or null.</returns>
    public IVmDevice? CreateDevice(DtNode node)
    {
        if (_devices.TryGetValue(node, out var existing))
            return existing;
        try
        {
            var factory = Registry.Find(node) ?? Registry.PassThrough;
            if (factory is null)
                return null;
            var device = factory.Create(this, node);
            if (device is null)
                return null;
            _devices.Add(node, device);
            _log.LogDebug("Created {Device} for {Node}", device.DeviceName, node.Path);
            return device;
        }
        catch (Exception e) when (e is DeviceTreeException or InvalidOperationException or ArgumentException)
        {
            _log.LogWarning("Device creation for {Node} failed: {Reason}", node.Path, e.Message);
            return null;
        }
    }

    /// <inheritdoc />
    public IVmDevice? DeviceFromNode(DtNode node) => _devices.GetValueOrDefault(node);

    /// <summary>Adds a device created outside the factories (e.g. the core interrupt controller).</summary>
    /// <param name="node">Its node.</param>
    /// <param name="device">The device.</param>
    /// <exception cref="InvalidOperationException">The node already has a device.</exception>
    public void AddDevice(DtNode node, IVmDevice device)
    {
        if (!_devices.TryAdd(node, device))
            throw new InvalidOperationException($"{node.Path} already has the device {_devices[node].DeviceName}");
    }

    /// <inheritdoc />
    public InterruptControllerStatus TryGetInterruptController(DtNode node, out IInterruptController? controller)
    {
        controller = null;
        DtNode? icNode;
        try
        {
            icNode = node.FindInterruptParent();
        }
        catch (DeviceTreeException)
        {
            return InterruptControllerStatus.NoInterruptParent;
        }
        if (icNode is null)
            return InterruptControllerStatus.NoInterruptParent;
        if (!icNode.IsEnabled)
            return InterruptControllerStatus.Disabled;
        if (!IsVirtual(icNode))
            return InterruptControllerStatus.NotVirtual;
        var device = DeviceFromNode(icNode);
        if (device is null)
        {
            bool created;
            try
            {
                created = CreateInterruptParent(node, 0);
            }
            catch (DeviceTreeException)
            {
                created = false;
            }
            if (!created)
                return InterruptControllerStatus.Failed;
            device = DeviceFromNode(icNode);
        }
        controller = device as IInterruptController;
        return controller is null ? InterruptControllerStatus.NotVirtual : InterruptControllerStatus.Ok;
    }

    /// <summary>Creates the interrupt parents of a node recursively (uvmm <c>Factory::create_irq_parent</c>, at most 10 levels).</summary>
    private bool CreateInterruptParent(DtNode node, int depth)
    {
        var parent = node.FindInterruptParent();
        if (parent is null || DeviceFromNode(parent) is not null)
            return true;
        if (depth > 10)
        {
            _log.LogError("Recursion detected at node {Node} while creating interrupt parents.", node.Path);
            return false;
        }
        if (!CreateInterruptParent(parent, depth + 1))
            return false;
        return CreateDevice(parent) is not null;
    }

    /// <inheritdoc />
    public IrqSink ConnectInterrupt(DtNode node, int index = 0)
    {
        var interrupts = node.GetInterrupts();
        if (index < 0 || index >= interrupts.Count)
            throw new DeviceTreeException($"{node.Path} has no interrupt {index} (it has {interrupts.Count})");
        var spec = interrupts[index];
        IInterruptController? ic;
        if (node.HasProperty("interrupts-extended"))
        {
            if (!IsVirtual(spec.Controller) || (DeviceFromNode(spec.Controller) ?? CreateDevice(spec.Controller)) is not IInterruptController direct)
                throw new DeviceTreeException($"{node.Path}: interrupt controller {spec.Controller.Path} is not a virtual interrupt controller");
            ic = direct;
        }
        else
        {
            var status = TryGetInterruptController(node, out ic);
            if (status != InterruptControllerStatus.Ok)
                throw new DeviceTreeException($"{node.Path}: no interrupt controller ({status})");
        }
        if (!ic!.TryDecodeInterrupt(spec.Cells, out var irq))
            throw new DeviceTreeException($"{node.Path}: interrupt specifier {spec} is not valid for {ic.DeviceName}");
        return new IrqSink(ic, irq);
    }

    /// <inheritdoc />
    public void RegisterMmioDevice(IMmioDevice device, DtNode node)
    {
        var regs = node.GetTranslatedReg();
        if (regs.Count == 0)
            throw new DeviceTreeException($"{node.Path} has no reg for {device.DeviceName}");
        for (var i = 0; i < regs.Count; i++)
        {
            var name = regs.Count == 1 ? node.Path : $"{node.Path}[{i}]";
            Mmio.Add(regs[i].Address, regs[i].Size, device, name);
        }
    }
}
