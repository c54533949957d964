using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>
/// Mapping and unmapping one page again and again (io handing out one MMIO page) reuses the page-table chunk, which
/// stays when it empties (Fiasco frees page tables with the space), and the mapping node (a slab-like free list).
/// </summary>
public class MapUnmapReuseTests
{
    private static (Microkernel K, L4Task A, L4Task C) Setup()
    {
        var k = new Microkernel(new KernelOptions { RootQuota = 16L << 20 });
        var a = k.RootFactory.CreateTask("a");
        var c = k.RootFactory.CreateTask("c");
        a.Attach(new Dataspace(2 * 4096, "pages"), 0x10000, MemRights.RWX);
        return (k, a, c);
    }

    private static void MapUnmap(L4Task a, L4Task c)
    {
        c.Map(a, Fpage.Memory(0x10000, 12, MemRights.RW), 0x4000_0000);
        a.Unmap(Fpage.Memory(0x10000, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
    }

    [Test]
    public void The_emptied_chunk_stays_charged_and_is_reused()
    {
        var (k, a, c) = Setup();
        var before = k.RootFactory.Used;
        c.Map(a, Fpage.Memory(0x10000, 12, MemRights.RW), 0x4000_0000);
        var node = c.Memory.Lookup(0x4000_0000 >> 12)!;
        Assert.That((node.Parent, node.Depth, node.Rights), Is.EqualTo((a.Memory.Lookup(0x10), 2, MemRights.RW)));
        Assert.That(c.Memory.ChunkCount, Is.EqualTo(1));
        var mapped = k.RootFactory.Used;
        Assert.That(mapped - before, Is.EqualTo(ObjectSizes.PageTablePage + ObjectSizes.MappingNode));
        a.Unmap(Fpage.Memory(0x10000, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
        Assert.That(c.Memory.Lookup(0x4000_0000 >> 12), Is.Null);
        Assert.That((c.Memory.Count, c.Memory.ChunkCount), Is.EqualTo((0, 1)), "the empty chunk stays");
        Assert.That(k.RootFactory.Used, Is.EqualTo(mapped - ObjectSizes.MappingNode), "the node is refunded, the chunk is not");
        Assert.That(c.Memory.Enumerate(), Is.Empty, "an empty chunk holds no present page");

        for (var i = 0; i < 100; i++)
            MapUnmap(a, c);
        Assert.That((c.Memory.ChunkCount, k.RootFactory.Used), Is.EqualTo((1, mapped - ObjectSizes.MappingNode)));

        // A reused node is a complete new mapping: right parent, depth, rights and caching, no stale children.
        c.Map(a, Fpage.Memory(0x11000, 12, MemRights.R), 0x4000_1000);
        var again = c.Memory.Lookup(0x4000_1000 >> 12)!;
        Assert.That((again.Parent, again.Depth, again.Rights, again.Frame, again.Children.Count()),
            Is.EqualTo((a.Memory.Lookup(0x11), 2, MemRights.R, 1L, 0)));
        Assert.That(QuotaAudit.Check(k), Is.Null);

        c.DeleteObject();
        Assert.That(k.RootFactory.Used, Is.LessThan(before), "deleting the task refunds its chunk");
    }

    [Test]
    public void Map_and_unmap_of_a_lone_page_allocate_nothing_once_warm()
    {
        var (_, a, c) = Setup();
        for (var i = 0; i < 1000; i++)
            MapUnmap(a, c);
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            MapUnmap(a, c);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - bytes, Is.Zero);
    }
}
