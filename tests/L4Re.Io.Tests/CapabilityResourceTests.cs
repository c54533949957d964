using L4Re.Io.Client;
using L4Re.Io.Dma;
using L4Re.Io.Hw;
using L4Re.Io.Ipc;
using L4Re.Io.Server;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;
using Microsoft.Extensions.Logging;

namespace L4Re.Io.Tests;

/// <summary>MMIO, ports, IRQs and DMA reach a client only through its vbus capability.</summary>
public class CapabilityResourceTests
{
    private const ulong Bar0 = 0x0800_0000;

    [Test]
    public void Mmio_windows_are_mapped_into_the_clients_task_with_the_kernels_map()
    {
        var rig = new Rig();
        var c = rig.Connect("wifi_drv");
        const ulong local = 0x6000_0000;
        Assert.That(c.Vbus.MapMmio(Bar0 + 0x5123, local + 0x5000, DataspaceMapFlags.RW, null, out var bytes), Is.EqualTo(L4Error.Ok));
        Assert.That(bytes, Is.EqualTo(0x1000UL), "io maps nothing below the requested page: a block starting at page 5 is one page");
        Assert.That(c.Task.Memory.TryTranslate(local + 0x4fff, out _), Is.False);
        Assert.That(c.Vbus.MapMmio(Bar0, local, DataspaceMapFlags.RW, null, out bytes), Is.EqualTo(L4Error.Ok));
        Assert.That(bytes, Is.EqualTo(0x200000UL), "from the window's start the whole 2 MiB window is one aligned flexpage");
        Assert.That(c.Task.Memory.TryTranslate(local + 0x1234, out var t), Is.True);
        Assert.That(t.Rights, Is.EqualTo(MemRights.RWX), "R gives read and execute, W write (io's op_map)");
        Assert.That(rig.Io.GetDeviceMemory("wifi", "bar0", out var regs, out var offset), Is.EqualTo(L4Error.Ok));
        Assert.That((t.Dataspace, t.Offset), Is.EqualTo((regs, offset + 0x1234)));
        // The client writes a register; the device model sees it in its register file.
        Assert.That(c.Task.Memory.TryWrite(local + 0x40, new byte[] { 0xaa, 0x55 }), Is.True);
        Assert.That(regs.Span.Slice((int)offset + 0x40, 2).ToArray(), Is.EqualTo(new byte[] { 0xaa, 0x55 }));
        // Every client mapping is a child of io's mapping of the frame.
        var node = c.Task.Memory.Lookup((local + 0x1234) >> 12)!;
        Assert.That(node.Parent!.Space.Owner, Is.SameAs(rig.Io.Task));
        Assert.That(rig.Io.PhysicalMemory.AddressOf(regs), Is.EqualTo(Bar0), "the window's frames are at its physical address");
    }

    [Test]
    public void Rights_follow_the_resource_flags_and_unaligned_spots_get_smaller_pages()
    {
        var rig = new Rig(config: """
            device rom { mmio reg0 = 0x1f100000 + 0x4000 r }
            device regs { mmio reg0 = 0x1f200000 + 0x3000 }
            vbus v { device rom; device regs }
            """);
        var c = rig.Connect("v");
        Assert.That(c.Vbus.MapMmio(0x1f100000, 0x7000_0000, DataspaceMapFlags.RW, null, out var bytes), Is.EqualTo(L4Error.Ok));
        Assert.That(bytes, Is.EqualTo(0x4000UL));
        Assert.That(c.Task.Memory.TryTranslate(0x7000_3000, out var t), Is.True);
        Assert.That(t.Rights, Is.EqualTo(MemRights.RX), "a read-only window is mapped without W");
        Assert.That(c.Task.Memory.TryWrite(0x7000_0000, new byte[] { 1 }), Is.False);
        // A three-page window at a spot aligned to 4 KiB only: page by page, never past the window.
        Assert.That(c.Vbus.MapWindow(Resource.Mmio("reg0", 0x1f200000, 0x3000), 0x7100_1000), Is.EqualTo(L4Error.Ok));
        Assert.That(c.Task.Memory.TryTranslate(0x7100_3fff, out _), Is.True);
        Assert.That(c.Task.Memory.TryTranslate(0x7100_4000, out _), Is.False);
        Assert.That(c.Task.Memory.TryTranslate(0x7100_0fff, out _), Is.False);
    }

