using L4Re.Kernel.Abi;
using L4Re.Kernel.Boot;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

/// <summary>
/// RAM and I/O memory in physical memory, sigma0's protocol over them (l4re-core sigma0 memmap.cc), claims of
/// frames taken with the host API, and removing a region.
/// </summary>
public class PhysicalMemoryTests
{
    private const ulong RamBase = 0x1000_0000;
    private const ulong IoBase = 0x1f00_0000;
    private const ulong Window = 0x4000_0000;

    /// <summary>A booted system with 64 KiB of RAM and 16 KiB of I/O memory, and sigma0 clients with host-driven threads.</summary>
    private sealed class Rig
    {
        private ulong _label = 0x100;

        public Rig()
        {
            Ram = new Dataspace(16 * 4096, "ram");
            Regs = new Dataspace(4 * 4096, "uart-regs");
            Sys = new SystemBuilder().WithRam(Ram, RamBase).WithIoMemory(Regs, IoBase).Build();
        }

        public BootedSystem Sys { get; }

        public Microkernel Kernel => Sys.Kernel;

        public Dataspace Ram { get; }

        public Dataspace Regs { get; }

        /// <summary>A sigma0 client: a task with a host-driven thread holding a gate to sigma0 (its own label) in slot 4.</summary>
        public (L4Task Task, L4Thread Thread) Client(string name)
        {
            var task = Kernel.RootFactory.CreateTask(name);
            var thread = Kernel.RootFactory.CreateThread(name);
            thread.Bind(task);
            thread.Drive();
            task.InsertCapability((ulong)BootCap.Pager, Kernel.RootFactory.CreateGate(Sys.Sigma0Thread, _label += 0x10), CapRights.RW);
            return (task, thread);
        }
    }

    /// <summary>Sends a sigma0 request for <paramref name="fp"/> into the receive window at <see cref="Window"/>.</summary>
    private static MsgTag Request(L4Thread t, ulong request, Fpage fp)
    {
        L4Sys.ReceiveMemory(t.Utcb, Fpage.Memory(Window, 24, MemRights.RWX));
        t.Utcb.Mr[0] = request;
        t.Utcb.Mr[1] = fp.Raw;
        var r = t.Call(CapSel.FromBoot(BootCap.Pager), MsgTag.Of(ProtocolLabel.Sigma0, 2));
        Assert.That(r.HasError, Is.False, r.ToString());
        return r.Tag;
    }

    private static MsgTag PageFault(L4Thread t, ulong address)
    {
        L4Sys.ReceiveMemory(t.Utcb, Fpage.All);
        t.Utcb.Mr[0] = address | 1;
        t.Utcb.Mr[1] = 0x1234;
        return t.Call(CapSel.FromBoot(BootCap.Pager), MsgTag.Of(ProtocolLabel.PageFault, 2)).Tag;
    }

    [Test]
    public void Regions_carry_their_kind_and_are_found_by_address()
    {
        var k = new Microkernel();
        var ram = new Dataspace(2 * 4096, "ram");
        var regs = new Dataspace(4096, "regs");
        Assert.That(k.PhysicalMemory.Add(ram, 0x1000), Is.EqualTo(0x1000UL));
        k.PhysicalMemory.Add(regs, 0x8000, PhysicalMemoryKind.IoMemory);
        Assert.That(k.PhysicalMemory.FindRegion(0x2fff)!.Kind, Is.EqualTo(PhysicalMemoryKind.Ram));
        Assert.That(k.PhysicalMemory.FindRegion(0x8010)!.Kind, Is.EqualTo(PhysicalMemoryKind.IoMemory));
        Assert.That(k.PhysicalMemory.FindRegion(0x8010)!.ToString(), Is.EqualTo("[0x8000, 0x9000) regs (I/O memory)"));
        Assert.That(k.PhysicalMemory.FindRegion(0x3000), Is.Null, "a hole");
        Assert.Throws<ArgumentOutOfRangeException>(() => k.PhysicalMemory.Add(new Dataspace(4096), 0x20000, (PhysicalMemoryKind)7));
        Assert.Throws<ArgumentException>(() => k.PhysicalMemory.Add(new Dataspace(8192), ulong.MaxValue & ~0xfffUL), "wraps around");
    }

