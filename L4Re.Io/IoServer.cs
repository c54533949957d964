using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Io.Server;
using L4Re.Io.Vbus;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Io;

/// <summary>
/// The io server model: the hardware registry and the virtual buses built from configurations.
/// <see cref="Load"/> applies a configuration atomically — it validates every device and every vbus
/// (names, ranges, exclusivity, matches, claims) against the current state and the configuration
/// itself, and changes nothing unless all of it is valid. Every device lands on at most one vbus.
/// DMA follows the platform's <see cref="Dma.DmaMode"/>: with an IOMMU each DMA-capable device gets
/// its own DMA domain and reaches only what its vbus client mapped; without one (Baikal-T1) every
/// device reaches all RAM of the kernel's <see cref="PhysicalMemory"/>.
/// <para>
/// io is a server of the kernel: it has its own task and server thread. Each vbus becomes a kernel IPC gate
/// handed to exactly one client task (<see cref="Connect"/>): the client enumerates its devices, maps their
/// MMIO windows (the vbus is the dataspace of its windows) and I/O ports with the kernel's map operation,
/// binds IRQ objects through the vbus's ICU and binds its kernel DMA space to the vbus's DMA domains — all
/// through that capability, with io's messages and error codes (docs/io.md). <see cref="Disconnect"/> and
/// <see cref="DeleteVbus"/> revoke everything derived from it.
/// </para>
/// Like the kernel it drives, an io server is used from one host thread at a time.
/// </summary>
public sealed class IoServer
{
    private readonly Lock _gate = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly PhysicalDmaSpace _physicalDma;
    private readonly VbusServer _server = new();
    private readonly IoTask _task;
    private readonly IoMemory _memory;
    private readonly HashSet<uint> _boundLines = [];
    private readonly Dictionary<VirtualBus, VbusEndpoint> _endpoints = [];
    private ulong _nextLabel = 8;
    private readonly Dictionary<HwDevice, DmaEngine> _dma = [];
    private HwRegistry _registry = HwRegistry.Empty;
    private IReadOnlyList<VirtualBus> _vbuses = [];
    private Dictionary<HwDevice, Claim> _owners = [];
    private Dictionary<HwDevice, DmaDomain> _dmaDomains = [];
    private DmaDomain? _physDomain;
    private uint _nextDmaDomain;

    /// <summary>Creates the io server of the system run by <paramref name="kernel"/>, on a platform with DMA mode <paramref name="dmaMode"/>.</summary>
    /// <param name="kernel">The kernel whose physical memory, ICU and IOMMU io manages; a private kernel with no RAM when null (enough to check configurations).</param>
    /// <param name="dmaMode">With or without an IOMMU.</param>
    /// <param name="loggerFactory">Where DMA faults are logged; nowhere when null.</param>
    public IoServer(Microkernel? kernel = null, DmaMode dmaMode = DmaMode.Iommu, ILoggerFactory? loggerFactory = null)
    {
        if (!Enum.IsDefined(dmaMode))
            throw new ArgumentOutOfRangeException(nameof(dmaMode), dmaMode, "unknown DMA mode");
        DmaMode = dmaMode;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Kernel = kernel ?? new Microkernel(loggerFactory: _loggerFactory);
        _task = new IoTask(Kernel, _server);
        _server.Io = _task;
        _memory = new IoMemory(_task);
        _physicalDma = new PhysicalDmaSpace(Kernel.PhysicalMemory);
    }

    /// <summary>io's task in the kernel (holds the I/O memory, ports and capabilities io hands out).</summary>
    public L4Task Task => _task.Task;

    /// <summary>io's server thread (serves every vbus and vbus ICU gate).</summary>
    public L4Thread ServerThread => _task.Server;

    /// <summary>Whether the platform has an IOMMU.</summary>
    public DmaMode DmaMode { get; }

    /// <summary>The kernel io runs on.</summary>
    public Microkernel Kernel { get; }

    /// <summary>The machine's physical memory (the kernel's): what devices reach without an IOMMU.</summary>
    public PhysicalMemory PhysicalMemory => Kernel.PhysicalMemory;

    /// <summary>The hardware devices io knows.</summary>
    public HwRegistry Hardware => _registry;

    /// <summary>The live virtual buses, in creation order.</summary>
    public IReadOnlyList<VirtualBus> Vbuses => _vbuses;

