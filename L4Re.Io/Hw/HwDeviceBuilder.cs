using L4Re.Kernel.Abi;
using L4Re.Io.Config;

namespace L4Re.Io.Hw;

/// <summary>
/// Fluent construction of a <see cref="HwDevice"/> from C#. Values a type cannot hold (a resource
/// name longer than four letters, an empty range) throw <see cref="ArgumentException"/> at the call;
/// everything that depends on other devices or vbuses (overlaps, duplicate names or IRQs, claims) is
/// reported by <see cref="IoServer.Load"/> as an <see cref="IoConfigException"/> naming the device.
/// </summary>
public sealed class HwDeviceBuilder
{
    private readonly string _source;
    private readonly List<string> _compatible = [];
    private readonly List<HwResource> _resources = [];
    private string? _hid;
    private bool _dma;
    private PciIdentity? _pci;

    /// <summary>Starts a device called <paramref name="name"/>; <paramref name="source"/> names the builder in error locations.</summary>
    public HwDeviceBuilder(string name, string source = "builder")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(source);
        Name = name;
        _source = source;
    }

    /// <summary>The device's name.</summary>
    public string Name { get; }

    /// <summary>Sets the hardware id.</summary>
    public HwDeviceBuilder Hid(string hid)
    {
        _hid = hid ?? throw new ArgumentNullException(nameof(hid));
        return this;
    }

    /// <summary>Adds compatible ids (most specific first).</summary>
    public HwDeviceBuilder Compatible(params string[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _compatible.AddRange(ids);
        return this;
    }

    /// <summary>Marks the device DMA-capable.</summary>
    public HwDeviceBuilder Dma(bool capable = true)
    {
        _dma = capable;
        return this;
    }

    /// <summary>Sets the PCI identity.</summary>
    public HwDeviceBuilder Pci(PciIdentity identity)
    {
        _pci = identity ?? throw new ArgumentNullException(nameof(identity));
        return this;
    }

    /// <summary>Adds an MMIO window of <paramref name="size"/> bytes.</summary>
    public HwDeviceBuilder Mmio(string name, ulong start, ulong size, MemFlags flags = MemFlags.RW) =>
        Add(Resource.Mmio(name, start, size, flags), shared: false, "mmio");

    /// <summary>Adds an interrupt line; <paramref name="shared"/> allows other shared uses of the same line.</summary>
    public HwDeviceBuilder Irq(string name, uint irq, IrqMode mode = IrqMode.None, bool shared = false) =>
        Add(Resource.Irq(name, irq, mode), shared, "irq");

    /// <summary>Adds an I/O port range.</summary>
    public HwDeviceBuilder Port(string name, ulong start, ulong count) => Add(Resource.Port(name, start, count), shared: false, "port");

    /// <summary>Adds a bus-number range.</summary>
    public HwDeviceBuilder Bus(string name, ulong first, ulong last) => Add(Resource.Bus(name, first, last), shared: false, "bus");

    /// <summary>Adds a GPIO pin range.</summary>
    public HwDeviceBuilder Gpio(string name, ulong first, ulong last) => Add(Resource.Gpio(name, first, last), shared: false, "gpio");

    /// <summary>Adds an arbitrary resource (validated on load).</summary>
    public HwDeviceBuilder AddResource(Resource resource, bool shared = false) =>
        Add(resource, shared, resource.Type.ToString().ToLowerInvariant());

    /// <summary>Builds the device.</summary>
    public HwDevice Build() =>
        new(Name, _hid, _compatible, _resources, _dma, _pci, ConfigLocation.InBuilder(_source, $"device '{Name}'"));

    private HwDeviceBuilder Add(Resource resource, bool shared, string kind)
    {
        _resources.Add(new HwResource(resource, shared, ConfigLocation.InBuilder(_source, $"device '{Name}' {kind} '{resource.Id}'")));
        return this;
    }
}