    [Test]
    public void Sigma0_serves_ram_requests_from_ram_only_cached_and_first_come_first_served()
    {
        var rig = new Rig();
        var (a, at) = rig.Client("a");
        var (b, bt) = rig.Client("b");
        var tag = Request(at, Sigma0Pager.RequestFpageRam, Fpage.Memory(RamBase + 0x4000, 13, MemRights.RWX));
        Assert.That((tag.Label, tag.Items), Is.EqualTo((0L, 1u)));
        Assert.That(a.Memory.TryTranslate(Window + 0x5000, out var t), Is.True);
        Assert.That((t.Dataspace, t.Offset, t.Rights, t.Caching), Is.EqualTo((rig.Ram, 0x5000L, MemRights.RWX, FpageCacheability.Cacheable)));
        Assert.That(rig.Sys.Sigma0.PagesHandedOut, Is.EqualTo(2));

        // The same frames again: fine for a, refused for b (L4_ENOMEM, no item), as sigma0's Mem_man::alloc.
        Assert.That(Request(at, Sigma0Pager.RequestFpageRam, Fpage.Memory(RamBase + 0x4000, 12, MemRights.RWX)).Items, Is.EqualTo(1u));
        tag = Request(bt, Sigma0Pager.RequestFpageRam, Fpage.Memory(RamBase + 0x5000, 12, MemRights.RWX));
        Assert.That((tag.ResultError, tag.Items), Is.EqualTo((L4Error.NoMem, 0u)));

        // RAM requests never get I/O memory, and neither do page faults.
        tag = Request(bt, Sigma0Pager.RequestFpageRam, Fpage.Memory(IoBase, 12, MemRights.RWX));
        Assert.That((tag.ResultError, tag.Items), Is.EqualTo((L4Error.NoMem, 0u)));
        Assert.That(PageFault(bt, IoBase + 0x10).ResultError, Is.EqualTo(L4Error.NoMem));
        Assert.That(PageFault(bt, RamBase + 0x8010).Items, Is.EqualTo(1u), "a page fault on free RAM is served");

        // SIGMA0_REQ_FPAGE_ANY takes free, naturally aligned RAM blocks only (Mem_man::alloc_first): pages 4 and 5 are
        // a's, page 8 is b's own, so there is no free 32 KiB block, and the 16 KiB ones are at 0 and at 0xc000.
        tag = Request(bt, Sigma0Pager.RequestFpageAny, Fpage.Memory(0, 15, MemRights.RWX));
        Assert.That((tag.ResultError, tag.Items), Is.EqualTo((L4Error.NoMem, 0u)));
        Assert.That(Request(bt, Sigma0Pager.RequestFpageAny, Fpage.Memory(0, 14, MemRights.RWX)).Items, Is.EqualTo(1u));
        Assert.That(b.Memory.TryTranslate(Window + 0x3000, out t) && t.Offset == 0x3000, Is.True,
            "the block lands at its offset in the receive window (the send base is the physical address)");
        Assert.That(Request(bt, Sigma0Pager.RequestFpageAny, Fpage.Memory(0, 14, MemRights.RWX)).Items, Is.EqualTo(1u));
        Assert.That(b.Memory.TryTranslate(Window + 0xc000, out t) && t.Offset == 0xc000, Is.True);
        Assert.That(Request(bt, Sigma0Pager.RequestFpageAny, Fpage.Memory(0, 14, MemRights.RWX)).ResultError, Is.EqualTo(L4Error.NoMem));
        Assert.That(rig.Sys.Sigma0.PagesHandedOut, Is.EqualTo(11));
    }

    [Test]
    public void Sigma0_serves_io_memory_requests_from_io_memory_only_uncached_or_cached_read_write()
    {
        var rig = new Rig();
        var (a, at) = rig.Client("a");
        var (b, bt) = rig.Client("b");
        var tag = Request(at, Sigma0Pager.RequestFpageIomem, Fpage.Memory(IoBase, 13, MemRights.RWX));
        Assert.That(tag.Items, Is.EqualTo(1u));
        Assert.That(a.Memory.TryTranslate(Window + 0x1004, out var t), Is.True);
        Assert.That((t.Dataspace, t.Offset, t.Rights), Is.EqualTo((rig.Regs, 0x1004L, MemRights.RW)), "I/O memory is read-write, never executable");
        Assert.That(t.Caching, Is.EqualTo(FpageCacheability.Uncacheable), "SIGMA0_REQ_FPAGE_IOMEM maps uncached");

        // No first come, first served for I/O memory.
        Assert.That(Request(bt, Sigma0Pager.RequestFpageIomemCached, Fpage.Memory(IoBase, 12, MemRights.RWX)).Items, Is.EqualTo(1u));
        Assert.That(b.Memory.TryTranslate(Window, out t) && t.Caching == FpageCacheability.Cacheable, Is.True, "SIGMA0_REQ_FPAGE_IOMEM_CACHED maps cached");
        Assert.That(rig.Sys.Sigma0.PagesHandedOut, Is.Zero, "I/O memory is not recorded as handed out");

        // I/O memory requests never get RAM, nor a range that is only partly I/O memory.
        tag = Request(bt, Sigma0Pager.RequestFpageIomem, Fpage.Memory(RamBase, 12, MemRights.RWX));
        Assert.That((tag.ResultError, tag.Items), Is.EqualTo((L4Error.NoMem, 0u)));
        tag = Request(bt, Sigma0Pager.RequestFpageIomem, Fpage.Memory(IoBase, 15, MemRights.RWX));
        Assert.That((tag.ResultError, tag.Items), Is.EqualTo((L4Error.NoMem, 0u)), "32 KiB reach past the 16 KiB window");
    }

