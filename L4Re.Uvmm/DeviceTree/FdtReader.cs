using System.Buffers.Binary;
using System.Text;

namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// Parses flattened device trees (DTB versions 16 and 17, Devicetree Specification chapter 5) into a
/// <see cref="DtTree"/>. Every structural problem of the input is reported as <see cref="FdtParseException"/>
/// with the byte offset; no other exception escapes for any input bytes.
/// </summary>
public static class FdtReader
{
    /// <summary>Nodes nested deeper than this are rejected (dtc and libfdt use far smaller trees).</summary>
    public const int MaxDepth = 1024;

    /// <summary>Parses a DTB.</summary>
    /// <param name="blob">The bytes; trailing bytes after <c>totalsize</c> are ignored.</param>
    /// <returns>The tree.</returns>
    /// <exception cref="FdtParseException">The bytes are not a valid DTB.</exception>
    public static DtTree Read(ReadOnlySpan<byte> blob)
    {
        var h = FdtHeader.Read(blob);
        if (h.Magic != Fdt.Magic)
            throw new FdtParseException($"bad magic 0x{h.Magic:x8} (expected 0x{Fdt.Magic:x8})", 0);
        if (h.Version < 16)
            throw new FdtParseException($"unsupported version {h.Version} (16 or 17 required)", 0x14);
        if (h.LastCompVersion > Fdt.Version)
            throw new FdtParseException($"last compatible version {h.LastCompVersion} is newer than {Fdt.Version}", 0x18);
        var headerSize = h.Version >= 17 ? Fdt.HeaderSize : Fdt.HeaderSizeV16;
        if (h.TotalSize < headerSize || h.TotalSize > blob.Length)
            throw new FdtParseException($"totalsize {h.TotalSize} is outside [{headerSize}, {blob.Length}]", 4);
        var total = (long)h.TotalSize;
        blob = blob[..(int)total];

        CheckBlock("memory reservation block", h.OffMemRsvmap, 0, total, headerSize, 0x10);
        CheckBlock("strings block", h.OffDtStrings, h.SizeDtStrings, total, headerSize, 0x0c);
        long structSize = h.Version >= 17 ? h.SizeDtStruct : total - h.OffDtStruct;
        CheckBlock("structure block", h.OffDtStruct, structSize, total, headerSize, 0x08);
        if (h.OffDtStruct % 4 != 0)
            throw new FdtParseException($"structure block offset 0x{h.OffDtStruct:x} is not 4-byte aligned", 0x08);
        if (h.OffMemRsvmap % 8 != 0)
            throw new FdtParseException($"memory reservation block offset 0x{h.OffMemRsvmap:x} is not 8-byte aligned", 0x10);

        var tree = new DtTree { BootCpuIdPhys = h.BootCpuIdPhys };
        ReadReservations(blob, (int)h.OffMemRsvmap, tree);
        var strings = blob.Slice((int)h.OffDtStrings, (int)h.SizeDtStrings);
        ReadStructure(blob.Slice((int)h.OffDtStruct, (int)structSize), (int)h.OffDtStruct, strings, tree);
        return tree;
    }

    private static void CheckBlock(string what, uint offset, long size, long total, int headerSize, int field)
    {
        if (offset < headerSize || offset > total || size < 0 || offset + size > total)
            throw new FdtParseException($"{what} [0x{offset:x}, +0x{size:x}) lies outside the blob of 0x{total:x} bytes", field);
    }

    private static void ReadReservations(ReadOnlySpan<byte> blob, int offset, DtTree tree)
    {
        var pos = offset;
        while (true)
        {
            if (pos + 16 > blob.Length)
                throw new FdtParseException("memory reservation block is not terminated by a zero entry", pos);
            var address = BinaryPrimitives.ReadUInt64BigEndian(blob[pos..]);
            var size = BinaryPrimitives.ReadUInt64BigEndian(blob[(pos + 8)..]);
            if (address == 0 && size == 0)
                return;
            tree.MemoryReservations.Add(new MemoryReservation(address, size));
            pos += 16;
        }
    }

