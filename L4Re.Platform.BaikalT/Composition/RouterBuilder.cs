using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Kernel;
using L4Re.Platform.BaikalT.Guest;
using L4Re.Platform.BaikalT.RegulatoryData;
using L4Re.Platform.BaikalT.Vm;
using L4Re.Regulatory.Gate;
using L4Re.Regulatory.Regdb;
using L4Re.Regulatory.Rules;
using L4Re.Vio.Switch;
using Microsoft.Extensions.Logging;

namespace L4Re.Platform.BaikalT.Composition;

/// <summary>
/// Composes the prpl router on a virtual Baikal-T1 (docs/platform.md): the kernel (L4Re.Kernel's SystemBuilder), the
/// board, io with the vbuses "wifi" (the NIC, for the trusted driver) and "openwrt" (UART1 and the GMACs, for the VM),
/// the virtual network switch with a port for the VM, one for the trusted component and a pcap monitor, the trusted
/// Wi-Fi component (native program behind an Ipc_gate, holding the policy gate for the fixed country), and the untrusted
/// OpenWrt VM whose only way to the radio is that gate. Every setting has a default; <see cref="Build"/> checks all of
/// them and reports every problem at once (<see cref="RouterConfigurationException"/>).
/// </summary>
/// <example>
/// <code>
/// using var router = new RouterBuilder()
///     .WithCountry("US")
///     .WithIommu(false)                       // the Baikal-T1 as it is
///     .WithPcap("monitor.pcap")
///     .WithRadar(5260, TimeSpan.FromSeconds(2))
///     .Build();
/// var result = router.RunGuest();
/// </code>
/// </example>
public sealed class RouterBuilder
{
    private ILoggerFactory? _loggerFactory;
    private KernelOptions _kernelOptions = new();
    private DmaMode _dmaMode = DmaMode.Iommu;
    private string _country = "US";
    private RegulatoryDatabase? _regdb;
    private InterfaceCapabilities? _radio;
    private GateOptions? _gateOptions;
    private IGuestImage? _guest;
    private IReadOnlyList<GuestStep>? _script;
    private bool _withVm = true;
    private long _vmMemory = 32L << 20;
    private string? _pcapPath;
    private Stream? _pcapStream;
    private readonly List<(uint Khz, TimeSpan After)> _radars = [];
    private readonly List<(byte[] Frame, TimeSpan After)> _stations = [];
    private Action<IoConfigBuilder>? _io;
    private SwitchOptions _switchOptions = new();
    private int _wifiPriority = 30;
    private int _vmmPriority = 10;

