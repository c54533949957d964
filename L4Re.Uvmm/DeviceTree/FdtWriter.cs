using System.Buffers.Binary;
using System.Text;

namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// Flattens a <see cref="DtTree"/> into a version-17 DTB with dtc's layout (dtc 1.6 <c>flattree.c</c>):
/// header, memory reservation block at offset 0x28, structure block, strings block, no padding; property
/// names are stored once, reusing an existing string that ends with the same characters.
/// For a tree read from dtc's output the bytes are identical to dtc's.
/// </summary>
public static class FdtWriter
{
    /// <summary>Writes the tree as a DTB.</summary>
    /// <param name="tree">The tree.</param>
    /// <returns>The blob.</returns>
    /// <exception cref="DeviceTreeException">The tree would be rejected by dtc: duplicate or invalid phandles,
    /// or a <c>name</c> property that differs from the node name.</exception>
    public static byte[] Write(DtTree tree) => Write(tree, validate: true);

    internal static byte[] Write(DtTree tree, bool validate)
    {
        if (validate)
            Validate(tree);
        var structure = new List<byte>(4096);
        var stringTable = new StringTable();
        EmitNode(tree.Root, structure, stringTable);
        var strings = stringTable.Bytes;
        AppendU32(structure, Fdt.End);

        var rsvOffset = Fdt.HeaderSize; // 40 is already 8-byte aligned
        var rsvSize = (tree.MemoryReservations.Count + 1) * 16;
        var structOffset = rsvOffset + rsvSize;
        var stringsOffset = structOffset + structure.Count;
        var total = stringsOffset + strings.Count;

        var blob = new byte[total];
        new FdtHeader(Fdt.Magic, (uint)total, (uint)structOffset, (uint)stringsOffset, (uint)rsvOffset,
            Fdt.Version, Fdt.LastCompatibleVersion, tree.BootCpuIdPhys, (uint)strings.Count, (uint)structure.Count).Write(blob);
        var pos = rsvOffset;
        foreach (var r in tree.MemoryReservations)
        {
            BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(pos), r.Address);
            BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(pos + 8), r.Size);
            pos += 16;
        }
        structure.CopyTo(blob, structOffset);
        strings.CopyTo(blob, stringsOffset);
        return blob;
    }

    private static void EmitNode(DtNode root, List<byte> structure, StringTable strings)
    {
        // Iterative pre-order walk with explicit END_NODE markers: deep trees cannot overflow the stack.
        var stack = new Stack<(DtNode Node, bool Close)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, close) = stack.Pop();
            if (close)
            {
                AppendU32(structure, Fdt.EndNode);
                continue;
            }
            AppendU32(structure, Fdt.BeginNode);
            structure.AddRange(Encoding.ASCII.GetBytes(node.Name));
            structure.Add(0);
            Pad4(structure);
            foreach (var p in node.Properties)
            {
                AppendU32(structure, Fdt.Prop);
                AppendU32(structure, (uint)p.Length);
                AppendU32(structure, (uint)strings.Intern(p.Name));
                structure.AddRange(p.RawValue);
                Pad4(structure);
            }
            stack.Push((node, true));
            for (var i = node.Children.Count - 1; i >= 0; i--)
                stack.Push((node.Children[i], false));
        }
    }

    /// <summary>
    /// The strings block with dtc's <c>stringtable_insert</c> result: a name goes to the first offset where it
    /// (with its NUL) already is — necessarily as the suffix of an earlier entry, since names hold no NUL — or
    /// is appended. Every suffix of every entry is indexed, so each lookup is O(1) instead of dtc's linear scan
    /// (entries longer than <see cref="MaxIndexedLength"/> index only themselves, a harmless deviation for
    /// pathological names).
    /// </summary>
    private sealed class StringTable
    {
        private const int MaxIndexedLength = 256;
        private readonly Dictionary<string, int> _offsets = new(StringComparer.Ordinal);

        public List<byte> Bytes { get; } = new(1024);

        public int Intern(string name)
        {
            if (_offsets.TryGetValue(name, out var offset))
                return offset;
            offset = Bytes.Count;
            Bytes.AddRange(Encoding.ASCII.GetBytes(name));
            Bytes.Add(0);
            if (name.Length <= MaxIndexedLength)
            {
                for (var i = 0; i < name.Length; i++)
                    _offsets.TryAdd(name[i..], offset + i);
            }
            else
            {
                _offsets.TryAdd(name, offset);
            }
            return offset;
        }
    }

    private static void Validate(DtTree tree)
    {
        var seen = new Dictionary<uint, DtNode>();
        foreach (var n in tree.Nodes)
        {
            var ph = n.FindProperty("phandle");
            var lph = n.FindProperty("linux,phandle");
            foreach (var p in new[] { ph, lph })
            {
                if (p is null)
                    continue;
                if (p.Length != 4)
                    throw new DeviceTreeException($"{p.Name} of {n.Path} is not one cell");
                var v = p.GetU32();
                if (v is 0 or 0xffffffff)
                    throw new DeviceTreeException($"{p.Name} of {n.Path} has the invalid value 0x{v:x}");
            }
            if (ph is not null && lph is not null && ph.GetU32() != lph.GetU32())
                throw new DeviceTreeException($"phandle and linux,phandle of {n.Path} differ");
            if (n.Phandle is { } value)
            {
                if (seen.TryGetValue(value, out var other))
                    throw new DeviceTreeException($"phandle 0x{value:x} is used by both {other.Path} and {n.Path}");
                seen.Add(value, n);
            }
            if (n.FindProperty("name") is { } name && !n.IsRoot &&
                (!DtValueFormat.LooksLikeStrings(name.Value) || name.GetStringList() is not [var s] || s != n.BaseName))
                throw new DeviceTreeException($"'name' property of {n.Path} differs from the node name");
        }
    }

    private static void AppendU32(List<byte> list, uint value)
    {
        list.Add((byte)(value >> 24));
        list.Add((byte)(value >> 16));
        list.Add((byte)(value >> 8));
        list.Add((byte)value);
    }

    private static void Pad4(List<byte> list)
    {
        while (list.Count % 4 != 0)
            list.Add(0);
    }
}
