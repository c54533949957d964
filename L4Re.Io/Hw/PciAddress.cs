using System.Globalization;

namespace L4Re.Io.Hw;

/// <summary>
/// A PCI function address in PCI nomenclature, <c>ssss:bb:dd.f</c> — the form io's
/// <c>PCI/ADR_xxxx:xx:xx.x</c> match string uses (kernkonzept/io <c>io/doc/io.dox</c>).
/// </summary>
/// <param name="Segment">PCI segment (domain).</param>
/// <param name="Bus">Bus number.</param>
/// <param name="Device">Device number, 0–31.</param>
/// <param name="Function">Function number, 0–7.</param>
public readonly record struct PciAddress(ushort Segment, byte Bus, byte Device, byte Function)
{
    /// <summary>True when device and function are in range.</summary>
    public bool IsValid => Device < 32 && Function < 8;

    /// <summary>Parses <c>ssss:bb:dd.f</c> or <c>bb:dd.f</c> (hexadecimal fields).</summary>
    public static bool TryParse(string? text, out PciAddress address)
    {
        address = default;
        if (string.IsNullOrEmpty(text))
            return false;
        var parts = text.Split(':');
        if (parts.Length is not (2 or 3))
            return false;
        ushort segment = 0;
        if (parts.Length == 3 && (parts[0].Length != 4 || !ushort.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out segment)))
            return false;
        var bus = parts[^2];
        var devFn = parts[^1].Split('.');
        if (bus.Length != 2 || !byte.TryParse(bus, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            return false;
        if (devFn.Length != 2 || devFn[0].Length != 2 || devFn[1].Length != 1
            || !byte.TryParse(devFn[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var d)
            || !byte.TryParse(devFn[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var f))
            return false;
        address = new PciAddress(segment, b, d, f);
        return address.IsValid;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Segment:x4}:{Bus:x2}:{Device:x2}.{Function:x1}";
}
