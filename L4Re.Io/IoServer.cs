using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;
using L4Re.Kernel;
using L4Re.Kernel.Memory;
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
/// Thread-safe: loads and deletions are serialised; readers see consistent snapshots.
/// </summary>
public sealed class IoServer
{
    private readonly Lock _gate = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly PhysicalDmaSpace _physicalDma;
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
        _physicalDma = new PhysicalDmaSpace(Kernel.PhysicalMemory);
    }

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
                    views[i] = new VbusDevice(new VbusDeviceHandle(i + 1), devices[i].Device,
                        dmaDomains.TryGetValue(devices[i].Device, out var dom) ? dom : null);
                var vbus = new VirtualBus(spec.Name, spec.Origin, views);
                foreach (var (device, rule) in devices)
                    owners[device] = new Claim(vbus, rule.Origin);
                vbuses.Add(vbus);
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
    /// Deletes the vbus called <paramref name="name"/>: its client loses every device, the devices become
    /// free to be claimed again. Returns false when there is no such vbus.
    /// </summary>
    public bool DeleteVbus(string name)
    {
        lock (_gate)
        {
            if (FindVbus(name) is not { } vbus)
                return false;
            vbus.MarkDeleted();
            _owners = _owners.Where(kv => kv.Value.Vbus != vbus).ToDictionary(kv => kv.Key, kv => kv.Value);
            _vbuses = _vbuses.Where(v => v != vbus).ToList();
            return true;
        }
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