    /// <summary>Logs through <paramref name="loggerFactory"/>.</summary>
    public RouterBuilder WithLogging(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Kernel options (quota, seed, tracing, ...).</summary>
    public RouterBuilder WithKernelOptions(KernelOptions options)
    {
        _kernelOptions = options;
        return this;
    }

    /// <summary>With an IOMMU model (true, the default) or as the Baikal-T1 is, without one (io runs CPU-phys DMA).</summary>
    public RouterBuilder WithIommu(bool iommu)
    {
        _dmaMode = iommu ? DmaMode.Iommu : DmaMode.CpuPhys;
        return this;
    }

    /// <summary>The country the trusted component enforces (ISO alpha2 of the regulatory database; default US).</summary>
    public RouterBuilder WithCountry(string alpha2)
    {
        _country = alpha2;
        return this;
    }

    /// <summary>The regulatory database (default: the embedded wireless-regdb, <see cref="BuiltInRegulatoryDatabase"/>).</summary>
    public RouterBuilder WithRegulatoryDatabase(RegulatoryDatabase database)
    {
        _regdb = database;
        return this;
    }

    /// <summary>The radio's capabilities (default <see cref="InterfaceCapabilities.DualBandRouter"/>).</summary>
    public RouterBuilder WithRadio(InterfaceCapabilities capabilities)
    {
        _radio = capabilities;
        return this;
    }

    /// <summary>Options of the policy gate.</summary>
    public RouterBuilder WithGateOptions(GateOptions options)
    {
        _gateOptions = options;
        return this;
    }

    /// <summary>The guest of the OpenWrt VM (default: the stand-in program with <see cref="RadioGuestProgram.DefaultScript"/>).</summary>
    public RouterBuilder WithGuest(IGuestImage image)
    {
        _guest = image;
        return this;
    }

    /// <summary>The stand-in program with another script.</summary>
    public RouterBuilder WithGuestScript(IEnumerable<GuestStep> script)
    {
        _script = script?.ToList();
        return this;
    }

    /// <summary>No OpenWrt VM (the trusted side alone, e.g. for DMA or protocol tests).</summary>
    public RouterBuilder WithoutVm()
    {
        _withVm = false;
        return this;
    }

    /// <summary>Guest RAM of the VM in bytes (1–256 MiB in whole MiB; default 32 MiB).</summary>
    public RouterBuilder WithVmMemory(long bytes)
    {
        _vmMemory = bytes;
        return this;
    }

    /// <summary>Writes the switch's monitor port to a pcap file.</summary>
    public RouterBuilder WithPcap(string path)
    {
        _pcapPath = path;
        _pcapStream = null;
        return this;
    }

    /// <summary>Writes the switch's monitor port as pcap to <paramref name="stream"/> (left open).</summary>
    public RouterBuilder WithPcap(Stream stream)
    {
        _pcapStream = stream;
        _pcapPath = null;
        return this;
    }

    /// <summary>A radar at <paramref name="mhz"/> that starts <paramref name="after"/> the NIC first transmits on a channel covering it.</summary>
    public RouterBuilder WithRadar(int mhz, TimeSpan after)
    {
        _radars.Add(((uint)Math.Max(0, mhz) * 1000, after));
        return this;
    }

    /// <summary>A Wi-Fi station that sends <paramref name="frame"/> <paramref name="after"/> the NIC first transmits as an access point.</summary>
    public RouterBuilder WithStation(byte[] frame, TimeSpan after)
    {
        _stations.Add((frame, after));
        return this;
    }

    /// <summary>Adds devices or vbuses to io's configuration.</summary>
    public RouterBuilder WithIoConfig(Action<IoConfigBuilder> configure)
    {
        _io += configure;
        return this;
    }

    /// <summary>Options of the virtual switch.</summary>
    public RouterBuilder WithSwitchOptions(SwitchOptions options)
    {
        _switchOptions = options;
        return this;
    }

    /// <summary>Priorities of the trusted component's thread and of the VMM's thread (1–255; the trusted side should be higher).</summary>
    public RouterBuilder WithPriorities(int wifi, int vmm)
    {
        _wifiPriority = wifi;
        _vmmPriority = vmm;
        return this;
    }

    /// <summary>Checks the configuration and builds the router (the kernel is booted up to the point where the trusted component serves).</summary>
    /// <exception cref="RouterConfigurationException">Every problem found.</exception>
    public Router Build()
    {
        var errors = new List<string>();
        var regdb = _regdb;
        if (regdb is null)
        {
            try
            {
                regdb = BuiltInRegulatoryDatabase.Load();
            }
            catch (L4Re.Regulatory.RegulatoryDataException e)
            {
                errors.Add("the built-in regulatory database does not load: " + e.Message);
            }
        }
        RegDomain? country = null;
        if (!RegDomain.IsAlpha2(_country))
            errors.Add($"country '{_country}' is not an ISO 3166 alpha2 code");
        else if (regdb is not null && !regdb.TryGetCountry(_country, out country))
            errors.Add($"country '{_country}' is not in the regulatory database");
        if (_kernelOptions is null)
            errors.Add("kernel options are null");
        else if (_kernelOptions.IcuPins < 94)
            errors.Add($"the kernel ICU needs at least 94 pins for the Baikal-T1 interrupts (got {_kernelOptions.IcuPins})");
        if (_vmMemory < 1 << 20 || _vmMemory % (1 << 20) != 0 || _vmMemory > 256L << 20)
            errors.Add($"VM memory {_vmMemory} bytes: must be 1 to 256 MiB in whole MiB (it lives in the Baikal-T1's high DRAM)");
        if (!_withVm && (_guest is not null || _script is not null))
            errors.Add("a guest was given but the router has no VM (WithoutVm)");
        if (_guest is not null && _script is not null)
            errors.Add("give either a guest image or a guest script, not both");
        if (_script is not null)
        {
            try
            {
                RadioGuestProgram.Source(_script);
            }
            catch (ArgumentException e)
            {
                errors.Add("guest script: " + e.Message);
            }
        }
        foreach (var (khz, after) in _radars)
        {
            if (khz is < 2_400_000 or > 7_200_000)
                errors.Add($"radar at {khz / 1000} MHz is outside the Wi-Fi bands");
            if (after < TimeSpan.Zero)
                errors.Add("a radar delay is negative");
        }
        foreach (var (frame, after) in _stations)
        {
            if (frame is null || frame.Length is 0 or > Wifi.WifiNicRegisters.MaxFrame)
                errors.Add($"a station frame must have 1 to {Wifi.WifiNicRegisters.MaxFrame} bytes");
            if (after < TimeSpan.Zero)
                errors.Add("a station delay is negative");
        }
        if (_pcapPath is not null)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(_pcapPath));
            if (dir is not null && !Directory.Exists(dir))
                errors.Add($"the directory of pcap file '{_pcapPath}' does not exist");
        }
        if (_pcapStream is { CanWrite: false })
            errors.Add("the pcap stream is not writable");
        if (_wifiPriority is < 1 or > 255 || _vmmPriority is < 1 or > 255)
            errors.Add("priorities must be 1 to 255");
        else if (_wifiPriority <= _vmmPriority)
            errors.Add($"the trusted component's priority ({_wifiPriority}) must be above the VMM's ({_vmmPriority}): radar handling must not wait for the guest");
        if (_switchOptions is null)
            errors.Add("switch options are null");
        if (errors.Count > 0)
            throw new RouterConfigurationException(errors);

