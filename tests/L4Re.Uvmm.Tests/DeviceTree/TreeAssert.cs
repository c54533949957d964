using L4Re.Uvmm.DeviceTree;

namespace L4Re.Uvmm.Tests.DeviceTree;

internal static class TreeAssert
{
    /// <summary>Structural equality: names, property order and bytes, child order, reservations, boot CPU.</summary>
    public static bool Equal(DtTree a, DtTree b, out string difference)
    {
        difference = "";
        if (a.BootCpuIdPhys != b.BootCpuIdPhys)
        {
            difference = "boot cpu";
            return false;
        }
        if (!a.MemoryReservations.SequenceEqual(b.MemoryReservations))
        {
            difference = "memory reservations";
            return false;
        }
        return NodesEqual(a.Root, b.Root, ref difference);
    }

    private static bool NodesEqual(DtNode a, DtNode b, ref string difference)
    {
        if (a.Name != b.Name || a.Properties.Count != b.Properties.Count || a.Children.Count != b.Children.Count)
        {
            difference = $"node {a.Path} vs {b.Path}";
            return false;
        }
        for (var i = 0; i < a.Properties.Count; i++)
        {
            if (a.Properties[i].Name != b.Properties[i].Name || !a.Properties[i].Value.SequenceEqual(b.Properties[i].Value))
            {
                difference = $"property {a.Path}:{a.Properties[i].Name}";
                return false;
            }
        }
        for (var i = 0; i < a.Children.Count; i++)
        {
            if (!NodesEqual(a.Children[i], b.Children[i], ref difference))
                return false;
        }
        return true;
    }
}
