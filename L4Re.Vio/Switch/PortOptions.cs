using System.Globalization;
using L4Re.Vio.Devices.Net;

namespace L4Re.Vio.Switch;

/// <summary>
/// The options of a switch port, as l4vio_switch's factory takes them (<c>switch:create(0, "ds-max=4",
/// "name=foo", "type=monitor", "vlan=access=1", "mac=…")</c>; server/switch/main.cc, doc/usage.md).
/// </summary>
public sealed record PortOptions
{
    /// <summary>The longest port name; longer names are cut (l4vio keeps 19 characters).</summary>
    public const int MaxNameLength = 19;

    /// <summary>The port's name; null: <c>[n]</c> (or <c>monitor[n]</c>).</summary>
    public string? Name { get; init; }

    /// <summary><c>type=monitor</c>: the receive-only monitor port.</summary>
    public bool Monitor { get; init; }

    /// <summary><c>vlan=access=ID</c>.</summary>
    public ushort? VlanAccess { get; init; }

    /// <summary><c>vlan=trunk=ID,…</c>.</summary>
    public IReadOnlyList<ushort> VlanTrunk { get; init; } = [];

    /// <summary><c>vlan=trunk=all</c>.</summary>
    public bool VlanTrunkAll { get; init; }

    /// <summary><c>mac=xx:xx:xx:xx:xx:xx</c>; null lets the switch assign a random one (or none).</summary>
    public MacAddress? Mac { get; init; }

    /// <summary><c>ds-max=N</c> (1–80): how many memory regions the client may register (default 2).</summary>
    public int DsMax { get; init; } = 2;

    /// <summary>Checks the combination of options.</summary>
    /// <exception cref="ArgumentException">The options contradict each other or are out of range.</exception>
    public void Validate()
    {
        if (DsMax is <= 0 or > 80)
            throw new ArgumentException($"client requested invalid number of data spaces: 0 < {DsMax} <= 80");
        if (VlanAccess is { } access && !VlanIds.IsValid(access))
            throw new ArgumentException($"Invalid VLAN access port id '{access}'");
        foreach (var id in VlanTrunk)
        {
            if (!VlanIds.IsValid(id))
                throw new ArgumentException($"Invalid VLAN trunk id '{id}'");
        }
        if (VlanAccess is not null && (VlanTrunk.Count > 0 || VlanTrunkAll))
            throw new ArgumentException("VLAN port cannot be access and trunk simultaneously.");
    }

    /// <summary>Parses factory arguments exactly as l4vio_switch's <c>create_port</c> does.</summary>
    /// <exception cref="FormatException">An argument is unknown or malformed (the factory call's -EINVAL).</exception>
    public static PortOptions Parse(params IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new PortOptions();
        var trunk = new List<ushort>();
        foreach (var opt in arguments)
        {
            if (opt.StartsWith("ds-max=", StringComparison.Ordinal))
            {
                if (!int.TryParse(opt.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var ds))
                    throw new FormatException("Bad parameter 'ds-max='. Invalid number specified.");
                if (ds is <= 0 or > 80)
                    throw new FormatException($"client requested invalid number of data spaces: 0 < {ds} <= 80");
                options = options with { DsMax = ds };
            }
            else if (opt.Length > 5 && opt.StartsWith("type=", StringComparison.Ordinal))
            {
                options = opt switch
                {
                    "type=monitor" => options with { Monitor = true },
                    "type=none" => options,
                    _ => throw new FormatException($"Unknown type '{opt[5..]}'"),
                };
            }
            else if (opt.Length > 5 && opt.StartsWith("name=", StringComparison.Ordinal))
            {
                var name = opt[5..];
                options = options with { Name = name.Length > MaxNameLength ? name[..MaxNameLength] : name };
            }
            else if (opt.Length > 5 && opt.StartsWith("vlan=", StringComparison.Ordinal))
            {
                var spec = opt[5..];
                if (spec.StartsWith("access=", StringComparison.Ordinal))
                {
                    if (!ushort.TryParse(spec.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var vid) || !VlanIds.IsValid(vid))
                        throw new FormatException($"Invalid VLAN access port id '{opt}'");
                    options = options with { VlanAccess = vid };
                }
                else if (spec.StartsWith("trunk=", StringComparison.Ordinal))
                {
                    var list = spec[6..];
                    if (list == "all")
                    {
                        options = options with { VlanTrunkAll = true };
                        continue;
                    }
                    var before = trunk.Count;
                    foreach (var item in list.Split(','))
                    {
                        if (!ushort.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var vid) || !VlanIds.IsValid(vid))
                            throw new FormatException($"Invalid VLAN trunk port spec '{opt}'");
                        trunk.Add(vid);
                    }
                    if (trunk.Count == before)
                        throw new FormatException($"Invalid VLAN trunk port spec '{opt}'");
                }
                else
                {
                    throw new FormatException("Invalid VLAN specification..");
                }
            }
            else if (opt.Length > 5 && opt.StartsWith("mac=", StringComparison.Ordinal))
            {
                if (opt.Length != 4 + 17 || !MacAddress.TryParse(opt[4..], out var mac))
                    throw new FormatException($"Invalid mac address '{opt[4..]}'");
                options = options with { Mac = mac };
            }
            else
            {
                throw new FormatException($"Unknown option '{opt}'");
            }
        }
        options = options with { VlanTrunk = trunk };
        if (options.VlanAccess is not null && (trunk.Count > 0 || options.VlanTrunkAll))
            throw new FormatException("VLAN port cannot be access and trunk simultaneously.");
        return options;
    }
}
