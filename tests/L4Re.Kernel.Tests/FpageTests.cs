using FsCheck;
using FsCheck.Fluent;
using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Tests;

public class FpageTests
{
    [Test]
    public void Memory_fpage_has_the_l4_fpage_layout()
    {
        var fp = Fpage.Memory(0x1234_5000, 12, MemRights.RW);
        Assert.That(fp.Raw, Is.EqualTo(0x1234_5000UL | (12UL << 6) | (1UL << 4) | 6));
        Assert.That(fp.Type, Is.EqualTo(FpageType.Memory));
        Assert.That(fp.Order, Is.EqualTo(12));
        Assert.That(fp.MemRights, Is.EqualTo(MemRights.RW));
        Assert.That(fp.Address, Is.EqualTo(0x1234_5000UL));
    }

    [Test]
    public void Fpage_all_and_invalid_are_the_special_words()
    {
        Assert.That(Fpage.All.Raw, Is.EqualTo(63UL << 6));
        Assert.That(Fpage.All.IsAll && Fpage.All.IsValid, Is.True);
        Assert.That(Fpage.Invalid.Raw, Is.Zero);
        Assert.That(Fpage.Invalid.IsValid, Is.False);
    }

    [Test]
    public void Io_fpage_is_port_shifted_and_read_write()
    {
        var fp = Fpage.Io(0x3f8, 3);
        Assert.That(fp.Raw, Is.EqualTo((0x3f8UL << 12) | (3UL << 6) | (2UL << 4) | 6));
        Assert.That(fp.Port, Is.EqualTo(0x3f8UL));
        Assert.That(Fpage.Io(0, Fpage.WholeIoSpace).IsWellFormed(out _), Is.True);
    }

    [Test]
    public void Obj_fpage_takes_a_capability_selector()
    {
        var fp = Fpage.Obj(CapSel.FromIndex(7), CapRights.RWS);
        Assert.That(fp.Raw, Is.EqualTo(0x7000UL | (3UL << 4) | 7));
        Assert.That(fp.ObjIndex, Is.EqualTo(7UL));
        Assert.That(fp.CapRights, Is.EqualTo(CapRights.RWS));
    }

    [TestCase(11)]
    [TestCase(0)]
    [TestCase(64)]
    public void Host_api_rejects_memory_orders_outside_12_to_63(int order) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Fpage.Memory(0, order, MemRights.R));

    [Test]
    public void Host_api_rejects_io_ranges_outside_the_port_space()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fpage.Io(0, 17));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fpage.Io(0xffff, 1));
    }

    [TestCase(0x0000_0000_0000_0040UL, "special flexpage with order 1")]
    [TestCase(0x0000_0000_0000_0290UL, "memory flexpage with order 10")]
    [TestCase(0x0000_0000_0000_0460UL, "I/O flexpage with order 17")]
    [TestCase(0x0000_0000_0fff_f060UL, "I/O flexpage beyond port 65535")]
    public void Invalid_encodings_are_named(ulong raw, string reasonStart)
    {
        Assert.That(new Fpage(raw).IsWellFormed(out var reason), Is.False);
        Assert.That(reason, Does.StartWith(reasonStart));
    }

    [Test]
    public void Contains_checks_the_covered_range()
    {
        var fp = Fpage.Memory(0x10000, 16, MemRights.RW);
        Assert.That(fp.Contains(0x10000, 12), Is.True);
        Assert.That(fp.Contains(0x1f000, 12), Is.True);
        Assert.That(fp.Contains(0x20000, 12), Is.False);
        Assert.That(fp.Contains(0x18000, 16), Is.False);
    }

    [FsCheck.NUnit.Property]
    public Property Memory_fields_round_trip(uint page, byte order, byte rights)
    {
        var o = 12 + (order % 52);
        var r = (MemRights)(rights & 7);
        var addr = (ulong)page << 12;
        var fp = Fpage.Memory(addr, o, r);
        return (fp.Address == addr && fp.Order == o && fp.MemRights == r && fp.IsMemory && fp.IsWellFormed(out _)
                && new Fpage(fp.Raw) == fp).ToProperty();
    }

    [FsCheck.NUnit.Property]
    public Property Obj_fields_round_trip(uint index, byte order, byte rights)
    {
        var o = order % 64;
        var r = (CapRights)(rights & 0xf);
        var fp = Fpage.Obj(CapSel.FromIndex(index), o, r);
        return (fp.ObjIndex == index && fp.Order == o && fp.CapRights == r && fp.IsObj).ToProperty();
    }

    [FsCheck.NUnit.Property]
    public Property Decoding_any_word_never_throws(ulong raw)
    {
        var fp = new Fpage(raw);
        _ = fp.IsWellFormed(out _);
        _ = fp.ToString();
        return (fp.Raw == raw && (int)fp.Type < 4 && fp.Order < 64).ToProperty();
    }
}