        var guest = !_withVm ? null
            : _guest ?? new BareMetalGuestImage(RadioGuestProgram.Build(_script ?? RadioGuestProgram.DefaultScript), "OpenWrt stand-in (bare-metal MIPS32r2)");
        return new Router(new RouterSettings
        {
            LoggerFactory = _loggerFactory,
            KernelOptions = _kernelOptions!,
            DmaMode = _dmaMode,
            Country = country!,
            Radio = _radio ?? InterfaceCapabilities.DualBandRouter(),
            GateOptions = _gateOptions,
            Guest = guest,
            VmMemory = _vmMemory,
            PcapPath = _pcapPath,
            PcapStream = _pcapStream,
            Radars = [.. _radars],
            Stations = [.. _stations],
            Io = _io,
            SwitchOptions = _switchOptions!,
            WifiPriority = _wifiPriority,
            VmmPriority = _vmmPriority,
        });
    }
}

/// <summary>A checked router configuration (made by <see cref="RouterBuilder"/>).</summary>
internal sealed record RouterSettings
{
    public ILoggerFactory? LoggerFactory { get; init; }
    public required KernelOptions KernelOptions { get; init; }
    public DmaMode DmaMode { get; init; }
    public required RegDomain Country { get; init; }
    public required InterfaceCapabilities Radio { get; init; }
    public GateOptions? GateOptions { get; init; }
    public IGuestImage? Guest { get; init; }
    public long VmMemory { get; init; }
    public string? PcapPath { get; init; }
    public Stream? PcapStream { get; init; }
    public IReadOnlyList<(uint Khz, TimeSpan After)> Radars { get; init; } = [];
    public IReadOnlyList<(byte[] Frame, TimeSpan After)> Stations { get; init; } = [];
    public Action<IoConfigBuilder>? Io { get; init; }
    public required SwitchOptions SwitchOptions { get; init; }
    public int WifiPriority { get; init; }
    public int VmmPriority { get; init; }
}
