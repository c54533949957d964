using L4Re.Io.Config;
using L4Re.Io.Hw;

namespace L4Re.Io.Vbus;

/// <summary>
/// One selection rule of a vbus — the counterpart of io's <c>wrap(hw:match("…"))</c> in a
/// <c>Io.Vi.System_bus</c> (kernkonzept/io <c>io/doc/example.io</c>, <c>io/server/src/io.lua</c>).
/// A rule must select at least one device when the configuration is loaded.
/// </summary>
/// <param name="Kind">What the pattern is matched against.</param>
/// <param name="Pattern">The glob, id, PCI id string or device name.</param>
/// <param name="Origin">Where the rule was written.</param>
public sealed record MatchRule(MatchKind Kind, string Pattern, ConfigLocation Origin)
{
    /// <summary>Compiles the rule; on failure <paramref name="error"/> says why.</summary>
    public bool TryCompile(out CompiledMatch? compiled, out string? error)
    {
        compiled = null;
        error = null;
        if (!ConfigNames.IsText(Pattern))
        {
            error = "a match pattern must be non-empty text without control characters";
            return false;
        }
        HidGlob? glob = null;
        PciMatch? pci = null;
        switch (Kind)
        {
            case MatchKind.Hid:
                if (!HidGlob.TryCompile(Pattern, out glob, out error))
                    return false;
                break;
            case MatchKind.Pci:
                if (!PciMatch.TryCompile(Pattern, requirePrefix: false, out pci, out error))
                    return false;
                break;
            case MatchKind.Io:
                if (!HidGlob.TryCompile(Pattern, out glob, out error))
                    return false;
                if (Pattern.StartsWith(PciMatch.Prefix, StringComparison.Ordinal) && !PciMatch.TryCompile(Pattern, requirePrefix: true, out pci, out error))
                    return false;
                break;
            case MatchKind.Compatible:
            case MatchKind.Name:
                break;
            default:
                error = $"unknown match kind {(int)Kind}";
                return false;
        }
        compiled = new CompiledMatch(this, glob, pci);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        MatchKind.Io => $"match \"{Pattern}\"",
        MatchKind.Name => $"device {Pattern}",
        _ => $"match {Kind.ToString().ToLowerInvariant()} \"{Pattern}\"",
    };
}

/// <summary>A <see cref="MatchRule"/> ready to test devices.</summary>
public sealed class CompiledMatch
{
    private readonly HidGlob? _glob;
    private readonly PciMatch? _pci;

    internal CompiledMatch(MatchRule rule, HidGlob? glob, PciMatch? pci)
    {
        Rule = rule;
        _glob = glob;
        _pci = pci;
    }

    /// <summary>The rule.</summary>
    public MatchRule Rule { get; }

    /// <summary>True when the rule selects <paramref name="device"/>.</summary>
    public bool IsMatch(HwDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Rule.Kind switch
        {
            MatchKind.Hid => device.Hid is { } hid && _glob!.IsMatch(hid),
            MatchKind.Compatible => device.Compatible.Contains(Rule.Pattern, StringComparer.Ordinal),
            MatchKind.Pci => device.Pci is { } p && _pci!.IsMatch(p),
            MatchKind.Io => (device.Hid is { } h && _glob!.IsMatch(h))
                || device.Compatible.Contains(Rule.Pattern, StringComparer.Ordinal)
                || (_pci is not null && device.Pci is { } q && _pci.IsMatch(q)),
            MatchKind.Name => string.Equals(device.Name, Rule.Pattern, StringComparison.Ordinal),
            _ => false,
        };
    }
}
