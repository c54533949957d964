using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Memory;

/// <summary>
/// One node of a frame's mapping tree (Fiasco's mapping-database <c>Mapping</c>): the page
/// <see cref="VirtualPage"/> of <see cref="Space"/> maps the frame with <see cref="Rights"/>. The root
/// is sigma0's idempotent mapping; map creates a child, grant moves a node to another space keeping its
/// children, and unmap removes a node's subtree. A node describes its mapping while the mapping exists: once unmapped,
/// the kernel may reuse the object for a later mapping (Fiasco's mapping entries come from a slab cache). A memory mapping also has its <see cref="Caching"/> (Fiasco's
/// page attribute <c>Page::Attr::type</c>).
/// </summary>
public sealed class MappingNode
{
    internal MappingNode(MapSpace space, ulong virtualPage, PhysicalRegion? region, long frame, MemRights rights, MappingNode? parent,
        FpageCacheability caching = FpageCacheability.Cacheable)
    {
        Caching = caching;
        Space = space;
        VirtualPage = virtualPage;
        Region = region;
        Frame = frame;
        Rights = rights;
        Parent = parent;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    /// <summary>The space holding the mapping.</summary>
    public MapSpace Space { get; internal set; }

    /// <summary>The virtual page number (address &gt;&gt; 12) or the I/O port.</summary>
    public ulong VirtualPage { get; internal set; }

    /// <summary>The physical region of a memory frame (null for I/O ports).</summary>
    public PhysicalRegion? Region { get; private set; }

    /// <summary>The page index within the region's dataspace, or the I/O port number.</summary>
    public long Frame { get; private set; }

    /// <summary>The access rights of this mapping.</summary>
    public MemRights Rights { get; internal set; }

    /// <summary>
    /// The caching of a memory mapping: <see cref="FpageCacheability.Cacheable"/> (Fiasco's <c>Normal</c>, what sigma0's
    /// roots have), <see cref="FpageCacheability.Uncacheable"/> or <see cref="FpageCacheability.Bufferable"/> — always with
    /// the option bit set. A map item with the option bit sets it for the new mapping; without it the mapping inherits the
    /// sender's (Fiasco's <c>Page::Attr::apply</c>). Meaningless for I/O ports.
    /// </summary>
    public FpageCacheability Caching { get; internal set; }

    /// <summary>The parent mapping (null for the sigma0 root).</summary>
    public MappingNode? Parent { get; internal set; }

    /// <summary>The depth in the tree (0 for the root).</summary>
    public int Depth { get; internal set; }

    internal MappingNode? FirstChild;
    internal MappingNode? NextSibling;
    internal MappingNode? PrevSibling;

    /// <summary>The child mappings in insertion order.</summary>
    public IEnumerable<MappingNode> Children
    {
        get
        {
            for (var c = FirstChild; c is not null; c = c.NextSibling)
                yield return c;
        }
    }

    /// <summary>True for a root (sigma0) mapping.</summary>
    public bool IsRoot => Parent is null;

    internal void AddChild(MappingNode child)
    {
        // Fiasco inserts a new mapping right after its parent in the pre-order list: it becomes the first child.
        child.Parent = this;
        child.PrevSibling = null;
        child.NextSibling = FirstChild;
        if (FirstChild is not null)
            FirstChild.PrevSibling = child;
        FirstChild = child;
    }

    /// <summary>Makes an unused node (from <see cref="MappingNodePool"/>) a new mapping without parent or children.</summary>
    internal void Reinit(MapSpace space, ulong virtualPage, PhysicalRegion? region, long frame, MemRights rights, FpageCacheability caching)
    {
        Space = space;
        VirtualPage = virtualPage;
        Region = region;
        Frame = frame;
        Rights = rights;
        Caching = caching;
        Parent = null;
        Depth = 0;
        FirstChild = NextSibling = PrevSibling = null;
    }

    internal void Detach()
    {
        if (Parent is null)
            return;
        if (PrevSibling is null)
            Parent.FirstChild = NextSibling;
        else
            PrevSibling.NextSibling = NextSibling;
        if (NextSibling is not null)
            NextSibling.PrevSibling = PrevSibling;
        NextSibling = PrevSibling = null;
        Parent = null;
    }

    internal bool IsAncestorOrSelfOf(MappingNode n)
    {
        for (var x = n; x is not null; x = x.Parent)
        {
            if (ReferenceEquals(x, this))
                return true;
        }
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Space.Owner}@0x{VirtualPage:x} {Rights}{CachingSuffix}";

    /// <summary>" uncached" / " bufferable" for a memory mapping that is not cacheable, else empty.</summary>
    internal string CachingSuffix => Region is null || Caching == FpageCacheability.Cacheable ? ""
        : Caching switch
        {
            FpageCacheability.Uncacheable => " uncached",
            FpageCacheability.Bufferable => " bufferable",
            _ => $" cache=0x{(byte)Caching:x}",
        };
}
