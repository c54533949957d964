using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>
/// Caching attributes of memory mappings, as Fiasco keeps them in the page attributes (src/kern/page.cpp
/// <c>Page::Attr::apply</c>, map_util-mem.cpp <c>mem_map</c>, map_util.cpp <c>map</c>): sigma0's roots are cached
/// (<c>Attr::space_local</c>), a map item with the option bit sets the new mapping's type, one without inherits the
/// sender's, and remapping an existing child rewrites it.
/// </summary>
public class CachingTests
{
    private const ulong Phys = 0x4000_0000;
    private static readonly TimeoutPair SendZero = new(L4Timeout.Zero, L4Timeout.Never);

    private static (Fixture F, L4Task A, L4Task B) Setup()
    {
        var f = new Fixture();
        f.Kernel.PhysicalMemory.Add(new Dataspace(4 * 4096, "dev"), Phys, PhysicalMemoryKind.IoMemory);
        return (f, f.Root.CreateTask("a"), f.Root.CreateTask("b"));
    }

    private static SndItem Item(ulong sendBase, FpageCacheability c) => SndItem.Map(sendBase, (byte)c);

    private static FpageCacheability CachingAt(L4Task t, ulong address)
    {
        Assert.That(t.Memory.TryTranslate(address, out var tr), Is.True, $"{t} maps 0x{address:x}");
        Assert.That(tr.Caching, Is.EqualTo(t.Memory.Lookup(address >> 12)!.Caching), "the translation reports the mapping's caching");
        return tr.Caching;
    }

    [Test]
    public void Sigma0_roots_are_cached_and_a_map_without_the_option_bit_inherits()
    {
        var (f, a, b) = Setup();
        Assert.That(f.Kernel.Sigma0.Memory.Lookup(Phys >> 12)!.Caching, Is.EqualTo(FpageCacheability.Cacheable));
        Assert.That(a.Map(f.Kernel.Sigma0, Fpage.Memory(Phys, 12, MemRights.RW), 0x10000).IsOk, Is.True);
        Assert.That(CachingAt(a, 0x10000), Is.EqualTo(FpageCacheability.Cacheable));
        Assert.That(a.Map(f.Kernel.Sigma0, Fpage.Memory(Phys + 0x1000, 12, MemRights.RW), Item(0x11000, FpageCacheability.Uncacheable)).IsOk, Is.True);
        Assert.That(CachingAt(a, 0x11000), Is.EqualTo(FpageCacheability.Uncacheable));
        // Inherit: a child of an uncached mapping is uncached, however deep.
        Assert.That(b.Map(a, Fpage.Memory(0x10000, 13, MemRights.RW), 0x20000).IsOk, Is.True);
        Assert.That((CachingAt(b, 0x20000), CachingAt(b, 0x21000)), Is.EqualTo((FpageCacheability.Cacheable, FpageCacheability.Uncacheable)));
        var c = f.Root.CreateVm("vm");
        Assert.That(c.Map(b, Fpage.Memory(0x21000, 12, MemRights.RW), Item(0, FpageCacheability.Inherit)).IsOk, Is.True);
        Assert.That(CachingAt(c, 0), Is.EqualTo(FpageCacheability.Uncacheable));
    }

    [Test]
    public void An_item_with_the_option_bit_sets_the_type_as_the_mapper_asks()
    {
        var (f, a, b) = Setup();
        a.Map(f.Kernel.Sigma0, Fpage.Memory(Phys, 14, MemRights.RW), Item(0x10000, FpageCacheability.Uncacheable));
        Assert.That(b.Map(a, Fpage.Memory(0x10000, 12, MemRights.RW), Item(0x20000, FpageCacheability.Bufferable)).IsOk, Is.True);
        Assert.That(CachingAt(b, 0x20000), Is.EqualTo(FpageCacheability.Bufferable));
        // Fiasco does not reduce the type like rights: the mapper of an uncached page may map it cached.
        Assert.That(b.Map(a, Fpage.Memory(0x11000, 12, MemRights.RW), Item(0x21000, FpageCacheability.Cacheable)).IsOk, Is.True);
        Assert.That(CachingAt(b, 0x21000), Is.EqualTo(FpageCacheability.Cacheable));
        // Bit 7 of the attributes is not part of the memory type (attr & 0x70).
        Assert.That(b.Map(a, Fpage.Memory(0x12000, 12, MemRights.RW), SndItem.Map(0x22000, 0x9)).IsOk, Is.True);
        Assert.That(CachingAt(b, 0x22000), Is.EqualTo(FpageCacheability.Uncacheable));
    }

