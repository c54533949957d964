using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Memory;

/// <summary>
/// The operations of the mapping database on frame trees (Fiasco's <c>Mapdb</c>): insert a child
/// mapping, grant (move) a mapping, flush a subtree, reduce rights in a subtree. Every mapping costs
/// <see cref="NodeBytes"/> of the receiving task's quota; depth is limited to <see cref="MaxDepth"/>.
/// </summary>
internal static class MappingDatabase
{
    /// <summary>The quota one mapping node costs its space's owner.</summary>
    public const long NodeBytes = 32;

    /// <summary>The deepest mapping a tree may hold (Fiasco stores the depth in a byte).</summary>
    public const int MaxDepth = 255;

    /// <summary>Where an existing receiver mapping sits relative to the sender's (Fiasco's <c>Mapdb_lookup_src_dst</c>).</summary>
    public enum Relation
    {
        NotRelated,
        DstChildOfSrc,
        DstEqualToOrAncestorOfSrc,
    }

    public static Relation Relate(MappingNode src, MappingNode dst)
    {
        if (!SameFrame(src, dst))
            return Relation.NotRelated;
        if (dst.IsAncestorOrSelfOf(src))
            return Relation.DstEqualToOrAncestorOfSrc;
        return ReferenceEquals(dst.Parent, src) ? Relation.DstChildOfSrc : Relation.NotRelated;
    }

    private static bool SameFrame(MappingNode a, MappingNode b) => ReferenceEquals(a.Region, b.Region) && a.Frame == b.Frame;

    /// <summary>Inserts a child of <paramref name="parent"/> at <paramref name="page"/> of <paramref name="to"/>; null when the depth limit or the quota refuses it.</summary>
    public static MappingNode? InsertChild(MappingNode parent, MapSpace to, ulong page, MemRights rights, FpageCacheability caching)
    {
        if (parent.Depth + 1 > MaxDepth)
            return null;
        var quota = to.Owner.Quota;
        if (quota is not null && !quota.TryCharge(NodeBytes))
            return null;
        var pool = to.Owner.Kernel.MappingNodes;
        var node = pool.Rent(to, page, parent.Region, parent.Frame, rights, caching);
        if (!to.TrySet(page, node))
        {
            pool.Return(node);
            quota?.Refund(NodeBytes);
            return null;
        }
        parent.AddChild(node);
        node.Depth = parent.Depth + 1;
        return node;
    }

    /// <summary>Moves <paramref name="node"/> to <paramref name="page"/> of <paramref name="to"/> keeping its children; false when the new owner's quota refuses it.</summary>
    public static bool Grant(MappingNode node, MapSpace to, ulong page, MemRights rights, FpageCacheability caching)
    {
        var quota = to.Owner.Quota;
        if (quota is not null && !quota.TryCharge(NodeBytes))
            return false;
        var old = node.Space;
        var oldPage = node.VirtualPage;
        node.Space = to;
        node.VirtualPage = page;
        if (!to.TrySet(page, node))
        {
            node.Space = old;
            node.VirtualPage = oldPage;
            quota?.Refund(NodeBytes);
            return false;
        }
        old.Clear(oldPage);
        old.Owner.Quota?.Refund(NodeBytes);
        old.Invalidate();
        node.Rights = rights;
        node.Caching = caching;
        return true;
    }

    /// <summary>Removes all descendants of <paramref name="node"/>, and the node itself when <paramref name="self"/> (never a sigma0 root).</summary>
    public static void Flush(MappingNode node, bool self)
    {
        while (node.FirstChild is { } child)
            RemoveSubtree(child);
        if (self && !node.IsRoot)
            RemoveSubtree(node);
    }

    private static void RemoveSubtree(MappingNode top)
    {
        // Post-order without recursion: descend to a leaf, remove it, repeat.
        var n = top;
        while (true)
        {
            while (n.FirstChild is { } c)
                n = c;
            var parent = n.Parent;
            var done = ReferenceEquals(n, top);
            n.Detach();
            n.Space.Clear(n.VirtualPage);
            n.Space.Owner.Quota?.Refund(NodeBytes);
            n.Space.Invalidate();
            n.Space.Owner.Kernel.MappingNodes.Return(n);
            if (done || parent is null)
                return;
            n = parent;
        }
    }

    /// <summary>Removes <paramref name="remove"/> from every descendant (and the node when <paramref name="self"/>).</summary>
    public static void ReduceRights(MappingNode node, MemRights remove, bool self)
    {
        if (self)
            Reduce(node, remove);
        var stack = new Stack<MappingNode>();
        for (var c = node.FirstChild; c is not null; c = c.NextSibling)
            stack.Push(c);
        while (stack.TryPop(out var n))
        {
            Reduce(n, remove);
            for (var c = n.FirstChild; c is not null; c = c.NextSibling)
                stack.Push(c);
        }
    }

    private static void Reduce(MappingNode n, MemRights remove)
    {
        if ((n.Rights & remove) == 0 || n.IsRoot)
            return;
        n.Rights &= ~remove;
        n.Space.Invalidate();
    }
}
