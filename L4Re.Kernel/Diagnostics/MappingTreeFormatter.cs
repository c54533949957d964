using System.Text;
using L4Re.Kernel.Memory;

namespace L4Re.Kernel;

/// <summary>Renders a frame's mapping tree as indented text (pre-order, as Fiasco's mapping database stores it).</summary>
public static class MappingTreeFormatter
{
    /// <summary>
    /// One line per mapping, indented two spaces per depth: <c>owner@0xaddress rights</c>; the root is
    /// sigma0's idempotent mapping. Children appear most recent first, as Fiasco inserts them.
    /// </summary>
    public static string Format(MappingNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var top = root;
        while (top.Parent is not null)
            top = top.Parent;
        var sb = new StringBuilder();
        var stack = new Stack<MappingNode>();
        stack.Push(top);
        while (stack.TryPop(out var n))
        {
            sb.Append(' ', n.Depth * 2)
              .Append(n.Space.Owner.Name ?? n.Space.Owner.ToString())
              .Append("@0x")
              .Append((n.VirtualPage << (n.Region is null ? 0 : 12)).ToString("x", System.Globalization.CultureInfo.InvariantCulture))
              .Append(' ')
              .Append(n.Rights)
              .Append(n.CachingSuffix)
              .Append('\n');
            var children = n.Children.ToList();
            for (var i = children.Count - 1; i >= 0; i--)
                stack.Push(children[i]);
        }
        return sb.ToString();
    }
}