    [Test]
    public void Sigma0_answers_malformed_requests_with_l4_errors()
    {
        var rig = new Rig();
        var (_, t) = rig.Client("a");
        Assert.That(Request(t, 0x60, Fpage.Memory(RamBase, 12, MemRights.RWX)).ResultError, Is.EqualTo(L4Error.NoSys), "not a magic request");
        Assert.That(Request(t, ~0xFFUL + 0xA0, Fpage.Memory(RamBase, 12, MemRights.RWX)).ResultError, Is.EqualTo(L4Error.NoSys), "the KIP is not modelled");
        Assert.That(Request(t, Sigma0Pager.RequestFpageRam, Fpage.Io(0, 4)).ResultError, Is.EqualTo(L4Error.Inval), "an I/O flexpage");
        t.Utcb.Mr[0] = Sigma0Pager.RequestFpageRam;
        Assert.That(t.Call(CapSel.FromBoot(BootCap.Pager), MsgTag.Of(ProtocolLabel.Sigma0, 1)).Tag.ResultError, Is.EqualTo(L4Error.MsgTooShort));
        Assert.That(t.Call(CapSel.FromBoot(BootCap.Pager), MsgTag.Of(ProtocolLabel.Task, 1)).Tag.ResultError, Is.EqualTo(L4Error.BadProto));
    }

    [Test]
    public void A_claim_keeps_frames_from_every_sigma0_client()
    {
        var rig = new Rig();
        var pm = rig.Kernel.PhysicalMemory;
        var io = rig.Kernel.RootFactory.CreateTask("io");
        var (a, at) = rig.Client("a");
        var (other, _) = rig.Client("other");
        Assert.That(pm.Claim(IoBase, 0x2000, io), Is.EqualTo(L4Error.Ok));
        Assert.That(pm.Claim(IoBase + 0x1000, 0x10, io), Is.EqualTo(L4Error.Ok), "claiming one's own frames again");
        Assert.That(pm.ClaimantOf(IoBase + 0x1fff), Is.SameAs(io));
        Assert.That(pm.ClaimantOf(IoBase + 0x2000), Is.Null);
        Assert.That(io.Map(rig.Kernel.Sigma0, Fpage.Memory(IoBase, 13, MemRights.RW), IoBase).IsOk, Is.True, "the claimant maps them with the host API");
        Assert.That(Request(at, Sigma0Pager.RequestFpageIomem, Fpage.Memory(IoBase + 0x1000, 12, MemRights.RWX)).ResultError, Is.EqualTo(L4Error.NoMem));
        Assert.That(Request(at, Sigma0Pager.RequestFpageIomem, Fpage.Memory(IoBase + 0x2000, 12, MemRights.RWX)).Items, Is.EqualTo(1u), "unclaimed I/O memory is served");
        Assert.That(pm.Claim(IoBase + 0x2000, 0x1000, io), Is.EqualTo(L4Error.Busy), "a client maps that frame already");
        Assert.That(pm.Claim(IoBase, 0x1000, other), Is.EqualTo(L4Error.Busy), "io holds it");

        // RAM: frames sigma0 handed out cannot be claimed; claimed RAM is given to nobody, not even on a fault.
        Assert.That(PageFault(at, RamBase).Items, Is.EqualTo(1u));
        Assert.That(pm.Claim(RamBase, 0x2000, io), Is.EqualTo(L4Error.Busy));
        Assert.That(pm.Claim(RamBase + 0x1000, 0x1000, io), Is.EqualTo(L4Error.Ok));
        Assert.That(PageFault(at, RamBase + 0x1000).ResultError, Is.EqualTo(L4Error.NoMem));
        Assert.That(Request(at, Sigma0Pager.RequestFpageAny, Fpage.Memory(0, 13, MemRights.RWX)).Items, Is.EqualTo(1u));
        Assert.That(a.Memory.TryTranslate(Window + 0x2000, out var t) && t.Offset == 0x2000, Is.True, "ANY skips the claimed frame");

        // Holes and bad ranges; release; the claimant's deletion ends the claim.
        Assert.That(pm.Claim(0x8000_0000, 0x1000, io), Is.EqualTo(L4Error.NoEnt));
        Assert.That(pm.Claim(IoBase, 0, io), Is.EqualTo(L4Error.Inval));
        Assert.That(pm.Claim(ulong.MaxValue - 0xfff, 0x2000, io), Is.EqualTo(L4Error.Inval));
        pm.Release(RamBase + 0x1000, 0x1000, io);
        Assert.That(PageFault(at, RamBase + 0x1000).Items, Is.EqualTo(1u));
        io.Unmap(Fpage.Memory(IoBase, 13, MemRights.RWX), UnmapFlags.AllSpaces);
        Assert.That(pm.Claim(IoBase, 0x1000, other), Is.EqualTo(L4Error.Busy));
        Assert.That(rig.Kernel.RootFactory.CreateTask("x") is { } x && pm.Claim(IoBase + 0x3000, 0x1000, x) == L4Error.Ok, Is.True);
        io.Delete();
        Assert.That(pm.ClaimantOf(IoBase), Is.Null, "a deleted claimant holds nothing");
        Assert.That(pm.Claim(IoBase, 0x1000, other), Is.EqualTo(L4Error.Ok));
    }

