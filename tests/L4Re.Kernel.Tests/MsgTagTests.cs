using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Tests;

public class MsgTagTests
{
    [Test]
    public void Encodes_as_l4_msgtag()
    {
        var tag = new MsgTag((long)ProtocolLabel.PageFault, words: 2, items: 0, flags: 0);
        Assert.That(tag.Raw, Is.EqualTo(unchecked((ulong)(-2L << 16)) | 2));
        Assert.That(tag.Protocol, Is.EqualTo(ProtocolLabel.PageFault));
    }

    [Test]
    public void Fields_are_masked_to_their_width()
    {
        var tag = new MsgTag(0, words: 0x41, items: 0x42, flags: 0x1_8fff);
        Assert.That(tag.Words, Is.EqualTo(1u));
        Assert.That(tag.Items, Is.EqualTo(2u));
        Assert.That(tag.Flags, Is.EqualTo(MsgTag.Error));
        Assert.That(tag.HasError, Is.True);
    }

    [FsCheck.NUnit.Property]
    public Property Fields_round_trip(short label, byte words, byte items, bool error)
    {
        var w = (uint)(words & 0x3f);
        var i = (uint)(items & 0x3f);
        var tag = new MsgTag(label, w, i, error ? MsgTag.Error : 0);
        return (tag.Label == label && tag.Words == w && tag.Items == i && tag.HasError == error).ToProperty();
    }
}
