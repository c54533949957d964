using System.Globalization;
using System.Text;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel;

/// <summary>
/// The capability graph of a kernel: which task holds which capability (slot, rights) to which object,
/// plus the structural edges (thread → task it runs in, IPC gate / IRQ → bound thread). Rendered as
/// Graphviz DOT.
/// </summary>
public static class CapabilityGraph
{
    /// <summary>Renders the graph of <paramref name="kernel"/> as a DOT digraph.</summary>
    public static string ToDot(Microkernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var sb = new StringBuilder();
        sb.AppendLine("digraph capabilities {");
        sb.AppendLine("  rankdir=LR;");
        sb.AppendLine("  node [fontname=\"Helvetica\", fontsize=10];");
        sb.AppendLine("  edge [fontname=\"Helvetica\", fontsize=9];");
        var objects = kernel.Objects.ToList();
        foreach (var o in objects)
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(o)} [label=\"{Escape(o.ToString())}\", shape={Shape(o)}];");
        foreach (var o in objects)
        {
            if (o is L4Task { Caps: { } caps } t)
            {
                foreach (var c in caps.Enumerate())
                {
                    var style = c.IsCounted ? "" : ", style=dashed";
                    sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(t)} -> {Id(c.Object)} [label=\"{c.Index}: {Rights(c.Rights)}\"{style}];");
                }
            }
            switch (o)
            {
                case L4Thread { Task: { } task } th:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(th)} -> {Id(task)} [label=\"runs in\", style=dotted, color=gray];");
                    break;
                case IpcGate { Thread: { } bound } g:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(g)} -> {Id(bound)} [label=\"bound, label 0x{g.Label:x}\", style=dotted, color=blue];");
                    break;
                case Irq { Target: { } target } irq:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"  {Id(irq)} -> {Id(target)} [label=\"irq label 0x{irq.Label:x}\", style=dotted, color=red];");
                    break;
            }
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>The rights as L4Re writes them (e.g. <c>RWSD</c>, <c>R</c>).</summary>
    public static string Rights(CapRights r)
    {
        var s = new StringBuilder(4);
        if ((r & CapRights.R) != 0)
            s.Append('R');
        if ((r & CapRights.W) != 0)
            s.Append('W');
        if ((r & CapRights.S) != 0)
            s.Append('S');
        if ((r & CapRights.D) != 0)
            s.Append('D');
        return s.Length == 0 ? "-" : s.ToString();
    }

    private static string Id(KernelObject o) => "o" + o.Id.ToString(CultureInfo.InvariantCulture);

    private static string Shape(KernelObject o) => o switch
    {
        L4Task => "box",
        L4Thread => "ellipse",
        IpcGate => "diamond",
        Factory => "folder",
        IrqBase => "hexagon",
        _ => "component",
    };

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
