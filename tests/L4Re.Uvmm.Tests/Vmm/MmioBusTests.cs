using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Vmm;

public class MmioBusTests
{
    [Test]
    public void Dispatches_by_address_with_region_offsets()
    {
        var bus = new MmioBus();
        var a = new RecordingDevice("a");
        var b = new RecordingDevice("b");
        bus.Add(0x1000, 0x100, a, "a");
        bus.Add(0x3000, 0x1000, b, "b");
        Assert.That(bus.TryWrite(0x1010, MmioWidth.Word, 0x1_2345_6789, vcpu: 1), Is.True);
        Assert.That(bus.TryRead(0x3ffe, MmioWidth.HalfWord, vcpu: 0, out var v), Is.True);
        Assert.That(a.Log.Single(), Is.EqualTo((true, 0x10UL, MmioWidth.Word, 0x2345_6789UL, 1)));
        Assert.That(b.Log.Single().Offset, Is.EqualTo(0xffeUL));
        Assert.That(v, Is.EqualTo(0xf00dUL), "read values are masked to the access width");
    }

    [Test]
    public void Accesses_outside_or_across_regions_are_unmapped()
    {
        var bus = new MmioBus();
        var a = new RecordingDevice();
        bus.Add(0x1000, 0x100, a, "a");
        Assert.That(bus.TryRead(0xfff, MmioWidth.Byte, 0, out _), Is.False);
        Assert.That(bus.TryRead(0x1100, MmioWidth.Byte, 0, out _), Is.False);
        Assert.That(bus.TryRead(0x10fe, MmioWidth.Word, 0, out _), Is.False, "a word crossing the region end");
        Assert.That(bus.TryWrite(0x10fc, MmioWidth.Word, 1, 0), Is.True);
        Assert.That(a.Log, Has.Count.EqualTo(1));
    }

    [Test]
    public void Rejects_overlaps_and_empty_regions()
    {
        var bus = new MmioBus();
        bus.Add(0x1000, 0x100, new RecordingDevice(), "a");
        Assert.That(() => bus.Add(0x10ff, 1, new RecordingDevice(), "b"), Throws.InvalidOperationException.With.Message.Contains("overlaps"));
        Assert.That(() => bus.Add(0x2000, 0, new RecordingDevice(), "c"), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => bus.Add(ulong.MaxValue, 2, new RecordingDevice(), "d"), Throws.InstanceOf<ArgumentOutOfRangeException>());
        bus.Add(0x1100, 0x100, new RecordingDevice(), "adjacent");
        Assert.That(bus.Regions.Select(r => r.Name), Is.EqualTo(new[] { "a", "adjacent" }));
    }

    [Test]
    public void Finds_every_region_among_many()
    {
        var bus = new MmioBus();
        var devices = Enumerable.Range(0, 50).Select(i => new RecordingDevice($"d{i}")).ToArray();
        foreach (var i in new[] { 7, 3, 49, 0, 25 }.Concat(Enumerable.Range(0, 50).Except([7, 3, 49, 0, 25])))
            bus.Add(0x10000UL * (ulong)i, 0x100, devices[i], $"d{i}");
        for (var i = 0; i < 50; i++)
        {
            Assert.That(bus.Find(0x10000UL * (ulong)i + 0x80)?.Device, Is.SameAs(devices[i]));
            Assert.That(bus.Find(0x10000UL * (ulong)i + 0x100), Is.Null);
        }
    }

    [Test]
    public void Removed_regions_no_longer_dispatch()
    {
        var bus = new MmioBus();
        var r = bus.Add(0x1000, 0x100, new RecordingDevice(), "a");
        Assert.That(bus.Find(0x1000), Is.Not.Null);
        Assert.That(bus.Remove(r), Is.True);
        Assert.That(bus.Find(0x1000), Is.Null);
        Assert.That(bus.Remove(r), Is.False);
    }
}
