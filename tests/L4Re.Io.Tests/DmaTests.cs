using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Objects;
using L4Re.Kernel;
using Microsoft.Extensions.Logging;

namespace L4Re.Io.Tests;

public class DmaTests
{
    private const int Page = Dataspace.PageSize;
    private const ulong DriverBufferDma = 0x10000;   // where the Wi-Fi driver maps its buffers for the NIC
    private const int DriverBufferPage = 8;          // RAM pages 8..11 hold the driver's buffers
    private const int SecretPage = 40;               // RAM page 40 belongs to someone else (e.g. OpenWrt)

    private const ulong DriverBufferVa = 0x4000_0000; // where the driver has its buffers in its own task

    private sealed record Board(IoServer Io, Dataspace Ram, CapturingLoggerFactory Logs, VirtualBus WifiBus, DmaEngine Nic)
    {
        public Microkernel Kernel => Io.Kernel;
    }

    private static Board Boot(DmaMode mode)
    {
        var ram = new Dataspace(64 * Page, "ram");
        ram.Span.Slice(SecretPage * Page, Page).Fill(0x5a);
        var kernel = new Microkernel();
        kernel.PhysicalMemory.Add(ram, 0);
        var logs = new CapturingLoggerFactory();
        var io = new IoServer(kernel, mode, logs);
        io.Load(TestConfigs.Baikal);
        return new Board(io, ram, logs, io.FindVbus("wifi_drv")!, io.GetDmaEngine("wifi"));
    }

    /// <summary>
    /// The trusted driver has its buffer pages (RAM pages 8..11) in its task, creates a kernel DMA space,
    /// maps the buffers into it with the kernel's map operation and binds it to its NIC's domain.
    /// </summary>
    private static (L4Task Driver, DmaSpace Space) BindDriverSpace(Board b, MemRights rights = MemRights.RW)
    {
        var driver = b.Kernel.RootFactory.CreateTask("wifi-drv");
        driver.Attach(b.Ram, DriverBufferVa, MemRights.RW, DriverBufferPage * Page, 4 * Page);
        var space = b.Kernel.RootFactory.CreateDmaSpace("wifi-dma");
        Assert.That(space.Map(driver, Fpage.Memory(DriverBufferVa, 14, rights), DriverBufferDma).IsOk, Is.True);
        var nic = b.WifiBus.Devices.Single();
        Assert.That(b.WifiBus.GetResource(nic.Handle, 2, out var dmad), Is.EqualTo(L4Error.Ok));
        Assert.That(dmad.Resource.Type, Is.EqualTo(ResourceType.DmaDomain));
        Assert.That(b.WifiBus.AssignDmaDomain((uint)dmad.Resource.Start, Bind, space),
            Is.EqualTo(b.Io.DmaMode == DmaMode.Iommu ? L4Error.Ok : L4Error.NoDev), "io's CPU-phys domain takes no kernel DMA space");
        return (driver, space);
    }

    private const DmaDomainAssignFlags Bind = DmaDomainAssignFlags.Bind | DmaDomainAssignFlags.KernelDmaSpace;
    private const DmaDomainAssignFlags Unbind = DmaDomainAssignFlags.KernelDmaSpace;

    [TestCase(DmaMode.Iommu)]
    [TestCase(DmaMode.CpuPhys)]
    public void The_nic_reaches_its_drivers_buffers(DmaMode mode)
    {
        var b = Boot(mode);
        BindDriverSpace(b);
        byte[] frame = [1, 2, 3, 4, 5, 6, 7, 8];
        // With an IOMMU the NIC uses the DMA address; without, DMA addresses are physical.
        var address = mode == DmaMode.Iommu ? DriverBufferDma + 100 : (ulong)DriverBufferPage * Page + 100;
        Assert.That(b.Nic.Write(address, frame), Is.EqualTo(DmaStatus.Ok));
        Assert.That(b.Ram.Span.Slice(DriverBufferPage * Page + 100, 8).ToArray(), Is.EqualTo(frame));
        var back = new byte[8];
        Assert.That(b.Nic.Read(address, back), Is.EqualTo(DmaStatus.Ok));
        Assert.That(back, Is.EqualTo(frame));
        Assert.That(b.Nic.FaultCount, Is.Zero);
    }