    private static void ReadStructure(ReadOnlySpan<byte> block, int baseOffset, ReadOnlySpan<byte> strings, DtTree tree)
    {
        var pos = 0;
        DtNode? current = null;
        var rootSeen = false;
        var depth = 0;
        while (true)
        {
            var token = ReadToken(block, ref pos, baseOffset);
            switch (token)
            {
                case Fdt.BeginNode:
                {
                    var at = baseOffset + pos;
                    var name = ReadName(block, ref pos, baseOffset);
                    if (current is null)
                    {
                        if (rootSeen)
                            throw new FdtParseException("a second top-level node follows the root node", at);
                        if (name.Length != 0)
                            throw new FdtParseException($"root node has name '{name}' (it must be empty)", at);
                        current = tree.Root;
                        rootSeen = true;
                    }
                    else
                    {
                        if (++depth > MaxDepth)
                            throw new FdtParseException($"nodes nested deeper than {MaxDepth}", at);
                        if (!DtNames.IsValidNodeName(name))
                            throw new FdtParseException($"invalid node name '{name}' under {current.Path}", at);
                        if (current.FindChild(name) is { } existing && existing.Name == name)
                            throw new FdtParseException($"duplicate node '{name}' under {current.Path}", at);
                        current = current.AddChild(name);
                    }
                    break;
                }
                case Fdt.EndNode:
                    if (current is null)
                        throw new FdtParseException("END_NODE without a matching BEGIN_NODE", baseOffset + pos - 4);
                    // After the root closes only NOP and END may follow (BEGIN_NODE and PROP check for that).
                    current = current.Parent;
                    if (current is not null)
                        depth--;
                    break;
                case Fdt.Prop:
                {
                    var at = baseOffset + pos - 4;
                    if (current is null)
                        throw new FdtParseException("property outside of any node", at);
                    if (pos + 8 > block.Length)
                        throw new FdtParseException("property header runs past the structure block", at);
                    var len = BinaryPrimitives.ReadUInt32BigEndian(block[pos..]);
                    var nameOff = BinaryPrimitives.ReadUInt32BigEndian(block[(pos + 4)..]);
                    pos += 8;
                    if (len > block.Length - pos)
                        throw new FdtParseException($"property value of {len} bytes runs past the structure block", at);
                    var name = ReadString(strings, nameOff, at);
                    if (!DtNames.IsValidPropertyName(name))
                        throw new FdtParseException($"invalid property name '{name}' in {current.Path}", at);
                    if (current.HasProperty(name))
                        throw new FdtParseException($"duplicate property '{name}' in {current.Path}", at);
                    current.Set(name, block.Slice(pos, (int)len).ToArray());
                    pos = Align4(pos + (int)len);
                    break;
                }
                case Fdt.Nop:
                    break;
                case Fdt.End:
                    if (!rootSeen)
                        throw new FdtParseException("structure block ends without a root node", baseOffset + pos - 4);
                    if (current is not null)
                        throw new FdtParseException($"structure block ends inside node {current.Path}", baseOffset + pos - 4);
                    return;
                default:
                    throw new FdtParseException($"unknown structure token 0x{token:x}", baseOffset + pos - 4);
            }
        }
    }

    private static uint ReadToken(ReadOnlySpan<byte> block, ref int pos, int baseOffset)
    {
        if (pos + 4 > block.Length)
            throw new FdtParseException("structure block ends without an END token", baseOffset + pos);
        var token = BinaryPrimitives.ReadUInt32BigEndian(block[pos..]);
        pos += 4;
        return token;
    }

    private static string ReadName(ReadOnlySpan<byte> block, ref int pos, int baseOffset)
    {
        var rest = block[pos..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0)
            throw new FdtParseException("node name is not NUL-terminated within the structure block", baseOffset + pos);
        var name = Decode(rest[..nul], baseOffset + pos);
        pos = Align4(pos + nul + 1);
        if (pos > block.Length)
            throw new FdtParseException("node name padding runs past the structure block", baseOffset + pos);
        return name;
    }

    private static string ReadString(ReadOnlySpan<byte> strings, uint offset, int at)
    {
        if (offset >= strings.Length)
            throw new FdtParseException($"property name offset 0x{offset:x} is outside the strings block of 0x{strings.Length:x} bytes", at);
        var rest = strings[(int)offset..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0)
            throw new FdtParseException($"property name at strings offset 0x{offset:x} is not NUL-terminated", at);
        return Decode(rest[..nul], at);
    }

    private static string Decode(ReadOnlySpan<byte> bytes, int at)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
                throw new FdtParseException($"name contains the non-printable byte 0x{b:x2}", at);
        }
        return Encoding.ASCII.GetString(bytes);
    }

    private static int Align4(int value) => (value + 3) & ~3;
}
