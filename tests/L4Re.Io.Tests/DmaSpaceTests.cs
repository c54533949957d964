using FsCheck;
using FsCheck.Fluent;
using L4Re.Io.Dma;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel;

namespace L4Re.Io.Tests;

public class DmaSpaceTests
{
    private const int Page = Dataspace.PageSize;

    [Test]
    public void A_kernel_dma_space_translates_what_its_owner_mapped_with_its_rights()
    {
        var kernel = new Microkernel();
        var ds = new Dataspace(8 * Page);
        var owner = kernel.RootFactory.CreateTask("owner");
        owner.Attach(ds, 0x10_0000, MemRights.RW);
        var dma = kernel.RootFactory.CreateDmaSpace("dma");
        var space = new KernelDmaSpace(dma);
        Assert.That(dma.Map(owner, Fpage.Memory(0x10_0000 + 3 * Page, 12, MemRights.W), 0x40000).IsOk, Is.True);
        Assert.That(space.Translate(0x40010, DmaAccess.Write, out var t), Is.EqualTo(DmaStatus.Ok));
        Assert.That(t, Is.EqualTo(new DmaTarget(ds, 3 * Page + 0x10, Page - 0x10)), "lands in the dataspace, contiguous to the page end");
        Assert.That(space.Translate(0x40010, DmaAccess.Read, out _), Is.EqualTo(DmaStatus.NoPermission));
        Assert.That(space.Translate(0x41000, DmaAccess.Write, out _), Is.EqualTo(DmaStatus.NotMapped));
        Assert.That(dma.Map(owner, Fpage.Memory(0x10_0000, 13, MemRights.RW), 0x80000).IsOk, Is.True);
        Assert.That(space.Translate(0x81fff, DmaAccess.ReadWrite, out t), Is.EqualTo(DmaStatus.Ok));
        Assert.That((t.Offset, t.Length), Is.EqualTo((2L * Page - 1, 1L)));
        // The owner revokes: the DMA space loses the page at once.
        owner.Unmap(Fpage.Memory(0x10_0000, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
        Assert.That(space.Translate(0x80000, DmaAccess.Read, out _), Is.EqualTo(DmaStatus.NotMapped));
        Assert.That(space.Translate(0x81000, DmaAccess.Read, out _), Is.EqualTo(DmaStatus.Ok));
        dma.DeleteObject();
        Assert.That(space.Translate(0x81000, DmaAccess.Read, out _), Is.EqualTo(DmaStatus.NotMapped), "a deleted space translates nothing");
    }

    [Test]
    public void Cpu_phys_dma_is_the_identity_over_the_kernels_ram_but_not_its_device_windows()
    {
        var kernel = new Microkernel();
        var low = new Dataspace(4 * Page, "low");
        var window = new Dataspace(Page, "iomem");
        kernel.PhysicalMemory.Add(low, 0);
        kernel.PhysicalMemory.Add(new Dataspace(Page, "high"), 0x2000_0000);
        kernel.PhysicalMemory.Add(window, 0x1f00_0000, PhysicalMemoryKind.IoMemory);
        var excluded = new Dataspace(Page, "excluded");
        kernel.PhysicalMemory.Add(excluded, 0x3000_0000);
        var mem = new PhysicalDmaSpace(kernel.PhysicalMemory, ds => ReferenceEquals(ds, excluded));
        Assert.That(mem.Translate(0x2a, DmaAccess.Write, out var t), Is.EqualTo(DmaStatus.Ok));
        Assert.That((t.Dataspace, t.Offset, t.Length), Is.EqualTo((low, 0x2aL, 4L * Page - 0x2a)));
        Assert.That(mem.Translate(0x2000_0fff, DmaAccess.Read, out t), Is.EqualTo(DmaStatus.Ok));
        Assert.That(t.Length, Is.EqualTo(1));
        Assert.That(mem.Translate(4 * Page, DmaAccess.Read, out _), Is.EqualTo(DmaStatus.NotMapped), "a hole");
        Assert.That(mem.Translate(0x1f00_0010, DmaAccess.Read, out _), Is.EqualTo(DmaStatus.NotMapped), "a device window is not RAM");
        Assert.That(mem.Translate(0x3000_0010, DmaAccess.Read, out _), Is.EqualTo(DmaStatus.NotMapped), "a dataspace the caller excludes");
        Assert.That(new PhysicalDmaSpace(kernel.PhysicalMemory).Translate(0x3000_0010, DmaAccess.Read, out _), Is.EqualTo(DmaStatus.Ok), "RAM by default");
    }

    /// <summary>
    /// Random mappings and random transfers: with an IOMMU a transfer succeeds exactly when every page it
    /// touches is mapped with the right; memory changes only where it succeeded; without an IOMMU it
    /// succeeds whenever it stays in RAM.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 300, Replay = "8675309,271829", QuietOnSuccess = true)]
    public Property Transfers_succeed_exactly_inside_the_mapped_pages(int seed)
    {
        var rnd = new Random(seed);
        const int pages = 32;
        var failures = new List<string>();
        foreach (var mode in new[] { DmaMode.Iommu, DmaMode.CpuPhys })
        {
            var ram = new Dataspace(pages * Page);
            var kernel = new Microkernel();
            kernel.PhysicalMemory.Add(ram, 0);
            var io = new IoServer(kernel, mode);
            io.LoadText("device nic {\n dma\n mmio reg0 = 0x1f000000 + 0x1000\n}\nvbus drv { device nic }");
            var owner = kernel.RootFactory.CreateTask("owner");
            owner.Attach(ram, 0x100_0000, MemRights.RW);
            var space = kernel.RootFactory.CreateDmaSpace();
            var rights = new DmaAccess[pages]; // by DMA page; DMA page i -> RAM page (i + 7) % pages
            for (var i = 0; i < pages; i++)
            {
                if (rnd.Next(3) == 0)
                    continue;
                rights[i] = (DmaAccess)rnd.Next(1, 4);
                var mr = ((rights[i] & DmaAccess.Read) != 0 ? MemRights.R : 0) | ((rights[i] & DmaAccess.Write) != 0 ? MemRights.W : 0);
                space.Map(owner, Fpage.Memory(0x100_0000 + (ulong)((i + 7) % pages * Page), 12, mr), (ulong)i * Page);
            }
            io.FindVbus("drv")!.AssignDmaDomain(VirtualBus.WholeBusDomain, DmaDomainAssignFlags.Bind | DmaDomainAssignFlags.KernelDmaSpace, space);
            var nic = io.GetDmaEngine("nic");
            for (var n = 0; n < 20; n++)
            {
                var addr = (ulong)rnd.Next(0, (pages + 2) * Page);
                var len = rnd.Next(0, 3 * Page);
                var write = rnd.Next(2) == 0;
                var before = ram.Span.ToArray();
                var buf = new byte[len];
                rnd.NextBytes(buf);
                var status = write ? nic.Write(addr, buf) : nic.Read(addr, buf);
                var need = write ? DmaAccess.Write : DmaAccess.Read;
                bool expectOk;
                if (mode == DmaMode.Iommu)
                {
                    expectOk = true;
                    for (var p = addr / Page; len > 0 && p <= (addr + (ulong)len - 1) / Page; p++)
                        expectOk &= p < pages && (rights[p] & need) == need;
                }
                else
                    expectOk = len == 0 || addr + (ulong)len <= pages * Page;
                if ((status == DmaStatus.Ok) != expectOk)
                    failures.Add($"{mode} {(write ? "write" : "read")} 0x{addr:x}+{len}: {status}, expected ok={expectOk}");
                else if (status != DmaStatus.Ok || !write)
                {
                    if (!ram.Span.SequenceEqual(before))
                        failures.Add($"{mode}: memory changed by a refused transfer or a read");
                }
                else
                {
                    // Check the written bytes landed where the mapping says.
                    for (var k = 0; k < len; k += 97)
                    {
                        var a = addr + (ulong)k;
                        var phys = mode == DmaMode.Iommu ? ((long)(a / Page) + 7) % pages * Page + (long)(a % Page) : (long)a;
                        if (ram.Span[(int)phys] != buf[k])
                            failures.Add($"{mode}: byte {k} of a write is not at physical 0x{phys:x}");
                    }
                }
            }
        }
        return (failures.Count == 0).Label(string.Join("; ", failures.Take(3)));
    }
}
