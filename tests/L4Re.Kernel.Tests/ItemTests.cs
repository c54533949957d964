using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Tests;

public class ItemTests
{
    [Test]
    public void Map_control_word_is_l4_map_control()
    {
        var item = SndItem.Map(0x4000_1234, (byte)FpageCacheability.Cacheable, grant: true);
        Assert.That(item.Raw, Is.EqualTo(0x4000_1000UL | (3UL << 4) | 8 | 2));
        Assert.That(item.IsMap && item.IsGrant && !item.IsCompound, Is.True);
        Assert.That(item.Cache, Is.EqualTo((byte)FpageCacheability.Cacheable));
        Assert.That(item.SendBase, Is.EqualTo(0x4000_1000UL));
    }

    [Test]
    public void Object_control_word_carries_the_ipc_gate_server_right()
    {
        var item = SndItem.MapObj(0, attributes: SndItem.ObjRight1);
        Assert.That(item.Raw, Is.EqualTo(0x20UL | 8));
        Assert.That(item.Attributes, Is.EqualTo(SndItem.ObjRight1));
    }

    [Test]
    public void Single_cap_receive_item_is_cap_or_map_or_2()
    {
        var buf = BufItem.SmallObj(CapSel.FromIndex(0x20));
        Assert.That(buf.Raw, Is.EqualTo(0x20000UL | 8 | 2));
        Assert.That(buf.IsSmallObj && buf.IsMap && !buf.ForwardMappings, Is.True);
        Assert.That(buf.SmallObjWindow, Is.EqualTo(Fpage.Obj(CapSel.FromIndex(0x20), 0, CapRights.None)));
        Assert.That(BufItem.SmallObj(CapSel.FromIndex(1), localId: true).IsLocalId, Is.True);
    }

    [Test]
    public void Buffer_descriptor_packs_three_indices()
    {
        var bdr = new BufDesc(1, 2, 3, inheritFpu: true);
        Assert.That(bdr.Raw, Is.EqualTo(1UL | (2UL << 5) | (3UL << 10) | (1UL << 24)));
        Assert.That((bdr.Mem, bdr.Io, bdr.Obj, bdr.InheritsFpu), Is.EqualTo((1, 2, 3, true)));
    }

    [Test]
    public void Syscall_flags_have_the_l4_sysf_values()
    {
        Assert.That((byte)SyscallFlags.Call, Is.EqualTo(3));
        Assert.That((byte)SyscallFlags.Wait, Is.EqualTo(6));
        Assert.That((byte)SyscallFlags.SendAndWait, Is.EqualTo(7));
        Assert.That((byte)SyscallFlags.ReplyAndWait, Is.EqualTo(0xf));
        Assert.That(CapSel.FromIndex(4).WithFlags(SyscallFlags.Call).Raw, Is.EqualTo(0x4003UL));
        Assert.That(CapSel.FromIndex(4).WithFlags(SyscallFlags.Call).Flags, Is.EqualTo(SyscallFlags.Call));
    }

    [Test]
    public void Special_selectors_are_classified_as_fiasco_does()
    {
        Assert.That(CapSel.Invalid.IsSelf, Is.True);
        Assert.That(new CapSel(CapSel.ReplyBit | 0x3000).IsReply, Is.True);
        Assert.That(new CapSel(CapSel.ReplyBit | 0x3000).IsSpecial, Is.True);
        Assert.That(CapSel.FromIndex(3).IsSpecial, Is.False);
        Assert.That(CapSel.InvalidReply.Raw, Is.EqualTo(0xFFFF_FFFF_FFFF_FC00UL));
    }

    [FsCheck.NUnit.Property]
    public Property Send_item_fields_round_trip(uint page, byte cache, bool grant)
    {
        var c = (byte)(cache & 0xf);
        var item = SndItem.Map((ulong)page << 12, c, grant);
        return (item.SendBase == (ulong)page << 12 && item.Cache == c && item.IsGrant == grant && item.IsMap && new SndItem(item.Raw) == item).ToProperty();
    }
}
