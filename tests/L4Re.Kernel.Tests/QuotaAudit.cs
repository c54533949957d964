using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>Recomputes every factory's usage from the live kernel state, independently of the factory's own counter.</summary>
internal static class QuotaAudit
{
    public static string? Check(Microkernel k)
    {
        var expected = new Dictionary<Factory, long>();
        void Add(Factory? f, long bytes)
        {
            if (f is null)
                return;
            expected[f] = expected.GetValueOrDefault(f) + bytes;
        }
        var factories = new HashSet<Factory>();
        foreach (var o in k.Objects)
        {
            if (o is Factory fo)
                factories.Add(fo);
            Add(o.Quota, o.Charged);
            if (o is L4Task t)
            {
                var q = t.Quota;
                Add(q, (long)t.Memory.ChunkCount * ObjectSizes.PageTablePage + (long)t.Memory.Count * ObjectSizes.MappingNode);
                if (t.IoPorts is { } io)
                    Add(q, (long)io.ChunkCount * ObjectSizes.PageTablePage + (long)io.Count * ObjectSizes.MappingNode);
                if (t.Caps is { } caps)
                    Add(q, (long)caps.ChunkCount * ObjectSizes.CapTablePage);
            }
        }
        factories.Add(k.RootFactory);
        // A deleted factory whose objects are still alive keeps its charge on its parent until they are gone.
        var pending = new Stack<Factory>(expected.Keys.Where(f => f.IsDeleted));
        var seen = new HashSet<Factory>();
        while (pending.TryPop(out var df))
        {
            if (!seen.Add(df))
                continue;
            factories.Add(df);
            if (df.Used > 0 && df.Quota is { } parent)
            {
                Add(parent, df.Charged);
                if (parent.IsDeleted)
                    pending.Push(parent);
            }
        }
        foreach (var f in factories)
        {
            if (f.Used + f.Free != f.Limit)
                return $"{f}: used {f.Used} + free {f.Free} != limit {f.Limit}";
            if (f.Used < 0 || f.Used > f.Limit)
                return $"{f}: used {f.Used} outside 0..{f.Limit}";
            var e = expected.GetValueOrDefault(f);
            if (e != f.Used)
                return $"{f}: counter says {f.Used} bytes, live objects account for {e}";
        }
        return null;
    }
}
