using System.Buffers.Binary;
using System.Text;

namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// A node of an in-memory device tree (uvmm: <c>Vdev::Dt_node</c>): a name, ordered properties and ordered
/// children. Names are validated by <see cref="DtNames"/>; names are unique among siblings, property names
/// unique within a node. Typed getters follow the Devicetree Specification and Linux's OF helpers
/// (<c>drivers/of/base.c</c>, <c>drivers/of/address.c</c>, <c>drivers/of/irq.c</c>).
/// </summary>
public sealed class DtNode
{
    /// <summary>The <c>#address-cells</c> a bus has when it does not say (Devicetree Specification 2.3.5).</summary>
    public const int DefaultAddressCells = 2;

    /// <summary>The <c>#size-cells</c> a bus has when it does not say (Devicetree Specification 2.3.5).</summary>
    public const int DefaultSizeCells = 1;

    private readonly List<DtNode> _children = [];
    private readonly List<DtProperty> _properties = [];
    // Exact-name indexes keep lookups linear-time overall even for hostile DTBs with huge sibling lists.
    private readonly Dictionary<string, DtNode> _childByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DtProperty> _propertyByName = new(StringComparer.Ordinal);

    internal DtNode(DtTree tree, DtNode? parent, string name)
    {
        Tree = tree;
        Parent = parent;
        Name = name;
    }

    /// <summary>The tree the node belongs to.</summary>
    public DtTree Tree { get; }

    /// <summary>The parent node, null for the root.</summary>
    public DtNode? Parent { get; private set; }

    /// <summary>The full node name (<c>base@unit</c>); empty for the root.</summary>
    public string Name { get; }

    /// <summary>The name without the unit address.</summary>
    public string BaseName => Name.IndexOf('@') is var at and >= 0 ? Name[..at] : Name;

    /// <summary>The unit address (after <c>@</c>), or null.</summary>
    public string? UnitAddress => Name.IndexOf('@') is var at and >= 0 ? Name[(at + 1)..] : null;

    /// <summary>True for the root node.</summary>
    public bool IsRoot => Parent is null;

    /// <summary>The children in order.</summary>
    public IReadOnlyList<DtNode> Children => _children;

    /// <summary>The properties in order.</summary>
    public IReadOnlyList<DtProperty> Properties => _properties;

    /// <summary>The absolute path (<c>/</c> for the root).</summary>
    public string Path
    {
        get
        {
            if (Parent is null)
                return "/";
            var parts = new Stack<string>();
            for (var n = this; n.Parent is not null; n = n.Parent)
                parts.Push(n.Name);
            return "/" + string.Join('/', parts);
        }
    }

    /// <summary>The depth below the root (0 for the root).</summary>
    public int Depth
    {
        get
        {
            var d = 0;
            for (var n = Parent; n is not null; n = n.Parent)
                d++;
            return d;
        }
    }

    // ---- children ----

    /// <summary>Adds a child node at the end of the child list.</summary>
    /// <param name="name">A valid node name, unique among the children.</param>
    /// <returns>The new node.</returns>
    /// <exception cref="DeviceTreeException">The name is invalid or already used.</exception>
    public DtNode AddChild(string name)
    {
        if (!DtNames.IsValidNodeName(name))
            throw new DeviceTreeException($"invalid node name '{name}' under {Path}");
        if (FindChildExact(name) is not null)
            throw new DeviceTreeException($"{Path} already has a child '{name}'");
        var child = new DtNode(Tree, this, name);
        _children.Add(child);
        _childByName.Add(name, child);
        return child;
    }

    /// <summary>Returns the child with exactly this name, adding it when missing.</summary>
    /// <param name="name">A valid node name.</param>
    public DtNode GetOrAddChild(string name) => FindChildExact(name) ?? AddChild(name);

    /// <summary>
    /// Finds a child by name. A name with a unit address must match exactly; a name without one matches
    /// a child of that exact name or else the first child whose base name matches (as libfdt's
    /// <c>fdt_subnode_offset</c> does).
    /// </summary>
    /// <param name="name">The name to look for.</param>
    public DtNode? FindChild(string name)
    {
        var exact = FindChildExact(name);
        if (exact is not null || name.Contains('@'))
            return exact;
        foreach (var c in _children)
        {
            if (c.BaseName == name)
                return c;
        }
        return null;
    }

