using L4Re.Kernel.Abi;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;

namespace L4Re.Io.Config;

/// <summary>
/// Builds an <see cref="IoConfig"/> in C# — the same model the text format produces. Errors that
/// involve several elements are reported on load with locations such as
/// <c>board: vbus 'openwrt' match hid "snps,*"</c>.
/// </summary>
/// <example>
/// <code>
/// var config = new IoConfigBuilder("board")
///     .Device("uart0", d => d.Hid("snps,dw-apb-uart").Compatible("snps,dw-apb-uart", "ns16550a")
///         .Mmio("reg0", 0x1f04a000, 0x1000).Irq("irq0", 48, IrqMode.LevelHigh))
///     .Vbus("openwrt", v => v.MatchHid("snps,dw-apb-uart"))
///     .Build();
/// </code>
/// </example>
public sealed class IoConfigBuilder
{
    private readonly List<HwDevice> _devices = [];
    private readonly List<VbusSpec> _vbuses = [];

    /// <summary>Starts a configuration; <paramref name="source"/> names it in error locations.</summary>
    public IoConfigBuilder(string source = "builder")
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
    }

    /// <summary>The name used in error locations.</summary>
    public string Source { get; }

    /// <summary>Adds a hardware device configured by <paramref name="configure"/>.</summary>
    public IoConfigBuilder Device(string name, Action<HwDeviceBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new HwDeviceBuilder(name, Source);
        configure(builder);
        _devices.Add(builder.Build());
        return this;
    }

    /// <summary>Adds a hardware device.</summary>
    public IoConfigBuilder Device(HwDevice device)
    {
        _devices.Add(device ?? throw new ArgumentNullException(nameof(device)));
        return this;
    }

    /// <summary>Adds a virtual bus configured by <paramref name="configure"/>.</summary>
    public IoConfigBuilder Vbus(string name, Action<VbusSpecBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new VbusSpecBuilder(name, Source);
        configure(builder);
        _vbuses.Add(builder.Build());
        return this;
    }

    /// <summary>Returns the configuration built so far.</summary>
    public IoConfig Build() => new([.. _devices], [.. _vbuses]);
}

/// <summary>Builds the rules of one <see cref="VbusSpec"/>.</summary>
public sealed class VbusSpecBuilder
{
    private readonly string _source;
    private readonly List<MatchRule> _rules = [];

    internal VbusSpecBuilder(string name, string source)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _source = source;
    }

    /// <summary>The vbus name.</summary>
    public string Name { get; }

    /// <summary>Adds the devices whose HID matches the glob.</summary>
    public VbusSpecBuilder MatchHid(string glob) => Add(MatchKind.Hid, glob);

    /// <summary>Adds the devices with this compatible id.</summary>
    public VbusSpecBuilder MatchCompatible(string id) => Add(MatchKind.Compatible, id);

    /// <summary>Adds the PCI devices matching an io PCI id string such as <c>VEN_168c&amp;DEV_003c</c> or <c>CC_0280</c>.</summary>
    public VbusSpecBuilder MatchPci(string id) => Add(MatchKind.Pci, id);

    /// <summary>Adds the devices io's <c>hw:match("…")</c> would select for <paramref name="id"/>.</summary>
    public VbusSpecBuilder Match(string id) => Add(MatchKind.Io, id);

    /// <summary>Adds the hardware device called <paramref name="deviceName"/>.</summary>
    public VbusSpecBuilder Device(string deviceName) => Add(MatchKind.Name, deviceName);

    internal VbusSpec Build() => new(Name, [.. _rules], ConfigLocation.InBuilder(_source, $"vbus '{Name}'"));

    private VbusSpecBuilder Add(MatchKind kind, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var path = $"vbus '{Name}' {new MatchRule(kind, pattern, ConfigLocation.Unknown)}";
        var rule = new MatchRule(kind, pattern, ConfigLocation.InBuilder(_source, path));
        _rules.Add(rule);
        return this;
    }
}
