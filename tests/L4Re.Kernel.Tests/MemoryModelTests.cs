using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>
/// Model-based test of the mapping database: random attach (from sigma0), map, grant and unmap of 4 KiB
/// pages between tasks, against a reference tree model. Properties: every address space equals the
/// model (so no task reaches a page it holds no mapping for, and rights never exceed what the chain of
/// maps granted); after an unmap no descendant mapping survives; quota is conserved.
/// </summary>
public class MemoryModelTests
{
    private const int Tasks = 4;
    private const int Pages = 8;
    private const int Frames = 6;
    private const ulong Base = 0x10_0000;

    public enum Kind
    {
        Attach,
        Map,
        Unmap,
    }

    public readonly record struct Op(Kind Kind, int Src, int SrcPage, int Dst, int DstPage, byte Rights, byte Flags)
    {
        public override string ToString() => $"{Kind}(t{Src}:{SrcPage} -> t{Dst}:{DstPage} r={(MemRights)Rights} f={Flags})";
    }

    public static class Arbitraries
    {
        private static Gen<Op> OpGen =>
            from kind in Gen.Frequency((2, Gen.Constant(Kind.Attach)), (6, Gen.Constant(Kind.Map)), (3, Gen.Constant(Kind.Unmap)))
            from src in Gen.Choose(0, Tasks - 1)
            from sp in Gen.Choose(0, Pages - 1)
            from dst in Gen.Choose(0, Tasks - 1)
            from dp in Gen.Choose(0, Pages - 1)
            from rights in Gen.Choose(0, 7)
            from flags in Gen.Choose(0, 3)
            select new Op(kind, src, sp, dst, dp, (byte)rights, (byte)flags);

        public static Arbitrary<Op[]> Ops() => Gen.ArrayOf(OpGen, 200).ToArbitrary();
    }

    /// <summary>A model node: key (task, page), or a root (-1, frame).</summary>
    private sealed class Node
    {
        public (int Task, int Page) Key;
        public int Frame;
        public MemRights Rights;
        public Node? Parent;
        public readonly List<Node> Children = [];
    }

    private sealed class Model
    {
        public readonly Dictionary<(int, int), Node> Nodes = [];
        public readonly Node[] Roots = Enumerable.Range(0, Frames).Select(f => new Node { Key = (-1, f), Frame = f, Rights = MemRights.RWX }).ToArray();

        private static bool IsAncestorOrSelf(Node a, Node n)
        {
            for (var x = n; x is not null; x = x.Parent)
            {
                if (ReferenceEquals(x, a))
                    return true;
            }
            return false;
        }

        public void Flush(Node n, bool self)
        {
            foreach (var c in n.Children.ToList())
                Flush(c, true);
            n.Children.Clear();
            if (self && n.Key.Item1 >= 0)
            {
                Nodes.Remove(n.Key);
                n.Parent?.Children.Remove(n);
            }
        }

        private static void Reduce(Node n, MemRights r, bool self)
        {
            if (self && n.Key.Item1 >= 0)
                n.Rights &= ~r;
            foreach (var c in n.Children)
                Reduce(c, r, true);
        }

        public void Map(Node? src, int d, int dp, MemRights rights, bool grant)
        {
            if (src is null)
                return;
            var iR = src.Rights & rights;
            if (iR == 0)
                return;
            if (Nodes.TryGetValue((d, dp), out var existing))
            {
                var sameFrame = existing.Frame == src.Frame;
                var ancestor = sameFrame && IsAncestorOrSelf(existing, src);
                var child = sameFrame && !ancestor && ReferenceEquals(existing.Parent, src);
                if (child && !grant)
                {
                    existing.Rights |= iR;
                    return;
                }
                Flush(existing, true);
                if (ancestor)
                    return;
            }
            if (grant && src.Key.Item1 >= 0)
            {
                Nodes.Remove(src.Key);
                src.Key = (d, dp);
                src.Rights = iR;
                Nodes[src.Key] = src;
                return;
            }
            var n = new Node { Key = (d, dp), Frame = src.Frame, Rights = iR, Parent = src };
            src.Children.Insert(0, n);
            Nodes[n.Key] = n;
        }

        public void Unmap(int t, int p, MemRights rights, bool self)
        {
            if (rights == 0 || !Nodes.TryGetValue((t, p), out var n))
                return;
            if ((rights & MemRights.R) != 0)
                Flush(n, self);
            else
                Reduce(n, rights, self);
        }
    }

    private sealed class World
    {
        public readonly Fixture F = new(new KernelOptions());
        public readonly L4Task[] Tasks = new L4Task[MemoryModelTests.Tasks];
        public readonly Model Model = new();
        public readonly Dataspace Ram = new(Frames * 4096, "ram");
        public readonly ulong Phys;

        public World()
        {
            Phys = F.Kernel.PhysicalMemory.Add(Ram, 0x4000_0000);
            for (var i = 0; i < Tasks.Length; i++)
                Tasks[i] = F.Root.CreateTask($"t{i}");
        }