    private DtNode? FindChildExact(string name) => _childByName.GetValueOrDefault(name);

    /// <summary>Removes this node (and its subtree) from its parent.</summary>
    /// <exception cref="DeviceTreeException">The node is the root.</exception>
    public void Remove()
    {
        if (Parent is null)
            throw new DeviceTreeException("the root node cannot be removed");
        Parent._children.Remove(this);
        Parent._childByName.Remove(Name);
        Parent = null;
    }

    /// <summary>This node and all nodes below it, in pre-order (the order of the DTB structure block).</summary>
    public IEnumerable<DtNode> SelfAndDescendants()
    {
        var stack = new Stack<DtNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            for (var i = n._children.Count - 1; i >= 0; i--)
                stack.Push(n._children[i]);
        }
    }

    // ---- properties: raw ----

    /// <summary>The property of that name, or null.</summary>
    /// <param name="name">The property name.</param>
    public DtProperty? FindProperty(string name) => _propertyByName.GetValueOrDefault(name);

    /// <summary>The property of that name.</summary>
    /// <param name="name">The property name.</param>
    /// <exception cref="DeviceTreeException">The node has no such property.</exception>
    public DtProperty GetProperty(string name) =>
        FindProperty(name) ?? throw new DeviceTreeException($"{Path} has no property '{name}'");

    /// <summary>True when the node has the property.</summary>
    /// <param name="name">The property name.</param>
    public bool HasProperty(string name) => FindProperty(name) is not null;

    /// <summary>Sets a property to a raw value; an existing property keeps its position.</summary>
    /// <param name="name">A valid property name.</param>
    /// <param name="value">The value bytes (copied).</param>
    /// <returns>The property.</returns>
    /// <exception cref="DeviceTreeException">The name is invalid.</exception>
    public DtProperty SetProperty(string name, ReadOnlySpan<byte> value) => Set(name, value.ToArray());

    internal DtProperty Set(string name, byte[] value)
    {
        var existing = FindProperty(name);
        if (existing is not null)
        {
            existing.Replace(value);
            return existing;
        }
        if (!DtNames.IsValidPropertyName(name))
            throw new DeviceTreeException($"invalid property name '{name}' in {Path}");
        var p = new DtProperty(this, name, value);
        _properties.Add(p);
        _propertyByName.Add(name, p);
        return p;
    }

    /// <summary>Removes a property.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>True when the property existed.</returns>
    public bool RemoveProperty(string name)
    {
        var p = FindProperty(name);
        if (p is null)
            return false;
        _propertyByName.Remove(name);
        return _properties.Remove(p);
    }

    // ---- properties: typed setters ----

    /// <summary>Sets an empty (boolean) property such as <c>interrupt-controller</c>.</summary>
    /// <param name="name">The property name.</param>
    public DtProperty SetEmpty(string name) => Set(name, []);

    /// <summary>Sets a property to one 32-bit cell.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="value">The cell.</param>
    public DtProperty SetU32(string name, uint value) => SetCells(name, value);

    /// <summary>Sets a property to a 64-bit value (two cells, high first).</summary>
    /// <param name="name">The property name.</param>
    /// <param name="value">The value.</param>
    public DtProperty SetU64(string name, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return Set(name, bytes);
    }

    /// <summary>Sets a property to a list of 32-bit cells.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="cells">The cells.</param>
    public DtProperty SetCells(string name, params ReadOnlySpan<uint> cells)
    {
        var bytes = new byte[cells.Length * 4];
        for (var i = 0; i < cells.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), cells[i]);
        return Set(name, bytes);
    }

    /// <summary>Sets a property to one NUL-terminated string.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="value">The string (must not contain NUL).</param>
    /// <exception cref="DeviceTreeException">The string contains NUL.</exception>
    public DtProperty SetString(string name, string value) => SetStringList(name, value);

    /// <summary>Sets a property to a list of NUL-terminated strings (such as <c>compatible</c>).</summary>
    /// <param name="name">The property name.</param>
    /// <param name="values">The strings (none may contain NUL).</param>
    /// <exception cref="DeviceTreeException">A string contains NUL.</exception>
    public DtProperty SetStringList(string name, params ReadOnlySpan<string> values)
    {
        var bytes = new List<byte>();
        foreach (var v in values)
        {
            if (v.Contains('\0'))
                throw new DeviceTreeException($"string for property '{name}' of {Path} contains NUL");
            bytes.AddRange(Encoding.UTF8.GetBytes(v));
            bytes.Add(0);
        }
        return Set(name, [.. bytes]);
    }

    /// <summary>
    /// Sets <c>reg</c> from (address, size) pairs encoded with the parent bus's <c>#address-cells</c> and
    /// <c>#size-cells</c>.
    /// </summary>
    /// <param name="regions">The regions.</param>
    /// <exception cref="DeviceTreeException">A value does not fit the cell counts, or the node is the root.</exception>
    public DtProperty SetReg(params ReadOnlySpan<DtRegion> regions)
    {
        var (ac, sc) = BusCells();
        var cells = new List<uint>();
        foreach (var r in regions)
        {
            AppendNumber(cells, r.Address, ac, "address");
            AppendNumber(cells, r.Size, sc, "size");
        }
        return SetCells("reg", [.. cells]);
    }

    private void AppendNumber(List<uint> cells, ulong value, int count, string what)
    {
        if (count < 2 && value >> (32 * count) != 0)
            throw new DeviceTreeException($"{what} 0x{value:x} of {Path} does not fit {count} cell(s)");
        for (var i = count - 1; i >= 0; i--)
            cells.Add(i >= 2 ? 0u : (uint)(value >> (32 * i)));
    }

    // ---- properties: typed getters ----

    /// <summary>The u32 value of a property, or <paramref name="fallback"/> when the property is absent.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="fallback">The value to use when absent.</param>
    /// <exception cref="DeviceTreeException">The property exists but is not one cell.</exception>
    public uint GetU32(string name, uint fallback) => FindProperty(name)?.GetU32() ?? fallback;

    /// <summary>The u32 value of a property.</summary>
    /// <param name="name">The property name.</param>
    /// <exception cref="DeviceTreeException">The property is absent or not one cell.</exception>
    public uint GetU32(string name) => GetProperty(name).GetU32();

    /// <summary>The string value of a property, or null when absent.</summary>
    /// <param name="name">The property name.</param>
    /// <exception cref="DeviceTreeException">The property exists but is not a string.</exception>
    public string? GetString(string name) => FindProperty(name)?.GetString();

    /// <summary>The <c>compatible</c> strings (empty when absent).</summary>
    public IReadOnlyList<string> Compatible => FindProperty("compatible")?.GetStringList() ?? [];

    /// <summary>True when <c>compatible</c> lists <paramref name="compatible"/>.</summary>
    /// <param name="compatible">A compatible string such as <c>mti,gic</c>.</param>
    public bool IsCompatible(string compatible) => FindProperty("compatible")?.ContainsString(compatible) ?? false;

    /// <summary>The <c>device_type</c> string, or null.</summary>
    public string? DeviceType => FindProperty("device_type") is { } p && DtValueFormat.LooksLikeStrings(p.Value) ? p.GetStringList()[0] : null;

    /// <summary>The <c>status</c> string, or null when absent.</summary>
    public string? Status => FindProperty("status") is { } p && DtValueFormat.LooksLikeStrings(p.Value) ? p.GetStringList()[0] : null;

    /// <summary>True unless <c>status</c> is present and neither <c>okay</c> nor <c>ok</c> (Linux <c>of_device_is_available</c>).</summary>
    public bool IsEnabled => !HasProperty("status") || Status is "okay" or "ok";

    /// <summary>Sets <c>status = "disabled"</c> (uvmm <c>Dt_node::disable</c>): the guest will not probe the node.</summary>
    public void Disable() => SetString("status", "disabled");

    /// <summary>The node's phandle (<c>phandle</c> or the legacy <c>linux,phandle</c>), or null.</summary>
    public uint? Phandle => (FindProperty("phandle") ?? FindProperty("linux,phandle")) is { Length: 4 } p ? p.GetU32() : null;

    /// <summary>True when the node is an interrupt controller (has <c>interrupt-controller</c>).</summary>
    public bool IsInterruptController => HasProperty("interrupt-controller");

    // ---- addresses ----

    /// <summary>The <c>#address-cells</c> this node gives its children (default 2).</summary>
    public int AddressCells => CellCount("#address-cells", DefaultAddressCells);

    /// <summary>The <c>#size-cells</c> this node gives its children (default 1).</summary>
    public int SizeCells => CellCount("#size-cells", DefaultSizeCells);

    private int CellCount(string name, int fallback)
    {
        var v = GetU32(name, (uint)fallback);
        if (v > 4)
            throw new DeviceTreeException($"{name} of {Path} is {v}, more than 4");
        return (int)v;
    }

    private (int Address, int Size) BusCells()
    {
        if (Parent is null)
            throw new DeviceTreeException("the root node has no bus and no reg");
        return (Parent.AddressCells, Parent.SizeCells);
    }

    /// <summary>True when the node has a non-empty <c>reg</c>.</summary>
    public bool HasReg => FindProperty("reg") is { Length: > 0 };

    /// <summary>True when the node has <c>interrupts</c> or <c>interrupts-extended</c>.</summary>
    public bool HasInterrupts => FindProperty("interrupts") is { Length: > 0 } || FindProperty("interrupts-extended") is { Length: > 0 };

    /// <summary>The <c>reg</c> entries in the parent bus's address space (empty when absent).</summary>
    /// <exception cref="DeviceTreeException">The length does not match the parent's cell counts, or a value exceeds 64 bits.</exception>
    public IReadOnlyList<DtRegion> GetReg()
    {
        var p = FindProperty("reg");
        if (p is null || p.IsEmpty)
            return [];
        var (ac, sc) = BusCells();
        var entry = ac + sc;
        if (entry == 0 || p.Length % (4 * entry) != 0)
            throw new DeviceTreeException($"reg of {Path} is {p.Length} bytes, not a multiple of {entry} cells (#address-cells {ac}, #size-cells {sc})");
        var result = new DtRegion[p.CellCount / entry];
        for (var i = 0; i < result.Length; i++)
            result[i] = new DtRegion(p.ReadNumber(i * entry, ac), p.ReadNumber(i * entry + ac, sc));
        return result;
    }

    /// <summary>
    /// The <c>reg</c> entries translated to CPU physical addresses through the <c>ranges</c> of every
    /// ancestor bus (Linux <c>of_translate_address</c>): an empty <c>ranges</c> maps 1:1, a missing one means
    /// the bus is not memory-mapped.
    /// </summary>
    /// <exception cref="DeviceTreeException">An address falls outside every range, or a bus has no <c>ranges</c>.</exception>
    public IReadOnlyList<DtRegion> GetTranslatedReg()
    {
        var regs = GetReg();
        var result = new DtRegion[regs.Count];
        for (var i = 0; i < regs.Count; i++)
            result[i] = regs[i] with { Address = TranslateToCpu(regs[i].Address) };
        return result;
    }

    /// <summary>Translates an address of this node's parent bus to a CPU physical address.</summary>
    /// <param name="busAddress">An address in the parent bus's address space.</param>
    /// <exception cref="DeviceTreeException">The address cannot be translated.</exception>
    public ulong TranslateToCpu(ulong busAddress)
    {
        var address = busAddress;
        for (var bus = Parent; bus is not null && bus.Parent is not null; bus = bus.Parent)
        {
            var ranges = bus.FindProperty("ranges")
                ?? throw new DeviceTreeException($"{bus.Path} has no 'ranges': addresses of {Path} are not memory-mapped");
            if (ranges.IsEmpty)
                continue;
            int childAc = bus.AddressCells, parentAc = bus.Parent.AddressCells, sc = bus.SizeCells;
            var entry = childAc + parentAc + sc;
            if (ranges.Length % (4 * entry) != 0)
                throw new DeviceTreeException($"ranges of {bus.Path} is {ranges.Length} bytes, not a multiple of {entry} cells");
            var found = false;
            for (var i = 0; i < ranges.CellCount / entry && !found; i++)
            {
                var child = ranges.ReadNumber(i * entry, childAc);
                var parent = ranges.ReadNumber(i * entry + childAc, parentAc);
                var size = ranges.ReadNumber(i * entry + childAc + parentAc, sc);
                if (address >= child && address - child < size)
                {
                    address = parent + (address - child);
                    found = true;
                }
            }
            if (!found)
                throw new DeviceTreeException($"address 0x{address:x} of {Path} is outside the ranges of {bus.Path}");
        }
        return address;
    }

    // ---- interrupts ----

    /// <summary>
    /// The interrupt parent (Linux <c>of_irq_find_parent</c>): follow <c>interrupt-parent</c> (or the tree
    /// parent when absent) until a node with <c>#interrupt-cells</c> is reached. Null when there is none.
    /// </summary>
    /// <exception cref="DeviceTreeException">An <c>interrupt-parent</c> phandle refers to no node.</exception>
    public DtNode? FindInterruptParent()
    {
        var node = this;
        for (var guard = 0; guard < 256; guard++)
        {
            DtNode? next;
            if (node.FindProperty("interrupt-parent") is { } ip)
            {
                var ph = ip.GetU32();
                next = Tree.FindByPhandle(ph)
                    ?? throw new DeviceTreeException($"interrupt-parent <0x{ph:x}> of {node.Path} refers to no node");
            }
            else
            {
                next = node.Parent;
            }
            if (next is null)
                return null;
            if (next.HasProperty("#interrupt-cells"))
                return next;
            node = next;
        }
        throw new DeviceTreeException($"interrupt-parent chain of {Path} loops");
    }

    /// <summary>
    /// The interrupt specifiers of the node from <c>interrupts-extended</c> (phandle + cells each) or
    /// <c>interrupts</c> (cells of the interrupt parent's <c>#interrupt-cells</c>). Empty when neither exists.
    /// Interrupt nexus nodes (<c>interrupt-map</c>) are not followed.
    /// </summary>
    /// <exception cref="DeviceTreeException">The property does not match the controller's <c>#interrupt-cells</c>.</exception>
    public IReadOnlyList<DtInterrupt> GetInterrupts()
    {
        var result = new List<DtInterrupt>();
        if (FindProperty("interrupts-extended") is { Length: > 0 } ext)
        {
            var cells = ext.GetCells();
            var i = 0;
            while (i < cells.Length)
            {
                var ic = Tree.FindByPhandle(cells[i])
                    ?? throw new DeviceTreeException($"interrupts-extended of {Path} refers to unknown phandle <0x{cells[i]:x}>");
                var n = InterruptCells(ic);
                if (i + 1 + n > cells.Length)
                    throw new DeviceTreeException($"interrupts-extended of {Path} is truncated");
                result.Add(new DtInterrupt(ic, cells[(i + 1)..(i + 1 + n)]));
                i += 1 + n;
            }
            return result;
        }
        if (FindProperty("interrupts") is not { Length: > 0 } prop)
            return result;
        var parent = FindInterruptParent()
            ?? throw new DeviceTreeException($"{Path} has interrupts but no interrupt parent");
        var count = InterruptCells(parent);
        var all = prop.GetCells();
        if (count == 0 || all.Length % count != 0)
            throw new DeviceTreeException($"interrupts of {Path} has {all.Length} cells, not a multiple of #interrupt-cells {count} of {parent.Path}");
        for (var i = 0; i < all.Length; i += count)
            result.Add(new DtInterrupt(parent, all[i..(i + count)]));
        return result;
    }

    private static int InterruptCells(DtNode controller)
    {
        var n = controller.GetU32("#interrupt-cells", 0);
        if (n > 8)
            throw new DeviceTreeException($"#interrupt-cells of {controller.Path} is {n}");
        return (int)n;
    }

    /// <inheritdoc />
    public override string ToString() => Path;
}