    [Test]
    public void Removing_a_region_revokes_every_mapping_derived_from_its_frames()
    {
        var rig = new Rig();
        var k = rig.Kernel;
        var (a, at) = rig.Client("a");
        var b = k.RootFactory.CreateTask("b");
        var vm = k.RootFactory.CreateVm("vm");
        var dma = k.RootFactory.CreateDmaSpace("dma");
        Assert.That(Request(at, Sigma0Pager.RequestFpageIomem, Fpage.Memory(IoBase, 14, MemRights.RWX)).Items, Is.EqualTo(1u));
        Assert.That(b.Map(a, Fpage.Memory(Window, 14, MemRights.RW), 0x9000_0000).IsOk, Is.True);
        Assert.That(vm.Map(b, Fpage.Memory(0x9000_0000, 13, MemRights.RW), 0).IsOk, Is.True);
        Assert.That(dma.Map(a, Fpage.Memory(Window + 0x2000, 12, MemRights.RW), 0).IsOk, Is.True);
        var ram = new Dataspace(4096, "other-ram");
        vm.Attach(ram, 0x10_0000, MemRights.RWX);
        var generations = (a.Memory.Generation, b.Memory.Generation, vm.Memory.Generation, dma.Memory.Generation);
        var quota = k.RootFactory.Used;

        Assert.That(k.PhysicalMemory.Remove(rig.Regs), Is.True);
        Assert.That(a.Memory.Count + b.Memory.Count + dma.Memory.Count, Is.Zero, "the client, its child and the DMA space lost the frames");
        Assert.That(vm.Memory.Count, Is.EqualTo(1), "the VM keeps the unrelated RAM page");
        Assert.That(vm.Memory.TryTranslate(0, out _), Is.False);
        Assert.That(a.Memory.Generation > generations.Item1 && b.Memory.Generation > generations.Item2
            && vm.Memory.Generation > generations.Item3 && dma.Memory.Generation > generations.Item4, Is.True, "software TLBs see the revocation");
        Assert.That(k.RootFactory.Used, Is.LessThan(quota), "the mapping nodes are refunded");
        Assert.That(QuotaAudit.Check(k), Is.Null);
        Assert.That(k.PhysicalMemory.FindRegion(IoBase), Is.Null);
        Assert.That(k.PhysicalMemory.Remove(rig.Regs), Is.False, "no longer placed");
        Assert.That(Request(at, Sigma0Pager.RequestFpageIomem, Fpage.Memory(IoBase, 12, MemRights.RWX)).ResultError, Is.EqualTo(L4Error.NoMem));

        // The dataspace keeps its bytes and can be placed again, even as another kind.
        rig.Regs.Span[0x10] = 0x5a;
        k.PhysicalMemory.Add(rig.Regs, IoBase, PhysicalMemoryKind.Ram);
        Assert.That(PageFault(at, IoBase).Items, Is.EqualTo(1u));
        Assert.That(a.Memory.TryTranslate(IoBase + 0x10, out var t) && t.Page[0x10] == 0x5a, Is.True);

        // RAM handed out by sigma0 is free again after its region was removed and placed again.
        Assert.That(k.PhysicalMemory.Remove(rig.Regs), Is.True);
        Assert.That(rig.Sys.Sigma0.PagesHandedOut, Is.Zero);
    }
}
