using L4Re.Kernel.Abi;
using L4Re.Io.Config;

namespace L4Re.Io.Hw;

/// <summary>
/// The validated set of hardware devices io knows (io's hardware root bus, <c>Io.system_bus()</c>).
/// Immutable: <see cref="TryAdd"/> validates new devices against the registry and each other and
/// returns a new registry, or leaves everything as it was and reports every error.
/// Checks: names (unique, identifiers), HIDs and compatible ids, PCI identities, resource ids (unique
/// per device), ranges and flags, and exclusivity — MMIO and port regions never overlap, an IRQ line
/// is used once unless every use is <c>shared</c> with the same mode.
/// </summary>
public sealed class HwRegistry
{
    private readonly Dictionary<string, HwDevice> _byName;

    private HwRegistry(IReadOnlyList<HwDevice> devices, Dictionary<string, HwDevice> byName)
    {
        Devices = devices;
        _byName = byName;
    }

    /// <summary>The registry without devices.</summary>
    public static HwRegistry Empty { get; } = new([], new Dictionary<string, HwDevice>(StringComparer.Ordinal));

    /// <summary>Builds a registry of <paramref name="devices"/>.</summary>
    /// <exception cref="IoConfigException">The devices are not valid together.</exception>
    public static HwRegistry Create(IEnumerable<HwDevice> devices)
    {
        var errors = new List<ConfigError>();
        var registry = Empty.TryAdd(devices, errors);
        return errors.Count == 0 ? registry : throw new IoConfigException(errors);
    }

    /// <summary>Every device, in the order added.</summary>
    public IReadOnlyList<HwDevice> Devices { get; }

    /// <summary>The device called <paramref name="name"/>, or null.</summary>
    public HwDevice? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Validates <paramref name="devices"/> as additions to this registry. Appends every error to
    /// <paramref name="errors"/>; returns the extended registry when none was found, otherwise this one.
    /// </summary>
    public HwRegistry TryAdd(IEnumerable<HwDevice> devices, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(errors);
        var added = devices.ToList();
        if (added.Count == 0)
            return this;
        var before = errors.Count;
        var byName = new Dictionary<string, HwDevice>(_byName, StringComparer.Ordinal);
        foreach (var device in added)
        {
            CheckDevice(device, errors);
            if (byName.TryGetValue(device.Name, out var first))
                errors.Add(new ConfigError(ConfigErrorCode.DuplicateDevice,
                    $"device '{device.Name}' is already defined at {first.Origin}", device.Origin));
            else
                byName.Add(device.Name, device);
        }
        CheckExclusive(added, errors);
        return errors.Count == before ? new HwRegistry([.. Devices, .. added], byName) : this;
    }

    private static void CheckDevice(HwDevice device, List<ConfigError> errors)
    {
        if (!ConfigNames.IsIdentifier(device.Name))
            errors.Add(new ConfigError(ConfigErrorCode.InvalidName,
                $"'{device.Name}' is not a device name (a letter or '_', then letters, digits, '_' or '-'; at most {ConfigNames.MaxNameLength} characters)", device.Origin));
        if (device.Hid is not null && !ConfigNames.IsText(device.Hid))
            errors.Add(new ConfigError(ConfigErrorCode.InvalidValue, $"device '{device.Name}': the hid must be non-empty text without control characters", device.Origin));
        foreach (var cid in device.Compatible)
            if (!ConfigNames.IsText(cid))
                errors.Add(new ConfigError(ConfigErrorCode.InvalidValue, $"device '{device.Name}': a compatible id must be non-empty text without control characters", device.Origin));
        if (device.Pci is { IsValid: false } pci)
            errors.Add(new ConfigError(ConfigErrorCode.InvalidValue,
                $"device '{device.Name}': invalid PCI identity (class code 0x{pci.ClassCode:x} must fit 24 bits, device < 32, function < 8)", device.Origin));

        var ids = new Dictionary<ResourceId, HwResource>();
        foreach (var r in device.Resources)
        {
            CheckResource(device, r, errors);
            if (!ids.TryAdd(r.Value.Id, r))
                errors.Add(new ConfigError(ConfigErrorCode.DuplicateResource,
                    $"device '{device.Name}' has two resources named '{r.Name}' (the other at {ids[r.Value.Id].Origin})", r.Origin));
        }
    }