    [Test]
    public void A_malicious_device_cannot_dma_outside_its_space_with_an_iommu()
    {
        var b = Boot(DmaMode.Iommu);
        BindDriverSpace(b);
        var junk = new byte[64];
        Array.Fill(junk, (byte)0xee);
        var secretPhys = (ulong)SecretPage * Page;

        Assert.That(b.Nic.Write(secretPhys, junk), Is.EqualTo(DmaStatus.NotMapped));
        Assert.That(b.Ram.Span.Slice(SecretPage * Page, Page).ToArray(), Is.All.EqualTo((byte)0x5a), "nothing written");
        var stolen = new byte[64];
        Assert.That(b.Nic.Read(secretPhys, stolen), Is.EqualTo(DmaStatus.NotMapped));
        Assert.That(stolen, Is.All.EqualTo((byte)0), "nothing read");

        Assert.That(b.Nic.FaultCount, Is.EqualTo(2));
        Assert.That(b.Nic.LastFault, Is.EqualTo(new DmaFault("wifi", secretPhys, 64, DmaAccess.Read, secretPhys, DmaStatus.NotMapped)));
        var warnings = b.Logs.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings[0].Message, Does.Contain("IO page fault").And.Contain("wifi").And.Contain("0x28000").And.Contain("NotMapped"));
        Assert.That(warnings[0].Category, Does.Contain(nameof(DmaEngine)));
    }

    [Test]
    public void Without_an_iommu_the_same_malicious_dma_succeeds_baikal_mode()
    {
        var b = Boot(DmaMode.CpuPhys);
        BindDriverSpace(b);
        var junk = new byte[64];
        Array.Fill(junk, (byte)0xee);

        Assert.That(b.Nic.Write((ulong)SecretPage * Page, junk), Is.EqualTo(DmaStatus.Ok));
        Assert.That(b.Ram.Span.Slice(SecretPage * Page, 64).ToArray(), Is.All.EqualTo((byte)0xee), "the NIC overwrote memory it was never given");
        Assert.That(b.Nic.FaultCount, Is.Zero);
        Assert.That(b.Logs.Entries.Where(e => e.Level == LogLevel.Warning), Is.Empty);
    }

    [Test]
    public void A_transfer_that_crosses_the_end_of_the_mapping_faults_as_a_whole()
    {
        var b = Boot(DmaMode.Iommu);
        BindDriverSpace(b);
        var end = DriverBufferDma + 4 * Page;
        var data = Enumerable.Repeat((byte)0x77, 16).ToArray();
        Assert.That(b.Nic.Write(end - 8, data), Is.EqualTo(DmaStatus.NotMapped));
        Assert.That(b.Ram.Span.Slice((DriverBufferPage + 4) * Page - 8, 8).ToArray(), Is.All.EqualTo((byte)0), "not even the mapped half was written");
        Assert.That(b.Nic.LastFault!.FaultAddress, Is.EqualTo(end));
        // A transfer that spans all four mapped pages is fine.
        Assert.That(b.Nic.Write(DriverBufferDma + 10, new byte[4 * Page - 20]), Is.EqualTo(DmaStatus.Ok));
    }

    [Test]
    public void Rights_of_the_mapping_are_enforced()
    {
        var b = Boot(DmaMode.Iommu);
        BindDriverSpace(b, MemRights.R);
        Assert.That(b.Nic.Read(DriverBufferDma, new byte[4]), Is.EqualTo(DmaStatus.Ok));
        Assert.That(b.Nic.Write(DriverBufferDma, new byte[] { 1 }), Is.EqualTo(DmaStatus.NoPermission));
        Assert.That(b.Ram.Span[DriverBufferPage * Page], Is.Zero);
    }

    [Test]
    public void Without_a_bound_space_the_iommu_blocks_everything()
    {
        var b = Boot(DmaMode.Iommu);
        Assert.That(b.Nic.Write(0, new byte[] { 1 }), Is.EqualTo(DmaStatus.NoDmaSpace));
        Assert.That(b.Ram.Span[0], Is.Zero);
        Assert.That(b.Nic.LastFault!.Status, Is.EqualTo(DmaStatus.NoDmaSpace));
    }

    [Test]
    public void Deleting_the_vbus_revokes_the_devices_dma()
    {
        var b = Boot(DmaMode.Iommu);
        var (_, space) = BindDriverSpace(b);
        Assert.That(b.Nic.Write(DriverBufferDma, new byte[] { 1 }), Is.EqualTo(DmaStatus.Ok));
        Assert.That(b.Kernel.Iommu.Lookup(b.Nic.Domain.Id), Is.SameAs(space));
        Assert.That(b.Io.DeleteVbus("wifi_drv"), Is.True);
        Assert.That(b.WifiBus.DmaDomains!.Space, Is.Null);
        Assert.That(b.Kernel.Iommu.Lookup(b.Nic.Domain.Id), Is.Null, "io unbound the source id in the kernel's IOMMU");
        Assert.That(b.Nic.Write(DriverBufferDma, new byte[] { 2 }), Is.EqualTo(DmaStatus.NoDmaSpace));
        Assert.That(b.Ram.Span[DriverBufferPage * Page], Is.EqualTo(1));
        Assert.That(b.WifiBus.AssignDmaDomain(VirtualBus.WholeBusDomain, Bind, space), Is.EqualTo(L4Error.NoDev));

        // A new vbus that takes the NIC starts without any DMA space.
        b.Io.LoadText("vbus wifi_drv2 { device wifi }");
        Assert.That(b.Nic.Write(DriverBufferDma, new byte[] { 3 }), Is.EqualTo(DmaStatus.NoDmaSpace));
    }

    [Test]
    public void Unmapping_in_the_kernel_revokes_the_devices_access_at_once()
    {
        var b = Boot(DmaMode.Iommu);
        var (driver, space) = BindDriverSpace(b);
        Assert.That(b.Nic.Write(DriverBufferDma + Page, new byte[] { 1 }), Is.EqualTo(DmaStatus.Ok));
        // The driver revokes one page from everything derived from its own mapping (the DMA space).
        driver.Unmap(Fpage.Memory(DriverBufferVa + Page, 12, MemRights.RWX), UnmapFlags.OtherSpaces);
        Assert.That(b.Nic.Write(DriverBufferDma + Page, new byte[] { 2 }), Is.EqualTo(DmaStatus.NotMapped));
        Assert.That(b.Nic.Write(DriverBufferDma, new byte[] { 2 }), Is.EqualTo(DmaStatus.Ok), "the other pages stay");
        // Write right taken away: reads still work, writes fault.
        space.Unmap(Fpage.Memory(DriverBufferDma, 12, MemRights.W), UnmapFlags.AllSpaces);
        Assert.That(b.Nic.Write(DriverBufferDma, new byte[] { 3 }), Is.EqualTo(DmaStatus.NoPermission));
        Assert.That(b.Nic.Read(DriverBufferDma, new byte[1]), Is.EqualTo(DmaStatus.Ok));
        // Deleting the whole driver task revokes everything derived from it.
        driver.DeleteObject();
        Assert.That(b.Nic.Read(DriverBufferDma + 2 * Page, new byte[1]), Is.EqualTo(DmaStatus.NotMapped));
        Assert.That(b.Ram.Span[(DriverBufferPage + 1) * Page], Is.EqualTo(1));
    }

    [Test]
    public void Dma_domains_are_per_device_with_an_iommu_and_one_cpu_phys_domain_without()
    {
        var iommu = Boot(DmaMode.Iommu).Io;
        Assert.That(new[] { "gmac0", "gmac1", "sata", "wifi" }.Select(n => Domain(iommu, n)), Is.EqualTo(new uint?[] { 0, 1, 2, 3 }));
        var phys = Boot(DmaMode.CpuPhys).Io;
        Assert.That(new[] { "gmac0", "gmac1", "sata", "wifi" }.Select(n => Domain(phys, n)), Is.All.EqualTo(0u));
        Assert.That(iommu.FindVbus("openwrt")!.DmaDomains!.Ids, Is.EqualTo(new uint[] { 0, 1, 2 }));
        Assert.That(iommu.FindVbus("platform")!.DmaDomains, Is.Null);

        static uint? Domain(IoServer io, string name) => io.OwnerOf(name)!.Devices.Single(d => d.Name == name).DmaDomain;
    }

    [Test]
    public void Assigning_dma_domains_checks_ids_flags_and_busy_like_io()
    {
        var b = Boot(DmaMode.Iommu);
        var openwrt = b.Io.FindVbus("openwrt")!;
        var a = b.Kernel.RootFactory.CreateDmaSpace("a");
        var other = b.Kernel.RootFactory.CreateDmaSpace("b");
        Assert.That(b.WifiBus.AssignDmaDomain(0, Bind, a), Is.EqualTo(L4Error.NoEnt), "domain 0 is gmac0's, on another vbus");
        Assert.That(b.Io.FindVbus("platform")!.AssignDmaDomain(VirtualBus.WholeBusDomain, Bind, a), Is.EqualTo(L4Error.NoEnt), "no DMA on that vbus");
        Assert.That(openwrt.AssignDmaDomain(VirtualBus.WholeBusDomain, Bind, null), Is.EqualTo(L4Error.Inval), "no capability received");
        Assert.That(openwrt.AssignDmaDomain(VirtualBus.WholeBusDomain, DmaDomainAssignFlags.Bind, a), Is.EqualTo(L4Error.BadProto), "not an L4Re::Dma_space");
        Assert.That(openwrt.AssignDmaDomain(1, Bind | (DmaDomainAssignFlags)8, a), Is.EqualTo(L4Error.Ok), "one device's domain; unknown flag bits are ignored");
        Assert.That(b.Kernel.Iommu.Lookup(1), Is.SameAs(a));
        Assert.That(b.Kernel.Iommu.Lookup(0), Is.Null);
        Assert.That(openwrt.AssignDmaDomain(1, Bind, a), Is.EqualTo(L4Error.Busy), "io refuses a second binding, even of the same space");
        Assert.That(openwrt.AssignDmaDomain(VirtualBus.WholeBusDomain, Bind, other), Is.EqualTo(L4Error.Busy), "a member is bound elsewhere");
        Assert.That(openwrt.AssignDmaDomain(1, Unbind, other), Is.EqualTo(L4Error.Inval), "not the bound space");
        Assert.That(openwrt.AssignDmaDomain(1, Unbind, a), Is.EqualTo(L4Error.Ok));
        Assert.That(openwrt.AssignDmaDomain(1, Unbind, a), Is.EqualTo(L4Error.Inval), "nothing bound");
        Assert.That(openwrt.AssignDmaDomain(VirtualBus.WholeBusDomain, Bind, other), Is.EqualTo(L4Error.Ok));
        Assert.That(new uint[] { 0, 1, 2 }.Select(id => b.Kernel.Iommu.Lookup(id)), Is.All.SameAs(other));
        Assert.That(openwrt.DmaDomains!.Space, Is.SameAs(other));
        Assert.That(openwrt.AssignDmaDomain(VirtualBus.WholeBusDomain, Unbind, other), Is.EqualTo(L4Error.Ok));
        Assert.That(new uint[] { 0, 1, 2 }.Select(id => b.Kernel.Iommu.Lookup(id)), Is.All.Null);
        // Deleting a bound space in the kernel unbinds it; the domain is free again.
        Assert.That(openwrt.AssignDmaDomain(2, Bind, a), Is.EqualTo(L4Error.Ok));
        a.DeleteObject();
        Assert.That(b.Kernel.Iommu.Lookup(2), Is.Null);
        Assert.That(openwrt.AssignDmaDomain(2, Bind, other), Is.EqualTo(L4Error.Ok));
    }

    [Test]
    public void Without_an_iommu_no_kernel_dma_space_can_be_bound()
    {
        var b = Boot(DmaMode.CpuPhys);
        var space = b.Kernel.RootFactory.CreateDmaSpace();
        Assert.That(b.Io.FindVbus("openwrt")!.AssignDmaDomain(VirtualBus.WholeBusDomain, Bind, space), Is.EqualTo(L4Error.NoDev));
        Assert.That(b.WifiBus.AssignDmaDomain(0, Bind, space), Is.EqualTo(L4Error.NoDev));
    }

    [Test]
    public void A_dma_device_on_no_vbus_is_blocked_with_an_iommu_and_free_without()
    {
        const string cfg = "device dmac {\n compatible = \"snps,dma-spear1340\"\n dma\n mmio reg0 = 0x1f041000 + 0x1000\n}";
        foreach (var (mode, expected) in new[] { (DmaMode.Iommu, DmaStatus.NoDmaSpace), (DmaMode.CpuPhys, DmaStatus.Ok) })
        {
            var kernel = new Microkernel();
            var ram = new Dataspace(4 * Page);
            kernel.PhysicalMemory.Add(ram, 0x2000_0000);
            var io = new IoServer(kernel, mode);
            io.LoadText(cfg);
            Assert.That(io.GetDmaEngine("dmac").Write(0x2000_1000, new byte[] { 9 }), Is.EqualTo(expected), mode.ToString());
            Assert.That(ram.Span[Page], Is.EqualTo(expected == DmaStatus.Ok ? 9 : 0));
            if (mode == DmaMode.CpuPhys)
                Assert.That(io.GetDmaEngine("dmac").Write(0x1000, new byte[] { 9 }), Is.EqualTo(DmaStatus.NotMapped), "no RAM there");
        }
    }

    [Test]
    public void Dma_engines_exist_only_for_dma_capable_devices()
    {
        var b = Boot(DmaMode.Iommu);
        Assert.That(b.Io.GetDmaEngine("wifi"), Is.SameAs(b.Nic));
        Assert.Throws<ArgumentException>(() => b.Io.GetDmaEngine("uart0"));
        Assert.Throws<ArgumentException>(() => b.Io.GetDmaEngine("nope"));
        Assert.That(b.Nic.Write(12345, ReadOnlySpan<byte>.Empty), Is.EqualTo(DmaStatus.NoDmaSpace), "no space bound yet");
        BindDriverSpace(b);
        Assert.That(b.Nic.Write(ulong.MaxValue - 1, new byte[4]), Is.EqualTo(DmaStatus.NotMapped), "a transfer that wraps around");
        Assert.That(b.Nic.Write(12345, ReadOnlySpan<byte>.Empty), Is.EqualTo(DmaStatus.Ok), "an empty transfer touches nothing");
    }

    [Test]
    public void Without_an_iommu_dma_reaches_ram_but_not_device_windows()
    {
        var b = Boot(DmaMode.CpuPhys);
        Assert.That(b.Io.GetDeviceMemory("wifi", "bar0", out var regs, out _), Is.EqualTo(L4Error.Ok), "the window is now in physical memory");
        Assert.That(b.Nic.Write(0x0800_0000, new byte[] { 1 }), Is.EqualTo(DmaStatus.NotMapped), "I/O memory is not RAM");
        Assert.That(regs.Span[0], Is.Zero);
        Assert.That(b.Nic.Write(0x100, new byte[] { 1 }), Is.EqualTo(DmaStatus.Ok));
    }
}
