namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// Builds a device tree in C# the way a <c>.dts</c> file reads: nested nodes, typed properties, labels and
/// phandle references resolved when <see cref="Build"/> is called (dtc assigns phandles to referenced nodes
/// the same way).
/// </summary>
/// <example>
/// <code>
/// var tree = new DtBuilder()
///     .Root(r => r
///         .Cells(address: 1, size: 1)
///         .Compatible("l4,virt")
///         .Node("cpu_intc", n => n.Label("cpu_intc").Compatible("mti,cpu-interrupt-controller")
///             .Empty("interrupt-controller").U32("#interrupt-cells", 1)))
///     .Build();
/// </code>
/// </example>
public sealed class DtBuilder
{
    private readonly DtTree _tree = new();
    private readonly Dictionary<string, DtNode> _labels = new(StringComparer.Ordinal);
    private readonly List<(DtNode Node, string Property, List<object> Parts)> _references = [];
    private bool _built;

    /// <summary>Configures the root node.</summary>
    /// <param name="configure">Adds properties and children.</param>
    public DtBuilder Root(Action<DtNodeBuilder> configure)
    {
        configure(new DtNodeBuilder(this, _tree.Root));
        return this;
    }

    /// <summary>Adds a memory reservation (<c>/memreserve/</c>).</summary>
    /// <param name="address">Physical address.</param>
    /// <param name="size">Size in bytes.</param>
    public DtBuilder Reserve(ulong address, ulong size)
    {
        _tree.MemoryReservations.Add(new MemoryReservation(address, size));
        return this;
    }

    /// <summary>Resolves labels and references and returns the tree. The builder cannot be used afterwards.</summary>
    /// <exception cref="DeviceTreeException">A reference names an unknown label.</exception>
    public DtTree Build()
    {
        if (_built)
            throw new InvalidOperationException("Build was already called");
        _built = true;
        foreach (var (node, property, parts) in _references)
        {
            var cells = new List<uint>();
            foreach (var part in parts)
            {
                if (part is string label)
                {
                    if (!_labels.TryGetValue(label, out var target))
                        throw new DeviceTreeException($"{node.Path}: property '{property}' refers to unknown label '{label}'");
                    cells.Add(_tree.GetOrAssignPhandle(target));
                }
                else
                {
                    cells.Add((uint)part);
                }
            }
            node.SetCells(property, [.. cells]);
        }
        return _tree;
    }

    internal void DefineLabel(string label, DtNode node)
    {
        if (!_labels.TryAdd(label, node))
            throw new DeviceTreeException($"label '{label}' is defined twice ({_labels[label].Path} and {node.Path})");
    }

    internal void AddReference(DtNode node, string property, List<object> parts)
    {
        node.SetCells(property, new uint[parts.Count]); // keeps the property order; filled in by Build
        _references.Add((node, property, parts));
    }
}
