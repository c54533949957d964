using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.DeviceTree;

namespace L4Re.Uvmm.Tests.DeviceTree;

public class FdtMalformedTests
{
    private static byte[] Valid()
    {
        var tree = new DtBuilder()
            .Reserve(0x2000, 0x1000)
            .Root(r => r.Cells(1, 1).String("model", "m")
                .Node("a@1", n => n.Reg(1, 2).Strings("compatible", "x,y", "z"))
                .Node("chosen", n => n.String("bootargs", "console=ttyS0")))
            .Build();
        return tree.ToDtb();
    }

    private static void SetU32(byte[] blob, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(offset), value);

    private static FdtParseException Fails(byte[] blob) => Assert.Throws<FdtParseException>(() => DtTree.FromDtb(blob))!;

    [Test]
    public void Empty_and_short_input() => Assert.Multiple(() =>
    {
        Assert.That(Fails([]).Message, Does.Contain("shorter than a DTB header"));
        Assert.That(Fails(Valid()[..20]).Message, Does.Contain("shorter than a DTB header"));
    });

    [Test]
    public void Bad_magic()
    {
        var b = Valid();
        b[0] = 0;
        var e = Fails(b);
        Assert.That(e.Message, Does.Contain("bad magic"));
        Assert.That(e.Offset, Is.Zero);
    }

    [Test]
    public void Unsupported_versions()
    {
        var b = Valid();
        SetU32(b, 0x14, 15);
        Assert.That(Fails(b).Message, Does.Contain("unsupported version 15"));
        b = Valid();
        SetU32(b, 0x18, 18);
        Assert.That(Fails(b).Message, Does.Contain("last compatible version 18"));
    }

    [Test]
    public void Truncated_blob_and_oversized_totalsize()
    {
        var b = Valid();
        Assert.That(Fails(b[..^4]).Message, Does.Contain("totalsize"));
        SetU32(b, 4, 0x100000);
        Assert.That(Fails(b).Message, Does.Contain("totalsize"));
    }

    [Test]
    public void Blocks_outside_the_blob()
    {
        var b = Valid();
        SetU32(b, 0x08, 0xfffffff0);
        Assert.That(Fails(b).Message, Does.Contain("structure block"));
        b = Valid();
        SetU32(b, 0x20, 0x7fffffff);
        Assert.That(Fails(b).Message, Does.Contain("strings block"));
        b = Valid();
        SetU32(b, 0x10, 0x44);
        Assert.That(Fails(b).Message, Does.Contain("8-byte aligned"));
    }

    [Test]
    public void Unknown_token_and_missing_end()
    {
        var b = Valid();
        var structOff = (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(8));
        SetU32(b, structOff, 7);
        var e = Fails(b);
        Assert.That(e.Message, Does.Contain("unknown structure token 0x7"));
        Assert.That(e.Offset, Is.EqualTo(structOff));

        b = Valid();
        var structSize = (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(0x24));
        SetU32(b, 0x24, (uint)(structSize - 4)); // cut the END token off
        Assert.That(Fails(b).Message, Does.Contain("without an END token"));
    }

    [Test]
    public void Property_name_offset_outside_strings()
    {
        var b = Valid();
        var structOff = (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(8));
        // root BEGIN_NODE + empty name (8 bytes), then PROP len nameoff
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(structOff + 8)), Is.EqualTo(Fdt.Prop));
        SetU32(b, structOff + 16, 0xffff);
        Assert.That(Fails(b).Message, Does.Contain("outside the strings block"));
    }

    [Test]
    public void Property_value_longer_than_the_block()
    {
        var b = Valid();
        var structOff = (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(8));
        SetU32(b, structOff + 12, 0x7fffffff);
        Assert.That(Fails(b).Message, Does.Contain("runs past the structure block"));
    }

    [Test]
    public void Invalid_and_duplicate_names()
    {
        var b = Valid();
        var i = b.AsSpan().IndexOf("a@1"u8);
        b[i] = (byte)'%';
        Assert.That(Fails(b).Message, Does.Contain("invalid node name"));

        b = Valid();
        i = b.AsSpan().IndexOf("a@1"u8);
        var chosen = b.AsSpan().IndexOf("chosen"u8);
        "a@1\0\0\0\0\0"u8.CopyTo(b.AsSpan(chosen)); // second child renamed to the first one's name
        Assert.That(Fails(b).Message, Does.Contain("duplicate node 'a@1'"));
    }

    [Test]
    public void Unbalanced_nodes()
    {
        var b = Valid();
        var structOff = (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(8));
        var structSize = (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(0x24));
        SetU32(b, structOff + structSize - 8, Fdt.Nop); // drop the root's END_NODE
        Assert.That(Fails(b).Message, Does.Contain("ends inside node /"));
    }

    [FsCheck.NUnit.Property(MaxTest = 2000, Replay = "20260702,5")]
    public Property Random_corruption_gives_a_tree_or_a_parse_error(int position, byte value, int cut)
    {
        var b = Valid();
        b[(int)((uint)position % b.Length)] = value;
        var length = cut % 3 == 0 ? (int)((uint)cut % b.Length) : b.Length;
        return Parses(b[..length]).ToProperty();
    }

    [FsCheck.NUnit.Property(MaxTest = 1000, Replay = "20260702,7")]
    public Property Random_bytes_after_a_valid_header_never_escape_as_other_exceptions(byte[] tail)
    {
        var b = Valid();
        var blob = b[..Fdt.HeaderSize].Concat(tail).ToArray();
        SetU32(blob, 4, (uint)blob.Length);
        return Parses(blob).ToProperty();
    }

    private static bool Parses(byte[] blob)
    {
        try
        {
            DtTree.FromDtb(blob);
            return true;
        }
        catch (FdtParseException)
        {
            return true;
        }
    }
}

public class FdtLargeInputTests
{
    [Test]
    public void Fifty_thousand_siblings_and_properties_parse_in_linear_time()
    {
        var tree = new DtTree();
        var bus = tree.Root.AddChild("bus");
        for (var i = 0; i < 50_000; i++)
        {
            bus.AddChild($"n@{i:x}");
            bus.SetEmpty($"p{i:x}");
        }
        var dtb = tree.ToDtb();
        var back = DtTree.FromDtb(dtb);
        Assert.That(back.GetNode("/bus").Children, Has.Count.EqualTo(50_000));
        Assert.That(back.GetNode("/bus").FindProperty("pc34f"), Is.Not.Null);
        Assert.That(back.FindNode("/bus/n@c34f"), Is.Not.Null);
    }
}