        public int TaskIndex(MapSpace s) => Array.FindIndex(Tasks, t => ReferenceEquals(t.Memory, s));

        public string? Compare()
        {
            for (var t = 0; t < Tasks.Length; t++)
            {
                for (var p = 0; p < Pages; p++)
                {
                    var k = Tasks[t].Memory.Lookup((Base >> 12) + (ulong)p);
                    Model.Nodes.TryGetValue((t, p), out var m);
                    if (k is null && m is null)
                        continue;
                    if (k is null || m is null)
                        return $"t{t} page {p}: kernel {(k is null ? "none" : k.ToString())}, model {(m is null ? "none" : $"frame {m.Frame} {m.Rights}")}";
                    if (k.Frame != m.Frame || k.Rights != m.Rights)
                        return $"t{t} page {p}: kernel frame {k.Frame} {k.Rights}, model frame {m.Frame} {m.Rights}";
                    var kp = k.Parent!;
                    var parentKey = kp.IsRoot ? (-1, (int)kp.Frame) : (TaskIndex(kp.Space), (int)(kp.VirtualPage - (Base >> 12)));
                    if (parentKey != m.Parent!.Key)
                        return $"t{t} page {p}: kernel parent {parentKey}, model parent {m.Parent.Key}";
                    if (!Tasks[t].Memory.TryTranslate(Base + ((ulong)p << 12) + 5, out var tr) || !ReferenceEquals(tr.Dataspace, Ram) || tr.Offset != ((long)m.Frame << 12) + 5)
                        return $"t{t} page {p}: translation wrong";
                }
            }
            return QuotaAudit.Check(F.Kernel);
        }
    }

    private static Fpage Page(int p, MemRights r) => Fpage.Memory(Base + ((ulong)p << 12), 12, r);

    private static string? Step(World w, Op op)
    {
        var d = w.Tasks[op.Dst];
        switch (op.Kind)
        {
            case Kind.Attach:
            {
                var frame = op.SrcPage % Frames;
                var err = d.Map(w.F.Kernel.Sigma0, Fpage.Memory(w.Phys + ((ulong)frame << 12), 12, (MemRights)op.Rights), Base + ((ulong)op.DstPage << 12));
                if (!err.IsOk && !err.IsEmptyMap)
                    return $"attach failed: {err}";
                w.Model.Map(w.Model.Roots[frame], op.Dst, op.DstPage, (MemRights)op.Rights, false);
                return null;
            }
            case Kind.Map:
            {
                var grant = (op.Flags & 1) != 0;
                var err = d.Map(w.Tasks[op.Src], Page(op.SrcPage, (MemRights)op.Rights), Base + ((ulong)op.DstPage << 12), grant);
                if (!err.IsOk && !err.IsEmptyMap)
                    return $"map failed: {err}";
                w.Model.Nodes.TryGetValue((op.Src, op.SrcPage), out var src);
                w.Model.Map(src, op.Dst, op.DstPage, (MemRights)op.Rights, grant);
                return null;
            }
            default:
            {
                var self = (op.Flags & 1) != 0;
                var rights = (MemRights)op.Rights;
                w.Model.Nodes.TryGetValue((op.Dst, op.DstPage), out var before);
                var descendants = before is null ? [] : Descendants(before).ToList();
                d.Unmap(Page(op.DstPage, rights), self ? UnmapFlags.AllSpaces : UnmapFlags.OtherSpaces);
                w.Model.Unmap(op.Dst, op.DstPage, rights, self);
                if ((rights & MemRights.R) != 0)
                {
                    // After an unmap no descendant mapping survives anywhere.
                    foreach (var n in descendants)
                    {
                        if (w.Tasks[n.Task].Memory.Lookup((Base >> 12) + (ulong)n.Page) is { } k && k.Frame == before!.Frame && w.Model.Nodes.ContainsKey(n) is false)
                            return $"descendant t{n.Task} page {n.Page} survived the unmap";
                    }
                    if (d.Memory.Lookup((Base >> 12) + (ulong)op.DstPage) is { FirstChild: not null })
                        return "the unmapped mapping still has children";
                }
                return null;
            }
        }
    }

    private static IEnumerable<(int Task, int Page)> Descendants(Node n)
    {
        foreach (var c in n.Children)
        {
            yield return c.Key;
            foreach (var x in Descendants(c))
                yield return x;
        }
    }

    [FsCheck.NUnit.Property(MaxTest = 250, Replay = "(20260131,11)", Arbitrary = [typeof(Arbitraries)])]
    public Property Mapping_database_follows_the_model(Op[] ops)
    {
        var w = new World();
        for (var i = 0; i < ops.Length; i++)
        {
            string? err;
            try
            {
                err = Step(w, ops[i]) ?? w.Compare();
            }
            catch (Exception e)
            {
                err = $"exception {e}";
            }
            if (err is not null)
                return false.Label($"step {i} {ops[i]}: {err}");
        }
        return true.ToProperty();
    }
}
