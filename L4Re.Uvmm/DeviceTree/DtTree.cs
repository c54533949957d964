namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// An in-memory device tree (uvmm: <c>Vdev::Device_tree</c>): the root node, the memory reservation block
/// and the boot CPU id of the DTB header. Read one with <see cref="FromDtb"/>, write one with
/// <see cref="ToDtb"/>, build one with <see cref="DtBuilder"/> or the node API.
/// </summary>
public sealed class DtTree
{
    /// <summary>Creates an empty tree (a root node without properties).</summary>
    public DtTree()
    {
        Root = new DtNode(this, null, "");
    }

    /// <summary>The root node.</summary>
    public DtNode Root { get; }

    /// <summary>The memory reservation block entries.</summary>
    public List<MemoryReservation> MemoryReservations { get; } = [];

    /// <summary>The DTB header's <c>boot_cpuid_phys</c>.</summary>
    public uint BootCpuIdPhys { get; set; }

    /// <summary>All nodes in pre-order.</summary>
    public IEnumerable<DtNode> Nodes => Root.SelfAndDescendants();

    /// <summary>Parses a DTB.</summary>
    /// <param name="dtb">The blob.</param>
    /// <exception cref="FdtParseException">The bytes are not a valid DTB.</exception>
    public static DtTree FromDtb(ReadOnlySpan<byte> dtb) => FdtReader.Read(dtb);

    /// <summary>Flattens the tree to a version-17 DTB laid out as dtc lays it out.</summary>
    /// <exception cref="DeviceTreeException">The tree has duplicate or invalid phandles, or a <c>name</c> property that contradicts the node name.</exception>
    public byte[] ToDtb() => FdtWriter.Write(this);

    /// <summary>A deep copy (properties, children, reservations, boot CPU).</summary>
    public DtTree Clone() => FdtReader.Read(FdtWriter.Write(this, validate: false));

    /// <summary>
    /// Finds a node by absolute path (<c>/cpus/cpu@0</c>) or by an alias from <c>/aliases</c> followed by an
    /// optional relative path. Components without a unit address match the first child of that base name.
    /// </summary>
    /// <param name="path">The path.</param>
    /// <returns>The node or null.</returns>
    public DtNode? FindNode(string path)
    {
        if (string.IsNullOrEmpty(path))
            return null;
        DtNode? node;
        string rest;
        if (path[0] == '/')
        {
            node = Root;
            rest = path[1..];
        }
        else
        {
            var slash = path.IndexOf('/');
            var alias = slash < 0 ? path : path[..slash];
            rest = slash < 0 ? "" : path[(slash + 1)..];
            var target = Root.FindChild("aliases")?.FindProperty(alias);
            if (target is null || !DtValueFormat.LooksLikeStrings(target.Value))
                return null;
            var aliasPath = target.GetStringList()[0];
            if (!aliasPath.StartsWith('/'))
                return null;
            node = FindNode(aliasPath);
        }
        foreach (var part in rest.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node?.FindChild(part);
            if (node is null)
                return null;
        }
        return node;
    }

    /// <summary>Finds a node by path.</summary>
    /// <param name="path">The path.</param>
    /// <exception cref="DeviceTreeException">No such node.</exception>
    public DtNode GetNode(string path) => FindNode(path) ?? throw new DeviceTreeException($"no node '{path}'");

    /// <summary>The node with this phandle, or null.</summary>
    /// <param name="phandle">The phandle value.</param>
    public DtNode? FindByPhandle(uint phandle)
    {
        if (phandle is 0 or 0xffffffff)
            return null;
        foreach (var n in Nodes)
        {
            if (n.Phandle == phandle)
                return n;
        }
        return null;
    }

    /// <summary>All enabled and disabled nodes whose <c>compatible</c> lists <paramref name="compatible"/>.</summary>
    /// <param name="compatible">The compatible string.</param>
    public IEnumerable<DtNode> FindCompatible(string compatible) => Nodes.Where(n => n.IsCompatible(compatible));

    /// <summary>
    /// The node's phandle, assigning the next free one (largest in the tree + 1) and adding a <c>phandle</c>
    /// property when it has none.
    /// </summary>
    /// <param name="node">A node of this tree.</param>
    public uint GetOrAssignPhandle(DtNode node)
    {
        if (node.Tree != this)
            throw new DeviceTreeException($"{node.Path} belongs to another tree");
        if (node.Phandle is { } existing)
            return existing;
        uint max = 0;
        foreach (var n in Nodes)
        {
            if (n.Phandle is { } p and not 0xffffffff && p > max)
                max = p;
        }
        if (max == 0xfffffffe)
            throw new DeviceTreeException("no free phandle values left");
        node.SetU32("phandle", max + 1);
        return max + 1;
    }

    /// <summary>The <c>/chosen</c> node, created when missing.</summary>
    public DtNode Chosen => Root.GetOrAddChild("chosen");

    /// <summary>Sets <c>/chosen/bootargs</c> (the kernel command line, Linux <c>MIPS_CMDLINE_FROM_DTB</c>).</summary>
    /// <param name="bootArgs">The command line.</param>
    public void SetBootArgs(string bootArgs) => Chosen.SetString("bootargs", bootArgs);

    /// <summary>
    /// Sets <c>/chosen/linux,initrd-start</c> and <c>linux,initrd-end</c> (physical addresses; Linux reads
    /// them with <c>of_read_number</c>, so one cell is used when both fit 32 bits, else two).
    /// </summary>
    /// <param name="start">Physical address of the first initrd byte.</param>
    /// <param name="end">Physical address after the last initrd byte.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="end"/> is below <paramref name="start"/>.</exception>
    public void SetInitrd(ulong start, ulong end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        var chosen = Chosen;
        if (end <= uint.MaxValue)
        {
            chosen.SetU32("linux,initrd-start", (uint)start);
            chosen.SetU32("linux,initrd-end", (uint)end);
        }
        else
        {
            chosen.SetU64("linux,initrd-start", start);
            chosen.SetU64("linux,initrd-end", end);
        }
    }

    /// <summary>Removes the initrd range from <c>/chosen</c>.</summary>
    public void ClearInitrd()
    {
        if (Root.FindChild("chosen") is { } chosen)
        {
            chosen.RemoveProperty("linux,initrd-start");
            chosen.RemoveProperty("linux,initrd-end");
        }
    }
}