    /// <summary>The live vbus called <paramref name="name"/>, or null.</summary>
    public VirtualBus? FindVbus(string name) => _vbuses.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.Ordinal));

    /// <summary>The vbus that holds the hardware device called <paramref name="deviceName"/>, or null.</summary>
    public VirtualBus? OwnerOf(string deviceName)
    {
        var owners = _owners;
        return _registry.Find(deviceName) is { } d && owners.TryGetValue(d, out var c) ? c.Vbus : null;
    }

    /// <summary>Parses <paramref name="text"/> and loads it (see <see cref="Load"/>).</summary>
    /// <exception cref="IoConfigException">The text or the configuration is invalid; nothing was changed.</exception>
    public void LoadText(string text, string source = "config") => Load(IoConfigParser.Parse(text, source));

    /// <summary>
    /// Adds the configuration's devices to the registry and creates its vbuses. Either all of it is
    /// applied or, when any error is found, none of it.
    /// </summary>
    /// <exception cref="IoConfigException">Every error found, each with its location; nothing was changed.</exception>
    public void Load(IoConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        lock (_gate)
        {
            var errors = new List<ConfigError>();
            var registry = _registry.TryAdd(config.Devices, errors);
            foreach (var d in config.Devices)
                _memory.Check(d, errors);
            // Vbus rules see every declared device, valid or not, so that one bad device does not
            // also turn into "unknown device" errors for the rules that name it.
            var candidates = _registry.Devices.Concat(config.Devices).ToList();
            var plans = PlanVbuses(config.Vbuses, candidates, errors);
            if (errors.Count > 0)
                throw new IoConfigException(errors);

            // With an IOMMU every DMA source gets its own domain (io numbers them from 0, and the number is
            // the device's IOMMU source id); without one all devices share io's single CPU-phys domain 0.
            var dmaDomains = new Dictionary<HwDevice, DmaDomain>(_dmaDomains);
            var next = _nextDmaDomain;
            foreach (var d in config.Devices)
                if (d.DmaCapable)
                    dmaDomains[d] = DmaMode == DmaMode.Iommu
                        ? new DmaDomain(next++, remapping: true, Kernel.Iommu)
                        : _physDomain ??= new DmaDomain(0, remapping: false, Kernel.Iommu);

            var owners = new Dictionary<HwDevice, Claim>(_owners);
            var vbuses = _vbuses.ToList();
            foreach (var (spec, devices) in plans)
            {
                var views = new VbusDevice[devices.Count];
                for (var i = 0; i < views.Length; i++)
                    views[i] = new VbusDevice(new VbusDeviceHandle(VirtualBus.FirstDeviceHandle.Value + i), devices[i].Device,
                        dmaDomains.TryGetValue(devices[i].Device, out var dom) ? dom : null);
                var vbus = new VirtualBus(spec.Name, spec.Origin, views);
                foreach (var (device, rule) in devices)
                    owners[device] = new Claim(vbus, rule.Origin);
                vbuses.Add(vbus);
                var endpoint = new VbusEndpoint(vbus, _task, _memory, _boundLines, ForeignPages, _loggerFactory.CreateLogger<VirtualBus>())
                {
                    Label = _nextLabel,
                };
                _nextLabel += 8;
                _endpoints[vbus] = endpoint;
                _server.Add(endpoint);
            }

            foreach (var d in config.Devices)
                if (d.DmaCapable)
                    _dma[d] = new DmaEngine(d, dmaDomains[d], DmaMode, _physicalDma, Kernel.Iommu, _loggerFactory.CreateLogger<DmaEngine>());

            _registry = registry;
            _dmaDomains = dmaDomains;
            _nextDmaDomain = next;
            _owners = owners;
            _vbuses = vbuses;
        }
    }

    /// <summary>
    /// Hands the vbus called <paramref name="vbusName"/> to its one client: creates the vbus's IPC gate (bound to
    /// io's server thread) and maps a capability to it (rights R and W, no D) into slot <paramref name="slot"/>
    /// of <paramref name="client"/> with the kernel's map operation. That capability is the only way to the
    /// vbus's devices.
    /// </summary>
    /// <exception cref="ArgumentException">No such vbus, or the client task has no capability space.</exception>
    /// <exception cref="InvalidOperationException">The vbus is already handed to a client.</exception>
    /// <exception cref="L4Exception">The kernel refused the gate or the map (quota, slot out of range).</exception>
    public void Connect(string vbusName, L4Task client, CapSel slot)
    {
        ArgumentNullException.ThrowIfNull(vbusName);
        ArgumentNullException.ThrowIfNull(client);
        lock (_gate)
        {
            var vbus = FindVbus(vbusName) ?? throw new ArgumentException($"no vbus '{vbusName}'", nameof(vbusName));
            if (client.Caps is null)
                throw new ArgumentException($"{client} has no capability space; a vbus is handed to a task", nameof(client));
            var ep = _endpoints[vbus];
            if (ep.Client is { } other)
                throw new InvalidOperationException($"vbus '{vbusName}' is already handed to {other}; a vbus has exactly one client");
            var gate = Kernel.RootFactory.CreateGate(_task.Server, ep.Label, vbusName);
            var gateSlot = _task.Insert(gate, CapRights.RWSD);
            var err = client.Map(_task.Task, Fpage.Obj(CapSel.FromIndex(gateSlot), CapRights.RW), slot.Raw);
            if (!err.IsOk || client.Caps.Lookup(slot.Index)?.Object != gate)
            {
                _task.Delete(gateSlot);
                throw new L4Exception(L4Error.NoMem, $"cannot map vbus '{vbusName}' into slot {slot.Index} of {client}: {err}");
            }
            ep.GateSlot = gateSlot;
            ep.Gate = gate;
            ep.Client = client;
        }
    }

    /// <summary>The task vbus <paramref name="vbusName"/> is handed to, or null.</summary>
    public L4Task? ClientOf(string vbusName)
    {
        lock (_gate)
            return FindVbus(vbusName) is { } v ? _endpoints[v].Client : null;
    }

    /// <summary>The IPC gate behind vbus <paramref name="vbusName"/>'s capability, or null while it is not handed out.</summary>
    public IpcGate? GateOf(string vbusName)
    {
        lock (_gate)
            return FindVbus(vbusName) is { } v ? _endpoints[v].Gate : null;
    }

    /// <summary>
    /// Takes vbus <paramref name="vbusName"/> back from its client and revokes everything derived from the
    /// capability: the gate is deleted (the client's capability, and any copy of it, names nothing), every
    /// mapping of the vbus's MMIO frames and ports below io's own is unmapped (in the client, in a VM it filled,
    /// wherever it passed them on), every IRQ bound through the vbus's ICU is unbound from the kernel ICU and
    /// every DMA space is unbound from its domains. The vbus stays and can be handed out again.
    /// Returns false when there is no such vbus.
    /// </summary>
    public bool Disconnect(string vbusName)
    {
        lock (_gate)
        {
            if (FindVbus(vbusName) is not { } vbus)
                return false;
            _endpoints[vbus].Revoke();
            return true;
        }
    }

    /// <summary>
    /// Deletes the vbus called <paramref name="name"/>: everything derived from it is revoked as by
    /// <see cref="Disconnect"/>, the devices become free to be claimed again. Returns false when there is no
    /// such vbus.
    /// </summary>
    public bool DeleteVbus(string name)
    {
        lock (_gate)
        {
            if (FindVbus(name) is not { } vbus)
                return false;
            var ep = _endpoints[vbus];
            ep.Revoke();
            _server.Remove(ep);
            _endpoints.Remove(vbus);
            vbus.MarkDeleted();
            _owners = _owners.Where(kv => kv.Value.Vbus != vbus).ToDictionary(kv => kv.Key, kv => kv.Value);
            _vbuses = _vbuses.Where(v => v != vbus).ToList();
            return true;
        }
    }

    /// <summary>
    /// The I/O memory behind MMIO resource <paramref name="resourceName"/> of device <paramref name="deviceName"/>
    /// (placed in physical memory on first use): what a device model reads and writes as its register file.
    /// </summary>
    /// <returns><see cref="L4Error.Ok"/> with the dataspace and the offset of the window's first byte;
    /// <see cref="L4Error.NoEnt"/> for an unknown device or resource; errors of backing the window otherwise.</returns>
    public L4Error GetDeviceMemory(string deviceName, string resourceName, out Dataspace dataspace, out long offset)
    {
        dataspace = null!;
        offset = 0;
        lock (_gate)
        {
            if (_registry.Find(deviceName) is not { } d || d.Resources.FirstOrDefault(r => r.Name == resourceName && r.Value.Type == ResourceType.Mem) is not { } res)
                return L4Error.NoEnt;
            var err = _memory.Back(res.Value);
            if (err != L4Error.Ok)
                return err;
            return PhysicalMemory.TryFind(res.Value.Start, out dataspace, out offset) ? L4Error.Ok : L4Error.NoEnt;
        }
    }

    /// <summary>True when pages [<paramref name="first"/>, <paramref name="last"/>] hold part of a window of a device not on <paramref name="bus"/>.</summary>
    private bool ForeignPages(VirtualBus bus, ulong first, ulong last)
    {
        // Indexed loops: no boxed enumerators on the MMIO map path.
        var devices = _registry.Devices;
        for (var i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            if (_owners.TryGetValue(d, out var c) && c.Vbus == bus)
                continue;
            var resources = d.Resources;
            for (var j = 0; j < resources.Count; j++)
            {
                var r = resources[j];
                if (r.Value.Type != ResourceType.Mem)
                    continue;
                var (f, l) = IoMemory.Pages(r.Value);
                if (f <= last && first <= l)
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The DMA engine of the DMA-capable device <paramref name="deviceName"/>: what a device model uses
    /// to read and write memory. One engine per device; it follows the device to whatever vbus holds it.
    /// </summary>
    /// <exception cref="ArgumentException">No such device, or it is not DMA-capable.</exception>
    public DmaEngine GetDmaEngine(string deviceName)
    {
        ArgumentNullException.ThrowIfNull(deviceName);
        lock (_gate)
        {
            var device = _registry.Find(deviceName) ?? throw new ArgumentException($"no hardware device '{deviceName}'", nameof(deviceName));
            return _dma.TryGetValue(device, out var engine)
                ? engine
                : throw new ArgumentException($"device '{deviceName}' is not DMA-capable (mark it 'dma')", nameof(deviceName));
        }
    }

    private List<(VbusSpec Spec, List<(HwDevice Device, MatchRule Rule)> Devices)> PlanVbuses(
        IReadOnlyList<VbusSpec> specs, List<HwDevice> candidates, List<ConfigError> errors)
    {
        var plans = new List<(VbusSpec, List<(HwDevice, MatchRule)>)>();
        var names = _vbuses.ToDictionary(v => v.Name, v => v.Origin, StringComparer.Ordinal);
        var claims = _owners.ToDictionary(kv => kv.Key, kv => (kv.Value.Vbus.Name, kv.Value.At));
        foreach (var spec in specs)
        {
            if (!ConfigNames.IsIdentifier(spec.Name))
                errors.Add(new ConfigError(ConfigErrorCode.InvalidName,
                    $"'{spec.Name}' is not a vbus name (a letter or '_', then letters, digits, '_' or '-'; at most {ConfigNames.MaxNameLength} characters)", spec.Origin));
            else if (!names.TryAdd(spec.Name, spec.Origin))
                errors.Add(new ConfigError(ConfigErrorCode.DuplicateVbus, $"vbus '{spec.Name}' is already defined at {names[spec.Name]}", spec.Origin));

            var selected = new List<(HwDevice, MatchRule)>();
            var mine = new HashSet<HwDevice>();
            foreach (var rule in spec.Rules)
            {
                if (!rule.TryCompile(out var match, out var why))
                {
                    errors.Add(new ConfigError(ConfigErrorCode.InvalidMatch, $"vbus '{spec.Name}': {rule}: {why}", rule.Origin));
                    continue;
                }
                var any = false;
                foreach (var device in candidates)
                {
                    if (!match!.IsMatch(device))
                        continue;
                    any = true;
                    if (!mine.Add(device))
                        continue; // selected by an earlier rule of the same vbus
                    if (claims.TryGetValue(device, out var other))
                    {
                        errors.Add(new ConfigError(ConfigErrorCode.DuplicateClaim,
                            $"device '{device.Name}' is claimed by vbus '{spec.Name}' ({rule}) but already by vbus '{other.Name}' at {other.At}; a device can be on one vbus only",
                            rule.Origin));
                        continue;
                    }
                    claims[device] = (spec.Name, rule.Origin);
                    selected.Add((device, rule));
                }
                if (!any)
                    errors.Add(new ConfigError(ConfigErrorCode.UnknownDevice, $"vbus '{spec.Name}': {rule} selects no device ({Unknown(rule.Kind)})", rule.Origin));
            }
            plans.Add((spec, selected));
        }
        return plans;
    }

    private static string Unknown(MatchKind kind) => kind switch
    {
        MatchKind.Hid => "unknown HID",
        MatchKind.Compatible => "unknown compatible id",
        MatchKind.Pci => "no PCI device with this identity",
        MatchKind.Name => "unknown device name",
        _ => "no HID, compatible id or PCI identity matches",
    };

    private readonly record struct Claim(VirtualBus Vbus, ConfigLocation At);
}
