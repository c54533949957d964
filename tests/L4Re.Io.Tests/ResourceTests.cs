using L4Re.Kernel.Abi;
using FsCheck;
using FsCheck.Fluent;
using L4Re.Io.Hw;

namespace L4Re.Io.Tests;

public class ResourceTests
{
    [Test]
    public void Memory_flags_have_the_l4vbus_values()
    {
        // l4vbus_resource_flags_t, kernkonzept/io libvbus/include/vbus_types.h
        Assert.That((int)MemFlags.R, Is.EqualTo(0x1));
        Assert.That((int)MemFlags.W, Is.EqualTo(0x2));
        Assert.That((int)MemFlags.Prefetchable, Is.EqualTo(0x10));
        Assert.That((int)MemFlags.Cacheable, Is.EqualTo(0x20));
        Assert.That((int)MemFlags.MmioRead, Is.EqualTo(0x2000));
        Assert.That((int)MemFlags.MmioWrite, Is.EqualTo(0x4000));
    }

    [Test]
    public void Irq_modes_have_the_L4_irq_mode_values_and_decode()
    {
        // L4_irq_mode, l4re-core l4sys/include/icu.h
        Assert.That((int)IrqMode.LevelHigh, Is.EqualTo(3));
        Assert.That((int)IrqMode.LevelLow, Is.EqualTo(7));
        Assert.That((int)IrqMode.PositiveEdge, Is.EqualTo(1));
        Assert.That((int)IrqMode.NegativeEdge, Is.EqualTo(5));
        Assert.That((int)IrqMode.BothEdges, Is.EqualTo(9));
        Assert.That(IrqMode.LevelLow.Trigger(), Is.EqualTo(IrqTrigger.Level));
        Assert.That(IrqMode.LevelLow.Polarity(), Is.EqualTo(IrqPolarity.Low));
        Assert.That(IrqMode.PositiveEdge.Trigger(), Is.EqualTo(IrqTrigger.Edge));
        Assert.That(IrqMode.PositiveEdge.Polarity(), Is.EqualTo(IrqPolarity.High));
        Assert.That(IrqMode.BothEdges.Polarity(), Is.EqualTo(IrqPolarity.Both));
        Assert.That(IrqMode.None.Trigger(), Is.EqualTo(IrqTrigger.Unspecified));
        Assert.That(((IrqMode)2).IsDefined(), Is.False);
    }

    [Test]
    public void Resource_ids_pack_four_letters_little_endian()
    {
        // io's Resource::str_to_id: first character in the low byte.
        var id = ResourceId.FromName("reg0");
        Assert.That(id.Raw, Is.EqualTo((uint)'r' | (uint)'e' << 8 | (uint)'g' << 16 | (uint)'0' << 24));
        Assert.That(id.Name, Is.EqualTo("reg0"));
        Assert.That(ResourceId.FromName("ir").Name, Is.EqualTo("ir"));
        Assert.Throws<ArgumentException>(() => ResourceId.FromName("toolong"));
        Assert.Throws<ArgumentException>(() => ResourceId.FromName("a b"));
        Assert.Throws<ArgumentException>(() => ResourceId.FromName(""));
    }

    [Test]
    public void Dma_domain_resources_are_named_DMAD_and_hold_the_domain_number()
    {
        var r = Resource.DmaDomain(7);
        Assert.That(r.Type, Is.EqualTo(ResourceType.DmaDomain));
        Assert.That(r.Id.Name, Is.EqualTo("DMAD"));
        Assert.That((r.Start, r.End), Is.EqualTo((7UL, 7UL)));
    }

    [Test]
    public void Mmio_ranges_are_inclusive_and_must_not_wrap()
    {
        var r = Resource.Mmio("reg0", 0x1f04a000, 0x1000);
        Assert.That(r.End, Is.EqualTo(0x1f04afffUL));
        Assert.That(r.Size, Is.EqualTo(0x1000UL));
        Assert.That(r.MemFlags, Is.EqualTo(MemFlags.RW));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resource.Mmio("reg0", 0x1000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resource.Mmio("reg0", ulong.MaxValue, 2));
    }

    [FsCheck.NUnit.Property]
    public Property Resource_ids_round_trip(NonEmptyString s)
    {
        var name = new string(s.Get.Where(c => c > ' ' && c <= '~').Take(4).ToArray());
        return (name.Length == 0 || ResourceId.FromName(name).Name == name).ToProperty();
    }

    [FsCheck.NUnit.Property]
    public Property Overlap_is_symmetric_and_matches_the_ranges(uint a, ushort alen, uint b, ushort blen)
    {
        var x = Resource.Mmio("x", a, (ulong)alen + 1);
        var y = Resource.Mmio("y", b, (ulong)blen + 1);
        var expected = Math.Max(x.Start, y.Start) <= Math.Min(x.End, y.End);
        return (x.Overlaps(y) == expected && y.Overlaps(x) == expected).ToProperty();
    }

    [Test]
    public void Pci_addresses_parse_in_pci_nomenclature()
    {
        Assert.That(PciAddress.TryParse("0000:01:00.0", out var a), Is.True);
        Assert.That(a, Is.EqualTo(new PciAddress(0, 1, 0, 0)));
        Assert.That(PciAddress.TryParse("02:1f.7", out var b), Is.True);
        Assert.That(b.ToString(), Is.EqualTo("0000:02:1f.7"));
        Assert.That(PciAddress.TryParse("00:20.0", out _), Is.False, "device 0x20 > 31");
        Assert.That(PciAddress.TryParse("00:00.8", out _), Is.False, "function 8 > 7");
        Assert.That(PciAddress.TryParse("0:0.0", out _), Is.False);
        Assert.That(PciAddress.TryParse("", out _), Is.False);
    }
}
