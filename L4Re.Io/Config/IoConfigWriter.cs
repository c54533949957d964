using L4Re.Kernel.Abi;
using System.Globalization;
using System.Text;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;

namespace L4Re.Io.Config;

/// <summary>
/// Writes an <see cref="IoConfig"/> in the text format, one statement per line. Parsing the output
/// gives back an equal configuration (locations aside) for every configuration that loads.
/// </summary>
public static class IoConfigWriter
{
    /// <summary>Formats <paramref name="config"/>.</summary>
    public static string Write(IoConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sb = new StringBuilder();
        foreach (var d in config.Devices)
        {
            if (sb.Length > 0)
                sb.Append('\n');
            WriteDevice(sb, d);
        }
        foreach (var v in config.Vbuses)
        {
            if (sb.Length > 0)
                sb.Append('\n');
            sb.Append("vbus ").Append(v.Name).Append(" {\n");
            foreach (var r in v.Rules)
            {
                sb.Append("    ");
                switch (r.Kind)
                {
                    case MatchKind.Io: sb.Append("match ").Append(Quote(r.Pattern)); break;
                    case MatchKind.Name: sb.Append("device ").Append(r.Pattern); break;
                    default: sb.Append("match ").Append(r.Kind.ToString().ToLowerInvariant()).Append(' ').Append(Quote(r.Pattern)); break;
                }
                sb.Append('\n');
            }
            sb.Append("}\n");
        }
        return sb.ToString();
    }

    /// <summary>Quotes <paramref name="text"/> as a string literal of the format.</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
            sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", _ => c.ToString() });
        return sb.Append('"').ToString();
    }

    private static void WriteDevice(StringBuilder sb, HwDevice d)
    {
        sb.Append("device ").Append(d.Name).Append(" {\n");
        if (d.Hid is not null)
            sb.Append("    hid = ").Append(Quote(d.Hid)).Append('\n');
        if (d.Compatible.Count > 0)
            sb.Append("    compatible = ").AppendJoin(", ", d.Compatible.Select(Quote)).Append('\n');
        if (d.DmaCapable)
            sb.Append("    dma\n");
        if (d.Pci is { } p)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    pci vendor = 0x{p.VendorId:x4} device = 0x{p.DeviceId:x4} class = 0x{p.ClassCode:x6}");
            if (p.Revision != 0)
                sb.Append(CultureInfo.InvariantCulture, $" revision = 0x{p.Revision:x2}");
            if (p.SubsystemId != 0)
                sb.Append(CultureInfo.InvariantCulture, $" subsystem = 0x{p.SubsystemId:x8}");
            if (p.Address is { } a)
                sb.Append(" address = \"").Append(a.ToString()).Append('"');
            sb.Append('\n');
        }
        foreach (var r in d.Resources)
        {
            var v = r.Value;
            var kind = v.Type switch
            {
                ResourceType.Mem => "mmio",
                ResourceType.Irq => "irq",
                ResourceType.Port => "port",
                ResourceType.Bus => "bus",
                ResourceType.Gpio => "gpio",
                _ => throw new ArgumentException($"device '{d.Name}': a {v.Type} resource has no text form", nameof(d)),
            };
            var range = v.Type == ResourceType.Irq
                ? v.Start == v.End ? $"{v.Start}" : $"{v.Start} .. {v.End}"
                : $"0x{v.Start:x} .. 0x{v.End:x}";
            sb.Append("    ").Append(kind).Append(' ').Append(r.Name).Append(" = ").Append(range);
            if (v.Type == ResourceType.Mem)
            {
                var f = v.MemFlags;
                sb.Append((f & MemFlags.RW) switch { MemFlags.R => " r", MemFlags.W => " w", _ => " rw" });
                if ((f & MemFlags.Prefetchable) != 0) sb.Append(" prefetchable");
                if ((f & MemFlags.Cacheable) != 0) sb.Append(" cacheable");
                if ((f & MemFlags.MmioRead) != 0) sb.Append(" mmio-read");
                if ((f & MemFlags.MmioWrite) != 0) sb.Append(" mmio-write");
            }
            if (v.Type == ResourceType.Irq)
            {
                sb.Append(v.IrqMode switch
                {
                    IrqMode.LevelHigh => " level-high",
                    IrqMode.LevelLow => " level-low",
                    IrqMode.PositiveEdge => " edge-rising",
                    IrqMode.NegativeEdge => " edge-falling",
                    IrqMode.BothEdges => " edge-both",
                    _ => "",
                });
                if (r.Shared)
                    sb.Append(" shared");
            }
            sb.Append('\n');
        }
        sb.Append("}\n");
    }
}
