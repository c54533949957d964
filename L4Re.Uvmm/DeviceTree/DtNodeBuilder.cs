namespace L4Re.Uvmm.DeviceTree;

/// <summary>Adds properties and children to one node of a <see cref="DtBuilder"/>.</summary>
public sealed class DtNodeBuilder
{
    private readonly DtBuilder _builder;

    internal DtNodeBuilder(DtBuilder builder, DtNode node)
    {
        _builder = builder;
        Current = node;
    }

    /// <summary>The node being built.</summary>
    public DtNode Current { get; }

    /// <summary>Adds (or reopens) a child node.</summary>
    /// <param name="name">Node name, e.g. <c>serial@30040000</c>.</param>
    /// <param name="configure">Adds its properties and children.</param>
    public DtNodeBuilder Node(string name, Action<DtNodeBuilder>? configure = null)
    {
        var child = Current.GetOrAddChild(name);
        configure?.Invoke(new DtNodeBuilder(_builder, child));
        return this;
    }

    /// <summary>Gives the node a label that phandle references can use.</summary>
    /// <param name="label">The label (e.g. <c>gic</c>).</param>
    public DtNodeBuilder Label(string label)
    {
        _builder.DefineLabel(label, Current);
        return this;
    }

    /// <summary>Sets a property to one cell.</summary>
    /// <param name="name">Property name.</param>
    /// <param name="value">Cell value.</param>
    public DtNodeBuilder U32(string name, uint value)
    {
        Current.SetU32(name, value);
        return this;
    }

    /// <summary>Sets a property to a 64-bit value (two cells).</summary>
    /// <param name="name">Property name.</param>
    /// <param name="value">The value.</param>
    public DtNodeBuilder U64(string name, ulong value)
    {
        Current.SetU64(name, value);
        return this;
    }

    /// <summary>Sets a property to cells.</summary>
    /// <param name="name">Property name.</param>
    /// <param name="cells">Cell values.</param>
    public DtNodeBuilder Cells(string name, params uint[] cells)
    {
        Current.SetCells(name, cells);
        return this;
    }

    /// <summary>Sets a string property.</summary>
    /// <param name="name">Property name.</param>
    /// <param name="value">The string.</param>
    public DtNodeBuilder String(string name, string value)
    {
        Current.SetString(name, value);
        return this;
    }

    /// <summary>Sets a string-list property.</summary>
    /// <param name="name">Property name.</param>
    /// <param name="values">The strings.</param>
    public DtNodeBuilder Strings(string name, params string[] values)
    {
        Current.SetStringList(name, values);
        return this;
    }

    /// <summary>Sets an empty (boolean) property.</summary>
    /// <param name="name">Property name.</param>
    public DtNodeBuilder Empty(string name)
    {
        Current.SetEmpty(name);
        return this;
    }

    /// <summary>Sets a raw byte property.</summary>
    /// <param name="name">Property name.</param>
    /// <param name="value">The bytes.</param>
    public DtNodeBuilder Bytes(string name, params byte[] value)
    {
        Current.SetProperty(name, value);
        return this;
    }

    /// <summary>Sets <c>compatible</c>.</summary>
    /// <param name="values">Compatible strings, most specific first.</param>
    public DtNodeBuilder Compatible(params string[] values) => Strings("compatible", values);

    /// <summary>Sets <c>#address-cells</c> and <c>#size-cells</c> for the node's children.</summary>
    /// <param name="address">Address cells.</param>
    /// <param name="size">Size cells.</param>
    public DtNodeBuilder Cells(uint address, uint size) => U32("#address-cells", address).U32("#size-cells", size);

    /// <summary>Sets <c>reg</c> from (address, size) pairs with the parent's cell counts.</summary>
    /// <param name="pairs">Address, size, address, size, …</param>
    public DtNodeBuilder Reg(params ulong[] pairs)
    {
        if (pairs.Length % 2 != 0)
            throw new ArgumentException("reg needs (address, size) pairs", nameof(pairs));
        var regions = new DtRegion[pairs.Length / 2];
        for (var i = 0; i < regions.Length; i++)
            regions[i] = new DtRegion(pairs[2 * i], pairs[2 * i + 1]);
        Current.SetReg(regions);
        return this;
    }

    /// <summary>Sets <c>interrupts</c>.</summary>
    /// <param name="cells">Specifier cells.</param>
    public DtNodeBuilder Interrupts(params uint[] cells) => Cells("interrupts", cells);

    /// <summary>Sets <c>interrupt-parent</c> to the node with this label.</summary>
    /// <param name="label">The controller's label.</param>
    public DtNodeBuilder InterruptParent(string label) => Reference("interrupt-parent", label);

    /// <summary>
    /// Sets a property of phandle references and cells: strings are labels (replaced by the phandle of the
    /// labelled node when the tree is built), numbers are cells — e.g. <c>Reference("clocks", "ext_clk", 0u)</c>.
    /// </summary>
    /// <param name="name">Property name.</param>
    /// <param name="parts">Labels (<see cref="string"/>) and cells (<see cref="uint"/>).</param>
    public DtNodeBuilder Reference(string name, params object[] parts)
    {
        var list = new List<object>();
        foreach (var part in parts)
        {
            list.Add(part switch
            {
                string s => s,
                uint u => u,
                int i and >= 0 => (uint)i,
                _ => throw new ArgumentException($"reference part {part} is neither a label nor a cell", nameof(parts)),
            });
        }
        _builder.AddReference(Current, name, list);
        return this;
    }

    /// <summary>Sets <c>status = "disabled"</c>.</summary>
    public DtNodeBuilder Disabled() => String("status", "disabled");
}