    private static void CheckResource(HwDevice device, HwResource r, List<ConfigError> errors)
    {
        var v = r.Value;
        string? problem = null;
        if (!ResourceId.IsValidName(v.Id.Name) || ResourceId.FromName(v.Id.Name) != v.Id)
            problem = $"resource id 0x{v.Id.Raw:x8} is not 1 to 4 printable ASCII characters";
        else if (v.Type is ResourceType.Invalid or > ResourceType.DmaDomain)
            problem = $"resource '{r.Name}' has type {(int)v.Type}, not one of IRQ 1, MEM 2, PORT 3, BUS 4, GPIO 5";
        else if (v.Type == ResourceType.DmaDomain)
            problem = $"resource '{r.Name}': DMA domains are assigned by io; mark the device 'dma' instead";
        else if (v.Start > v.End)
            problem = $"resource '{r.Name}' ends (0x{v.End:x}) before it starts (0x{v.Start:x})";
        else if (v.Type == ResourceType.Mem && !v.MemFlags.IsDefined())
            problem = $"mmio '{r.Name}' has undefined flag bits 0x{(ushort)(v.MemFlags & ~MemFlagsExtensions.All):x}";
        else if (v.Type == ResourceType.Mem && (v.MemFlags & MemFlags.RW) == 0)
            problem = $"mmio '{r.Name}' is neither readable nor writable (io's mmio resources are r, w or rw)";
        else if (v.Type == ResourceType.Irq && (v.Flags > 0xf || !v.IrqMode.IsDefined()))
            problem = $"irq '{r.Name}' has flags 0x{v.Flags:x}, not an L4_irq_mode (0, 1, 3, 5, 7 or 9)";
        else if (v.Type is not (ResourceType.Mem or ResourceType.Irq) && v.Flags != 0)
            problem = $"{v.Type.ToString().ToLowerInvariant()} '{r.Name}' has flags 0x{v.Flags:x}; only mmio and irq resources have flags";
        else if (r.Shared && v.Type != ResourceType.Irq)
            problem = $"resource '{r.Name}': only interrupt lines can be shared";
        if (problem is not null)
            errors.Add(new ConfigError(ConfigErrorCode.InvalidValue, $"device '{device.Name}': {problem}", r.Origin));
    }

    /// <summary>MMIO and port regions are exclusive; IRQ lines are exclusive unless every use is shared with one mode.</summary>
    private void CheckExclusive(List<HwDevice> added, List<ConfigError> errors)
    {
        // Existing entries come first (ordinal below `firstNew`); they were checked when they were added.
        var entries = new List<Entry>();
        foreach (var d in Devices)
            AddEntries(d, entries);
        var firstNew = entries.Count;
        foreach (var d in added)
            AddEntries(d, entries);

        foreach (var type in (ReadOnlySpan<ResourceType>)[ResourceType.Mem, ResourceType.Port, ResourceType.Irq])
        {
            var ofType = entries.Where(e => e.Resource.Value.Type == type && e.Resource.Value.Start <= e.Resource.Value.End)
                .OrderBy(e => e.Resource.Value.Start).ThenBy(e => e.Ordinal).ToList();
            var active = new List<Entry>();
            foreach (var e in ofType)
            {
                active.RemoveAll(a => a.Resource.Value.End < e.Resource.Value.Start);
                foreach (var a in active)
                {
                    var (earlier, later) = a.Ordinal < e.Ordinal ? (a, e) : (e, a);
                    if (later.Ordinal < firstNew || Compatible(a.Resource, e.Resource))
                        continue;
                    errors.Add(Conflict(earlier, later));
                    break;
                }
                active.Add(e);
            }
        }

        void AddEntries(HwDevice d, List<Entry> list)
        {
            foreach (var r in d.Resources)
                list.Add(new Entry(d, r, list.Count));
        }
    }

    private static bool Compatible(HwResource a, HwResource b) =>
        a.Value.Type == ResourceType.Irq && a.Shared && b.Shared && a.Value.IrqMode == b.Value.IrqMode;

    private static ConfigError Conflict(Entry earlier, Entry later)
    {
        var l = later.Resource;
        var e = earlier.Resource;
        if (l.Value.Type == ResourceType.Irq)
        {
            var why = l.Shared && e.Shared
                ? $"shared with a different mode ({l.Value.IrqMode} vs {e.Value.IrqMode})"
                : "and at least one use is exclusive (mark every use 'shared' to share a line)";
            return new ConfigError(ConfigErrorCode.DuplicateIrq,
                $"irq '{l.Name}' of device '{later.Device.Name}' (line {Lines(l.Value)}) is also irq '{e.Name}' of device '{earlier.Device.Name}' at {e.Origin}, {why}",
                l.Origin);
        }
        var kind = l.Value.Type == ResourceType.Mem ? "mmio" : "port";
        return new ConfigError(ConfigErrorCode.OverlappingRegion,
            $"{kind} '{l.Name}' of device '{later.Device.Name}' [0x{l.Value.Start:x}..0x{l.Value.End:x}] overlaps {kind} '{e.Name}' of device '{earlier.Device.Name}' [0x{e.Value.Start:x}..0x{e.Value.End:x}] at {e.Origin}",
            l.Origin);
    }

    private static string Lines(in Resource r) => r.Start == r.End ? $"{r.Start}" : $"{r.Start}..{r.End}";

    private readonly record struct Entry(HwDevice Device, HwResource Resource, int Ordinal);
}
