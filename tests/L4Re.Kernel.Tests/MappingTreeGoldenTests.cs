using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>Mapping-tree shapes after map, grant and unmap, as Fiasco's mapping database defines them.</summary>
public class MappingTreeGoldenTests
{
    private Fixture _f = null!;
    private L4Task _a = null!, _b = null!, _c = null!, _d = null!;
    private ulong _phys;

    [SetUp]
    public void SetUp()
    {
        _f = new Fixture();
        var ds = new Dataspace(4096, "ds");
        _phys = _f.Kernel.PhysicalMemory.Add(ds, 0x4000_0000);
        _a = _f.Root.CreateTask("A");
        _b = _f.Root.CreateTask("B");
        _c = _f.Root.CreateTask("C");
        _d = _f.Root.CreateTask("D");
        Assert.That(_a.Map(_f.Kernel.Sigma0, Fpage.Memory(_phys, 12, MemRights.RWX), 0x10000).IsOk, Is.True);
    }

    private static Fpage Page(ulong a, MemRights r = MemRights.RWX) => Fpage.Memory(a, 12, r);

    private string Tree() => MappingTreeFormatter.Format(_a.Memory.Lookup(0x10)!);

    [Test]
    public void Map_chain_gives_a_path()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _c.Map(_b, Page(0x20000, MemRights.RW), 0x30000);
        Assert.That(Tree(), Is.EqualTo(
            "sigma0@0x40000000 RWX\n" +
            "  A@0x10000 RWX\n" +
            "    B@0x20000 RWX\n" +
            "      C@0x30000 RW\n"));
    }

    [Test]
    public void Second_map_from_the_same_parent_is_a_sibling_inserted_first()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _c.Map(_a, Page(0x10000, MemRights.R), 0x30000);
        Assert.That(Tree(), Is.EqualTo(
            "sigma0@0x40000000 RWX\n" +
            "  A@0x10000 RWX\n" +
            "    C@0x30000 R\n" +
            "    B@0x20000 RWX\n"));
    }

    [Test]
    public void Unmap_revokes_all_descendants_but_keeps_the_callers_mapping()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _c.Map(_b, Page(0x20000), 0x30000);
        var gen = _c.Memory.Generation;
        _a.Unmap(Page(0x10000), UnmapFlags.OtherSpaces);
        Assert.That(Tree(), Is.EqualTo("sigma0@0x40000000 RWX\n  A@0x10000 RWX\n"));
        Assert.That(_b.Memory.TryTranslate(0x20000, out _), Is.False);
        Assert.That(_c.Memory.TryTranslate(0x30000, out _), Is.False);
        Assert.That(_c.Memory.Generation, Is.GreaterThan(gen));
    }

    [Test]
    public void Unmap_all_spaces_includes_the_callers_own_mapping()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _c.Map(_b, Page(0x20000), 0x30000);
        _b.Unmap(Page(0x20000), UnmapFlags.AllSpaces);
        Assert.That(Tree(), Is.EqualTo("sigma0@0x40000000 RWX\n  A@0x10000 RWX\n"));
    }

    [Test]
    public void Grant_moves_the_node_and_keeps_its_children()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _c.Map(_b, Page(0x20000), 0x30000);
        _d.Map(_b, Page(0x20000), 0x40000, grant: true);
        Assert.That(_b.Memory.TryTranslate(0x20000, out _), Is.False, "the granter lost the page");
        Assert.That(Tree(), Is.EqualTo(
            "sigma0@0x40000000 RWX\n" +
            "  A@0x10000 RWX\n" +
            "    D@0x40000 RWX\n" +
            "      C@0x30000 RWX\n"));
    }

    [Test]
    public void Remap_to_an_own_child_upgrades_its_rights_in_place()
    {
        _b.Map(_a, Page(0x10000, MemRights.R), 0x20000);
        _c.Map(_b, Page(0x20000), 0x30000);
        _b.Map(_a, Page(0x10000, MemRights.RW), 0x20000);
        Assert.That(Tree(), Is.EqualTo(
            "sigma0@0x40000000 RWX\n" +
            "  A@0x10000 RWX\n" +
            "    B@0x20000 RW\n" +
            "      C@0x30000 R\n"));
    }

    [Test]
    public void Overmap_from_an_unrelated_mapping_flushes_the_old_subtree()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _c.Map(_b, Page(0x20000), 0x30000);
        _d.Map(_a, Page(0x10000), 0x50000);
        _b.Map(_d, Page(0x50000, MemRights.R), 0x20000);
        Assert.That(Tree(), Is.EqualTo(
            "sigma0@0x40000000 RWX\n" +
            "  A@0x10000 RWX\n" +
            "    D@0x50000 RWX\n" +
            "      B@0x20000 R\n"));
        Assert.That(_c.Memory.Count, Is.Zero);
    }

    [Test]
    public void Mapping_a_page_onto_itself_removes_it()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _b.Map(_b, Page(0x20000), 0x20000);
        Assert.That(Tree(), Is.EqualTo("sigma0@0x40000000 RWX\n  A@0x10000 RWX\n"));
    }

    [Test]
    public void Unmap_of_a_right_reduces_descendants_only()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _c.Map(_b, Page(0x20000), 0x30000);
        var gen = _b.Memory.Generation;
        _a.Unmap(Page(0x10000, MemRights.W), UnmapFlags.OtherSpaces);
        Assert.That(Tree(), Is.EqualTo(
            "sigma0@0x40000000 RWX\n" +
            "  A@0x10000 RWX\n" +
            "    B@0x20000 RX\n" +
            "      C@0x30000 RX\n"));
        Assert.That(_b.Memory.Generation, Is.GreaterThan(gen));
        _a.Unmap(Page(0x10000, MemRights.X), UnmapFlags.AllSpaces);
        Assert.That(_a.Memory.Lookup(0x10)!.Rights, Is.EqualTo(MemRights.RW));
    }

    [Test]
    public void Sigma0_keeps_its_root_when_unmapping_all_spaces()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _f.Kernel.Sigma0.Unmap(Page(_phys), UnmapFlags.AllSpaces);
        Assert.That(_a.Memory.Count, Is.Zero);
        Assert.That(_f.Kernel.Sigma0.Memory.Lookup(_phys >> 12), Is.Not.Null);
    }

    [Test]
    public void Mapping_depth_is_limited_to_255()
    {
        var tasks = new List<L4Task> { _a };
        var err = default(IpcErrorWord);
        for (var i = 0; i < 260 && err.IsOk; i++)
        {
            var t = _f.Root.CreateTask();
            err = t.Map(tasks[^1], Page(0x10000), 0x10000);
            tasks.Add(t);
        }
        Assert.That(err.Code, Is.EqualTo(IpcErrorCode.SeMapFailed));
        Assert.That(tasks.Count - 1, Is.EqualTo(255), "A is at depth 1, the 255th map reaches depth 255, the next one fails");
    }

    [Test]
    public void Deleting_a_task_revokes_the_mappings_derived_from_it()
    {
        _b.Map(_a, Page(0x10000), 0x20000);
        _c.Map(_b, Page(0x20000), 0x30000);
        _b.DeleteObject();
        Assert.That(Tree(), Is.EqualTo("sigma0@0x40000000 RWX\n  A@0x10000 RWX\n"));
    }
}
