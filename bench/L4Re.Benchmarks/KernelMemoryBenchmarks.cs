using BenchmarkDotNet.Attributes;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;

namespace L4Re.Benchmarks;

/// <summary>
/// The mapping database: map + unmap of one 4 KiB page between two tasks (beside another mapping, and alone in
/// its page-table chunk), and revocation of a
/// 1,000-node mapping tree (build and build + revoke; the difference is the revocation).
/// </summary>
[MemoryDiagnoser]
public class KernelMemoryBenchmarks
{
    private Microkernel _k = null!;
    private L4Task _a = null!;
    private L4Task _b = null!;
    private L4Task _c = null!;
    private L4Task[] _tasks = null!;

    /// <summary>Tasks, one attached page, and 1,000 tasks for the tree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _k = new Microkernel(new KernelOptions { RootQuota = 256L << 20 });
        _a = _k.RootFactory.CreateTask("a");
        _b = _k.RootFactory.CreateTask("b");
        _c = _k.RootFactory.CreateTask("c");
        _a.Attach(new Dataspace(2 * 4096, "pages"), 0x10000, MemRights.RWX);
        _tasks = new L4Task[1000];
        for (var i = 0; i < _tasks.Length; i++)
            _tasks[i] = _k.RootFactory.CreateTask();
        // Keep the destination page-table chunks allocated (with a mapping of another frame) so the benchmark measures the mapping itself.
        _b.Map(_a, Fpage.Memory(0x11000, 12, MemRights.RWX), 0x21000);
        foreach (var t in _tasks)
            t.Map(_a, Fpage.Memory(0x11000, 12, MemRights.RWX), 0x31000);
    }

    /// <summary>Map one page from a to b, then revoke it (unmap in a).</summary>
    [Benchmark]
    public void MapUnmap4KiB()
    {
        _b.Map(_a, Fpage.Memory(0x10000, 12, MemRights.RW), 0x20000);
        _a.Unmap(Fpage.Memory(0x10000, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
    }

    /// <summary>
    /// Map one page from a into a region of c where nothing else is mapped, then revoke it: the page-table chunk
    /// the mapping needs becomes empty again at every unmap (KERNEL_REQUESTS item 5: io maps and unmaps single MMIO pages).
    /// </summary>
    [Benchmark]
    public void MapUnmap4KiBAlone()
    {
        _c.Map(_a, Fpage.Memory(0x10000, 12, MemRights.RW), 0x4000_0000);
        _a.Unmap(Fpage.Memory(0x10000, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
    }

    /// <summary>Build a 1,000-node mapping tree of one frame (1,000 maps), then revoke it with one unmap in its root.</summary>
    [Benchmark]
    public void Build1000NodeTreeAndRevoke()
    {
        RevocationTree.Build(_a, _tasks);
        _a.Unmap(Fpage.Memory(0x10000, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
    }
}

/// <summary>Revocation of a 1,000-node mapping tree alone: the tree is rebuilt before every measured unmap.</summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class KernelRevocationBenchmarks
{
    private L4Task _a = null!;
    private L4Task[] _tasks = null!;

    /// <summary>A root task with one page and 1,000 tasks.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var k = new Microkernel(new KernelOptions { RootQuota = 256L << 20 });
        _a = k.RootFactory.CreateTask("a");
        _a.Attach(new Dataspace(2 * 4096, "pages"), 0x10000, MemRights.RWX);
        _tasks = new L4Task[1000];
        for (var i = 0; i < _tasks.Length; i++)
        {
            _tasks[i] = k.RootFactory.CreateTask();
            _tasks[i].Map(_a, Fpage.Memory(0x11000, 12, MemRights.RWX), 0x31000); // keeps the page-table chunk
        }
    }

    /// <summary>Builds the tree (not measured).</summary>
    [IterationSetup]
    public void Build() => RevocationTree.Build(_a, _tasks);

    /// <summary>One unmap in the root revokes all 1,000 descendant mappings.</summary>
    [Benchmark]
    public void Revoke1000NodeTree() => _a.Unmap(Fpage.Memory(0x10000, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
}

internal static class RevocationTree
{
    /// <summary>a → 10 tasks → 10 tasks each → the rest spread under those: 1,000 mappings of one frame.</summary>
    public static void Build(L4Task a, L4Task[] tasks)
    {
        var fp = Fpage.Memory(0x30000, 12, MemRights.RWX);
        var n = 0;
        for (var i = 0; i < 10; i++)
            tasks[n++].Map(a, Fpage.Memory(0x10000, 12, MemRights.RWX), 0x30000);
        for (var i = 0; i < 100; i++)
            tasks[n++].Map(tasks[i / 10], fp, 0x30000);
        for (var i = 0; n < tasks.Length; i++)
            tasks[n++].Map(tasks[10 + (i % 100)], fp, 0x30000);
    }
}
