using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.DeviceTree;

namespace L4Re.Uvmm.Tests.DeviceTree;

/// <summary>FsCheck generators of valid device trees (names dtc accepts, arbitrary property bytes).</summary>
internal static class TreeGen
{
    private const string NodeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-";
    private const string PropChars = NodeChars + "?#";

    private static Gen<string> Word(string chars, int max) =>
        Gen.Choose(1, max).SelectMany(n => Gen.ArrayOf(Gen.Elements(chars.ToCharArray()), n)).Select(c => new string(c));

    public static Gen<string> NodeName =>
        from b in Word(NodeChars, 12)
        from withUnit in Gen.Elements(false, true)
        from unit in Word("0123456789abcdef", 8)
        select withUnit ? $"{b}@{unit}" : b;

    // "name" would have to equal the node name, "phandle"/"linux,phandle" must be unique cells: dtc checks both.
    public static Gen<string> PropertyName =>
        Word(PropChars, 16).Where(n => n is not ("name" or "phandle" or "linux,phandle"));

    public static Gen<byte[]> Value =>
        Gen.OneOf(
            Gen.Constant(Array.Empty<byte>()),
            Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n)),
            Gen.Choose(0, int.MaxValue).Select(i => BitConverter.GetBytes(i).Reverse().ToArray()),
            Word(NodeChars + " /:=", 20).Select(s => System.Text.Encoding.ASCII.GetBytes(s + "\0")));

    public sealed record NodeSpec(string Name, (string Name, byte[] Value)[] Props, NodeSpec[] Children);

    private static Gen<NodeSpec> Node(int size) =>
        from name in NodeName
        from props in Gen.ListOf(Gen.Zip(PropertyName, Value), Math.Min(size, 6))
        from count in Gen.Choose(0, size > 1 ? 3 : 0)
        from children in Gen.ArrayOf(Node(size / 2), count)
        select new NodeSpec(name, [.. props], children);

    public static Gen<DtTree> Tree =>
        from root in Gen.Sized(s => Node(Math.Min(s, 12)))
        from reservations in Gen.ListOf(Gen.Zip(Gen.Choose(1, int.MaxValue), Gen.Choose(1, int.MaxValue)), 3)
        from bootCpu in Gen.Choose(0, 3)
        select Make(root, reservations.Select(r => new MemoryReservation((ulong)r.Item1 << 12, (ulong)r.Item2)), (uint)bootCpu);

    private static DtTree Make(NodeSpec root, IEnumerable<MemoryReservation> reservations, uint bootCpu)
    {
        var tree = new DtTree { BootCpuIdPhys = bootCpu };
        tree.MemoryReservations.AddRange(reservations);
        Fill(tree.Root, root);
        return tree;
    }

    private static void Fill(DtNode node, NodeSpec spec)
    {
        foreach (var (name, value) in spec.Props)
        {
            if (!node.HasProperty(name))
                node.SetProperty(name, value);
        }
        foreach (var c in spec.Children)
        {
            if (!node.Children.Any(x => x.Name == c.Name))
                Fill(node.AddChild(c.Name), c);
        }
    }

    public static Arbitrary<DtTree> Arbitrary => Arb.From(Tree);
}