    [Test]
    public void Remapping_an_existing_child_rewrites_its_type_and_tells_software_tlbs()
    {
        var (f, a, b) = Setup();
        a.Map(f.Kernel.Sigma0, Fpage.Memory(Phys, 12, MemRights.RW), Item(0x10000, FpageCacheability.Uncacheable));
        b.Map(a, Fpage.Memory(0x10000, 12, MemRights.R), 0x20000);
        var node = b.Memory.Lookup(0x20);
        var generation = b.Memory.Generation;
        Assert.That(b.Map(a, Fpage.Memory(0x10000, 12, MemRights.W), Item(0x20000, FpageCacheability.Bufferable)).IsOk, Is.True);
        Assert.That(b.Memory.Lookup(0x20), Is.SameAs(node), "the same child, upgraded in place");
        Assert.That((node!.Rights, node.Caching), Is.EqualTo((MemRights.RW, FpageCacheability.Bufferable)));
        Assert.That(b.Memory.Generation, Is.GreaterThan(generation));
        generation = b.Memory.Generation;
        b.Map(a, Fpage.Memory(0x10000, 12, MemRights.R), Item(0x20000, FpageCacheability.Bufferable));
        Assert.That(b.Memory.Generation, Is.EqualTo(generation), "nothing changed");
        // A grant moves the node with the type the item gives.
        var c = f.Root.CreateTask("c");
        Assert.That(c.Map(b, Fpage.Memory(0x20000, 12, MemRights.RW), SndItem.Map(0x30000, (byte)FpageCacheability.Cacheable, grant: true)).IsOk, Is.True);
        Assert.That(c.Memory.Lookup(0x30), Is.SameAs(node));
        Assert.That(node.Caching, Is.EqualTo(FpageCacheability.Cacheable));
        Assert.That(MappingTreeFormatter.Format(node), Is.EqualTo("sigma0@0x40000000 RWX\n  a@0x10000 RW uncached\n    c@0x30000 RW\n"));
    }

    [Test]
    public void An_ipc_map_item_carries_the_type_and_the_receive_item_word_is_fiascos()
    {
        var f = new Fixture();
        f.Kernel.PhysicalMemory.Add(new Dataspace(4096, "dev"), Phys, PhysicalMemoryKind.IoMemory);
        var (a, at) = f.HostTask("a");
        var (b, bt) = f.HostTask("b");
        a.Map(f.Kernel.Sigma0, Fpage.Memory(Phys, 12, MemRights.RW), 0x10000);
        a.InsertCapability(10, bt);
        L4Sys.ReceiveMemory(bt.Utcb, Fpage.Memory(0x80000, 12, MemRights.RWX));
        Assert.That(bt.Wait().IsBlocked, Is.True);
        var fp = Fpage.Memory(0x10000, 12, MemRights.RW);
        at.Utcb.Mr[0] = Item(0, FpageCacheability.Uncacheable).Raw;
        at.Utcb.Mr[1] = fp.Raw;
        Assert.That(at.Send(CapSel.FromIndex(10), new MsgTag(0, 0, 1, 0), SendZero).HasError, Is.False);
        Assert.That(CachingAt(b, 0x80000), Is.EqualTo(FpageCacheability.Uncacheable));
        // Fiasco's L4_return_item_writer: (snd_item & ~0x0ff6) | (fpage & 0x0ff0) — bits 4..11 are the flexpage's type
        // and order, so the cache bits of the send item do not reach the receiver's item word; the mapping keeps them.
        Assert.That(bt.Utcb.Mr[0], Is.EqualTo((Item(0, FpageCacheability.Uncacheable).Raw & ~0x0ff6UL) | (fp.Raw & 0x0ff0)));
    }
}