    [Test]
    public void A_client_maps_a_window_straight_into_its_vm()
    {
        var rig = new Rig();
        var vmm = rig.Connect("openwrt");
        var vm = rig.Factory.CreateVm("openwrt-vm");
        var vmCap = vmm.Hold(vm, CapRights.RWS);
        // uvmm places a pass-through window 1:1: guest-physical = host-physical.
        Assert.That(vmm.Vbus.MapWindow(Resource.Mmio("reg0", 0x1f04b000, 0x1000), 0x1f04b000, intoTask: vmCap), Is.EqualTo(L4Error.Ok));
        Assert.That(vm.Memory.TryTranslate(0x1f04b010, out var t), Is.True);
        Assert.That(t.Rights & MemRights.RW, Is.EqualTo(MemRights.RW));
        Assert.That(vmm.Task.Memory.TryTranslate(0x1f04b010, out _), Is.False, "the VMM's own space stays empty");
        Assert.That(rig.Io.GetDeviceMemory("uart1", "reg0", out var regs, out var off), Is.EqualTo(L4Error.Ok));
        Assert.That(t.Dataspace, Is.SameAs(regs));
        Assert.That(t.Offset, Is.EqualTo(off + 0x10));
    }

    [Test]
    public void Nothing_outside_the_vbus_windows_can_be_mapped()
    {
        var logs = new CapturingLoggerFactory();
        var rig = new Rig(config: """
            device a { mmio reg0 = 0x1f300000 + 0x800 }
            device b { mmio reg0 = 0x1f300800 + 0x800 }
            device c { mmio reg0 = 0x1f400000 + 0x1000 }
            vbus va { device a }
            vbus vb { device b }
            """, logs: logs);
        var client = rig.Connect("va");
        Assert.That(client.Vbus.MapMmio(0x1f400000, 0x7000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Range), "device c is on no vbus");
        Assert.That(client.Vbus.MapMmio(0x1f300800, 0x7000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Range), "device b is on another vbus");
        Assert.That(client.Vbus.MapMmio(0x0, 0x7000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Range), "RAM is not a device window");
        Assert.That(client.Vbus.MapMmio(0x1f300000, 0x7000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Perm),
            "the page also holds device b's registers");
        Assert.That(logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("another vbus", StringComparison.Ordinal)), Is.True);
        Assert.That(client.Task.Memory.Count, Is.Zero, "the client got nothing");
    }

    [TestCase(DataspaceMapFlags.None, MemFlags.RW | MemFlags.Cacheable, FpageCacheability.Cacheable)]
    [TestCase(DataspaceMapFlags.None, MemFlags.RW | MemFlags.Prefetchable, FpageCacheability.Bufferable)]
    [TestCase(DataspaceMapFlags.None, MemFlags.RW, FpageCacheability.CacheOpt)]
    [TestCase(DataspaceMapFlags.Bufferable, MemFlags.RW | MemFlags.Prefetchable, FpageCacheability.Bufferable)]
    [TestCase(DataspaceMapFlags.Bufferable, MemFlags.RW, FpageCacheability.CacheOpt)]
    [TestCase(DataspaceMapFlags.Uncacheable, MemFlags.RW | MemFlags.Cacheable, FpageCacheability.CacheOpt)]
    public void Mmio_caching_is_the_least_common_denominator(DataspaceMapFlags requested, MemFlags window, FpageCacheability expected) =>
        Assert.That(VbusEndpoint.Caching(requested, window), Is.EqualTo(expected));

    [TestCase(DataspaceMapFlags.None, "cacheable", FpageCacheability.Cacheable, FpageCacheability.Cacheable)]
    [TestCase(DataspaceMapFlags.None, "prefetchable", FpageCacheability.Bufferable, FpageCacheability.Uncacheable)]
    [TestCase(DataspaceMapFlags.None, "", FpageCacheability.Uncacheable, FpageCacheability.Uncacheable)]
    [TestCase(DataspaceMapFlags.Bufferable, "", FpageCacheability.Uncacheable, FpageCacheability.Uncacheable)]
    [TestCase(DataspaceMapFlags.Uncacheable, "cacheable", FpageCacheability.Uncacheable, FpageCacheability.Cacheable)]
    public void The_caching_io_computes_is_the_clients_mapping_and_io_maps_its_own_as_sigma0_does(
        DataspaceMapFlags requested, string windowFlags, FpageCacheability client, FpageCacheability own)
    {
        var rig = new Rig(config: $"device d {{ mmio reg0 = 0x1f100000 + 0x1000 rw {windowFlags} }}\nvbus v {{ device d }}");
        var c = rig.Connect("v");
        var vm = rig.Factory.CreateVm("vm");
        var vmSlot = c.Hold(vm);
        Assert.That(c.Vbus.MapMmio(0x1f100000, 0x7000_0000, DataspaceMapFlags.RW | requested, null, out _), Is.EqualTo(L4Error.Ok));
        Assert.That(c.Task.Memory.TryTranslate(0x7000_0010, out var t), Is.True);
        Assert.That(t.Caching, Is.EqualTo(client));
        Assert.That(rig.Io.Task.Memory.Lookup(0x1f100)!.Caching, Is.EqualTo(own), "io's own mapping: SIGMA0_REQ_FPAGE_IOMEM(_CACHED)");
        // Straight into the client's VM (a forwarding receive buffer): the same caching in the second stage.
        Assert.That(c.Vbus.MapMmio(0x1f100000, 0x1f100000, DataspaceMapFlags.RW | requested, vmSlot, out _), Is.EqualTo(L4Error.Ok));
        Assert.That(vm.Memory.TryTranslate(0x1f100000, out t) && t.Caching == client, Is.True);
    }

    [Test]
    public void The_largest_flexpage_stays_inside_the_window_and_fits_the_spot()
    {
        Assert.That(VbusEndpoint.MaxOrder(0x100, 0x100, 0x1ff, 0x700), Is.EqualTo(8));
        Assert.That(VbusEndpoint.MaxOrder(0x100, 0x100, 0x1ff, 0x701), Is.Zero, "the spot is not aligned like the page");
        Assert.That(VbusEndpoint.MaxOrder(0x104, 0x104, 0x1ff, 0x4), Is.EqualTo(2), "a block that starts at page 0x104");
        Assert.That(VbusEndpoint.MaxOrder(0x104, 0x100, 0x1ff, 0x4), Is.EqualTo(8), "with the window start as minimum");
        Assert.That(VbusEndpoint.MaxOrder(0x100, 0x100, 0x17f, 0x100), Is.EqualTo(7));
    }

    [Test]
    public void Io_ports_are_mapped_into_the_clients_io_space()
    {
        var rig = new Rig(config: """
            device serial { port io0 = 0x3f8 + 8; irq irq0 = 4 edge-rising }
            device other { port io0 = 0x2f8 + 8 }
            vbus v { device serial }
            vbus w { device other }
            """);
        var c = rig.Connect("v");
        Assert.That(c.Vbus.RequestIoPorts(new Resource(ResourceType.Port, 0, 0x3f8, 0x3ff, default)), Is.EqualTo(L4Error.Ok));
        Assert.That(Enumerable.Range(0x3f8, 8).All(p => c.Task.IoPorts!.HasPort((ulong)p)), Is.True);
        Assert.That(c.Task.IoPorts!.HasPort(0x3f7) || c.Task.IoPorts.HasPort(0x400), Is.False);
        Assert.That(c.Vbus.RequestIoPorts(new Resource(ResourceType.Port, 0, 0x2f8, 0x2ff, default)), Is.EqualTo(L4Error.NoEnt), "another vbus's ports");
        Assert.That(c.Vbus.RequestIoPorts(new Resource(ResourceType.Port, 0, 0x3f8, 0x400, default)), Is.EqualTo(L4Error.NoEnt), "one port too many");
        Assert.That(c.Task.IoPorts.HasPort(0x2f8), Is.False);
    }

    private static (Client Client, CapSel Icu, L4Re.Kernel.Objects.Irq Irq, CapSel IrqCap) IrqClient(Rig rig, string vbus)
    {
        var c = rig.Connect(vbus);
        var icu = CapSel.FromIndex(0x20);
        Assert.That(c.Vbus.GetIcu(icu), Is.EqualTo(L4Error.Ok));
        var irq = rig.Factory.CreateIrq(vbus + "-irq");
        irq.Bind(c.Thread, 0x990);
        return (c, icu, irq, c.Hold(irq, CapRights.RWSD));
    }

    [Test]
    public void Irqs_are_bound_through_the_vbus_icu_and_a_raised_line_reaches_the_client()
    {
        var rig = new Rig();
        var (c, icu, irq, cap) = IrqClient(rig, "wifi_drv");
        Assert.That(c.Vbus.IcuInfo(icu, out var n), Is.EqualTo(L4Error.Ok));
        Assert.That(n, Is.EqualTo(81u), "the highest IRQ number of the vbus + 1");
        Assert.That(c.Vbus.BindIrq(icu, 49, cap), Is.EqualTo(L4Error.NoEnt), "uart1's IRQ is not on this vbus");
        Assert.That(rig.Kernel.Icu.BoundTo(49), Is.Null);
        Assert.That(c.Vbus.BindIrq(icu, 80, cap), Is.EqualTo(L4Error.Ok));
        Assert.That(rig.Kernel.Icu.BoundTo(80), Is.SameAs(irq), "bound to the kernel ICU's line directly");
        Assert.That(irq.IsLevelTriggered, Is.True, "the line's mode came from the resource (level-high)");
        Assert.That(c.Vbus.BindIrq(icu, 80, cap), Is.EqualTo(L4Error.Perm), "bound already");
        Assert.That(c.Vbus.SetIrqMode(icu, 80, IrqMode.PositiveEdge), Is.EqualTo(L4Error.Ok));
        Assert.That(irq.IsLevelTriggered, Is.True, "a declared mode cannot be changed");

        // The NIC model raises its INTx line; the driver's thread receives the IRQ.
        rig.Kernel.Icu.SetLine(80, true);
        var r = c.Thread.Wait(TimeoutPair.ReceiveZero);
        Assert.That((r.HasError, r.Label), Is.EqualTo((false, 0x990UL)));
        // Level-triggered: masked after delivery. The vbus ICU's unmask has no effect (io unmasks through the
        // IRQ object); the driver's EOI on its IRQ unmasks, and the still-asserted line fires again.
        c.Thread.Send(icu, L4Sys.IcuMask(c.Thread.Utcb, 80, mask: false));
        Assert.That(c.Thread.Wait(TimeoutPair.ReceiveZero).HasError, Is.True, "nothing while masked");
        c.Thread.Send(cap, L4Sys.IrqEoi(c.Thread.Utcb));
        Assert.That(c.Thread.Wait(TimeoutPair.ReceiveZero).Label, Is.EqualTo(0x990UL));
        rig.Kernel.Icu.SetLine(80, false);
        c.Thread.Send(cap, L4Sys.IrqEoi(c.Thread.Utcb));
        Assert.That(c.Thread.Wait(TimeoutPair.ReceiveZero).HasError, Is.True, "the line is low");

        Assert.That(c.Vbus.UnbindIrq(icu, 80, cap), Is.EqualTo(L4Error.Ok));
        Assert.That(rig.Kernel.Icu.BoundTo(80), Is.Null);
        Assert.That(c.Vbus.UnbindIrq(icu, 80, cap), Is.EqualTo(L4Error.Inval), "nothing bound");
        Assert.That(c.Vbus.BindIrq(icu, 80, c.Hold(rig.Factory.CreateTask())), Is.EqualTo(L4Error.Inval), "not an IRQ object");
        // The ICU speaks the ICU protocol only.
        Assert.That(c.Vbus.Call(icu, MsgTag.Of(0, 2)), Is.EqualTo(L4Error.BadProto));
        Assert.That(c.Vbus.Call(icu, MsgTag.Of(ProtocolLabel.Irq, 0)), Is.EqualTo(L4Error.MsgTooShort));
        Assert.That(c.Vbus.Call(icu, L4Sys.IcuMask(c.Thread.Utcb, 80, true)), Is.EqualTo(L4Error.NoSys));
    }

    [Test]
    public void A_shared_line_is_bound_once_and_an_undeclared_mode_can_be_set()
    {
        var rig = new Rig(config: """
            device nic1 { irq inta = 90 level-low shared }
            device nic2 { irq inta = 90 level-low shared; irq wake = 91 }
            vbus a { device nic1 }
            vbus b { device nic2 }
            """);
        var (ca, icuA, irqA, capA) = IrqClient(rig, "a");
        var (cb, icuB, irqB, capB) = IrqClient(rig, "b");
        Assert.That(ca.Vbus.BindIrq(icuA, 90, capA), Is.EqualTo(L4Error.Ok));
        Assert.That(cb.Vbus.BindIrq(icuB, 90, capB), Is.EqualTo(L4Error.Busy), "io does not chain a shared line");
        Assert.That(rig.Kernel.Icu.BoundTo(90), Is.SameAs(irqA));
        Assert.That(cb.Vbus.BindIrq(icuB, 91, capB), Is.EqualTo(L4Error.Ok));
        Assert.That(irqB.IsLevelTriggered, Is.False);
        Assert.That(cb.Vbus.SetIrqMode(icuB, 91, IrqMode.LevelHigh), Is.EqualTo(L4Error.Ok));
        Assert.That(irqB.IsLevelTriggered, Is.True, "no declared mode: the client sets it");
        Assert.That(ca.Vbus.SetIrqMode(icuA, 91, IrqMode.LevelHigh), Is.EqualTo(L4Error.NoEnt), "not vbus a's IRQ");
        // Deleting the IRQ object frees the pin for a new binding.
        ca.Task.Unmap(Fpage.Obj(capA, CapRights.RWSD), UnmapFlags.DeleteObj);
        Assert.That(irqA.IsDeleted, Is.True);
        var again = rig.Factory.CreateIrq();
        Assert.That(ca.Vbus.BindIrq(icuA, 90, ca.Hold(again, CapRights.RWS)), Is.EqualTo(L4Error.Ok));
        Assert.That(rig.Kernel.Icu.BoundTo(90), Is.SameAs(again));
    }

    [Test]
    public void A_kernel_dma_space_is_bound_over_ipc_and_the_device_reaches_only_its_mappings()
    {
        var rig = new Rig();
        var c = rig.Connect("wifi_drv");
        var nic = rig.Io.GetDmaEngine("wifi");
        // The driver's buffers: RAM pages 8..11 in its task; a DMA space created through its factory capability.
        c.Task.Attach(rig.Ram, 0x4000_0000, MemRights.RW, 8 * Rig.Page, 4 * Rig.Page);
        var factory = c.Hold(rig.Factory, CapRights.RWS);
        var dma = CapSel.FromIndex(0x30);
        Assert.That(c.Thread.Call(factory, L4Sys.FactoryCreate(c.Thread.Utcb, ProtocolLabel.DmaSpace, dma)).Tag.Label, Is.Zero);
        // l4_task_map(dma_space, own task, buffers, DMA address 0x10000): the kernel's map operation.
        Assert.That(c.Thread.Call(dma, L4Sys.TaskMap(c.Thread.Utcb, Rig.TaskSlot, Fpage.Memory(0x4000_0000, 14, MemRights.RW), 0x10000)).Tag.Label, Is.Zero);
        Assert.That(c.Vbus.GetResource(VirtualBus.FirstDeviceHandle, 2, out var dmad), Is.EqualTo(L4Error.Ok));
        Assert.That(dmad.Resource.Type, Is.EqualTo(ResourceType.DmaDomain));
        var flags = DmaDomainAssignFlags.Bind | DmaDomainAssignFlags.KernelDmaSpace;
        Assert.That(c.Vbus.AssignDmaDomain((uint)dmad.Resource.Start, flags, CapSel.Invalid), Is.EqualTo(L4Error.Inval), "no space sent");
        Assert.That(c.Vbus.AssignDmaDomain(VirtualBus.WholeBusDomain, flags, dma), Is.EqualTo(L4Error.Ok));
        Assert.That(nic.Write(0x10000 + 5, new byte[] { 7 }), Is.EqualTo(DmaStatus.Ok));
        Assert.That(rig.Ram.Span[8 * Rig.Page + 5], Is.EqualTo(7));
        Assert.That(nic.Write(8 * Rig.Page, new byte[] { 7 }), Is.EqualTo(DmaStatus.NotMapped), "a physical address is no DMA address");
        Assert.That(c.Vbus.AssignDmaDomain(VirtualBus.WholeBusDomain, flags, dma), Is.EqualTo(L4Error.Busy));
        // The client's own capability to the space can go: io holds one while bound.
        Assert.That(c.Vbus.AssignDmaDomain(VirtualBus.WholeBusDomain, DmaDomainAssignFlags.KernelDmaSpace, dma), Is.EqualTo(L4Error.Ok));
        Assert.That(nic.Write(0x10000, new byte[] { 7 }), Is.EqualTo(DmaStatus.NoDmaSpace));
        Assert.That(c.Vbus.AssignDmaDomain(VirtualBus.WholeBusDomain, flags, Rig.TaskSlot), Is.EqualTo(L4Error.Inval), "a task is no DMA space");
    }

    /// <summary>Takes io's capability to <paramref name="obj"/> (the kernel ICU or IOMMU) away from io's task.</summary>
    private static void RevokeIosCapability(Rig rig, L4Re.Kernel.Objects.KernelObject obj)
    {
        var slot = rig.Io.Task.Caps!.Enumerate().Single(ci => ReferenceEquals(ci.Object, obj)).Index;
        rig.Io.Task.Unmap(Fpage.Obj(CapSel.FromIndex(slot), CapRights.RWSD), UnmapFlags.AllSpaces);
        Assert.That(rig.Io.Task.Caps!.Enumerate().Any(ci => ReferenceEquals(ci.Object, obj)), Is.False);
    }

    [Test]
    public void Io_binds_irqs_through_its_own_icu_capability()
    {
        var rig = new Rig();
        var (c, icu, _, cap) = IrqClient(rig, "wifi_drv");
        RevokeIosCapability(rig, rig.Kernel.Icu);
        // io's l4_icu_set_mode / l4_icu_bind on its (now empty) ICU slot fail: the kernel ICU is reached only that way.
        Assert.That(c.Vbus.BindIrq(icu, 80, cap), Is.Not.EqualTo(L4Error.Ok));
        Assert.That(rig.Kernel.Icu.BoundTo(80), Is.Null);
    }

    [Test]
    public void Io_binds_dma_spaces_through_its_own_iommu_capability()
    {
        var rig = new Rig();
        var c = rig.Connect("wifi_drv");
        var nic = rig.Io.GetDmaEngine("wifi");
        c.Task.Attach(rig.Ram, 0x4000_0000, MemRights.RW, 8 * Rig.Page, 4 * Rig.Page);
        var factory = c.Hold(rig.Factory, CapRights.RWS);
        var dma = CapSel.FromIndex(0x30);
        Assert.That(c.Thread.Call(factory, L4Sys.FactoryCreate(c.Thread.Utcb, ProtocolLabel.DmaSpace, dma)).Tag.Label, Is.Zero);
        Assert.That(c.Thread.Call(dma, L4Sys.TaskMap(c.Thread.Utcb, Rig.TaskSlot, Fpage.Memory(0x4000_0000, 14, MemRights.RW), 0x10000)).Tag.Label, Is.Zero);
        RevokeIosCapability(rig, rig.Kernel.Iommu);
        var flags = DmaDomainAssignFlags.Bind | DmaDomainAssignFlags.KernelDmaSpace;
        Assert.That(c.Vbus.AssignDmaDomain(VirtualBus.WholeBusDomain, flags, dma), Is.Not.EqualTo(L4Error.Ok));
        Assert.That(nic.Write(0x10000, new byte[] { 7 }), Is.EqualTo(DmaStatus.NoDmaSpace), "nothing was bound");
        Assert.That(rig.Io.Task.Caps!.Enumerate().Count(ci => ci.Object is L4Re.Kernel.Objects.DmaSpace), Is.Zero,
            "io keeps no capability to a space it could not bind");
    }
}
