using L4Re.Io.Ipc;
using L4Re.Io.Tests;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Boot;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Native;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Tests;

/// <summary>
/// io's device windows are the kernel's I/O memory, claimed by io: sigma0 gives them to nobody else, bus masters
/// without an IOMMU do not reach them, and a window io cannot claim is refused without leaving anything behind.
/// </summary>
public class IoMemoryTests
{
    private const ulong Bar0 = 0x0800_0000;
    private const ulong Uart1 = 0x1f04_b000;
    private const ulong Window = 0x4000_0000;

    private static (BootedSystem Sys, IoServer Io, Dataspace UartRegs) Boot()
    {
        var regs = new Dataspace(0x1000, "uart1-regs");
        var sys = new SystemBuilder()
            .WithOptions(new KernelOptions { IcuPins = 2048 })
            .WithRam(new Dataspace(64 * Rig.Page, "ram"), 0)
            .WithIoMemory(regs, Uart1)
            .Build();
        var io = new IoServer(sys.Kernel);
        io.Load(TestConfigs.Baikal);
        return (sys, io, regs);
    }

    /// <summary>A task with a host-driven thread: a vbus client (slot 0x10) and a sigma0 client (slot 4).</summary>
    private static (L4Task Task, L4Thread Thread, L4Re.Io.Client.VbusClient Vbus) Task(BootedSystem sys, string name, ulong label)
    {
        var k = sys.Kernel;
        var task = k.RootFactory.CreateTask(name);
        var thread = k.RootFactory.CreateThread(name);
        thread.Bind(task);
        thread.Drive();
        task.InsertCapability((ulong)BootCap.Pager, k.RootFactory.CreateGate(sys.Sigma0Thread, label), CapRights.RW);
        return (task, thread, new L4Re.Io.Client.VbusClient(thread, Rig.VbusSlot));
    }

    private static MsgTag Sigma0(L4Thread t, ulong request, ulong address)
    {
        L4Sys.ReceiveMemory(t.Utcb, Fpage.Memory(Window, 24, MemRights.RWX));
        t.Utcb.Mr[0] = request;
        t.Utcb.Mr[1] = Fpage.Memory(address, 12, MemRights.RWX).Raw;
        return t.Call(CapSel.FromBoot(BootCap.Pager), MsgTag.Of(ProtocolLabel.Sigma0, 2)).Tag;
    }

    [Test]
    public void Io_claims_its_device_windows_so_sigma0_hands_them_to_nobody_else()
    {
        var (sys, io, _) = Boot();
        var (drv, _, vbus) = Task(sys, "wifi-drv", 0x100);
        var (_, snoop, _) = Task(sys, "snoop", 0x200);
        io.Connect("wifi_drv", drv, Rig.VbusSlot);

        // Before io maps the NIC's BAR nothing is there; after, it is I/O memory claimed by io.
        Assert.That(sys.Kernel.PhysicalMemory.FindRegion(Bar0), Is.Null);
        Assert.That(vbus.MapMmio(Bar0 + 0x3000, 0x6000_3000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Ok));
        var region = sys.Kernel.PhysicalMemory.FindRegion(Bar0)!;
        Assert.That((region.Kind, region.Base, region.End), Is.EqualTo((PhysicalMemoryKind.IoMemory, Bar0, Bar0 + 0x20_0000)));
        Assert.That(sys.Kernel.PhysicalMemory.ClaimantOf(Bar0 + 0x1f_f000), Is.SameAs(io.Task), "the whole window is claimed");

        // Another sigma0 client gets none of it: not as I/O memory, not as RAM, not on a page fault.
        Assert.That(Sigma0(snoop, Sigma0Pager.RequestFpageIomem, Bar0 + 0x3000).ResultError, Is.EqualTo(L4Error.NoMem));
        Assert.That(Sigma0(snoop, Sigma0Pager.RequestFpageIomem, Bar0 + 0x8000).ResultError, Is.EqualTo(L4Error.NoMem), "a page io has not mapped yet");
        Assert.That(Sigma0(snoop, Sigma0Pager.RequestFpageRam, Bar0).ResultError, Is.EqualTo(L4Error.NoMem));
        Assert.That(snoop.Task!.Memory.Count, Is.Zero);

        // The window of a device on no vbus is no one's yet: sigma0 serves it as I/O memory, and never as RAM.
        Assert.That(Sigma0(snoop, Sigma0Pager.RequestFpageRam, Uart1).ResultError, Is.EqualTo(L4Error.NoMem));
        Assert.That(Sigma0(snoop, Sigma0Pager.RequestFpageIomem, Uart1).Items, Is.EqualTo(1u));
    }

    [Test]
    public void A_window_someone_else_took_from_sigma0_is_refused_and_nothing_is_left_behind()
    {
        var (sys, io, regs) = Boot();
        var pm = sys.Kernel.PhysicalMemory;
        var (owrt, _, vbus) = Task(sys, "openwrt", 0x100);
        var (_, snoop, _) = Task(sys, "snoop", 0x200);
        io.Connect("openwrt", owrt, Rig.VbusSlot);
        Assert.That(Sigma0(snoop, Sigma0Pager.RequestFpageIomem, Uart1).Items, Is.EqualTo(1u), "the snoop maps uart1's registers first");
        var regions = pm.Regions.Count;

        Assert.That(vbus.MapMmio(Uart1, 0x6000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Busy));
        Assert.That(pm.ClaimantOf(Uart1), Is.Null);
        Assert.That(owrt.Memory.Count, Is.Zero);
        Assert.That(pm.Regions.Count, Is.EqualTo(regions));

        // Once the snoop lets go, io claims the register file the platform placed and maps it.
        snoop.Task!.Unmap(Fpage.Memory(Window, 24, MemRights.RWX), UnmapFlags.AllSpaces);
        Assert.That(vbus.MapMmio(Uart1, 0x6000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Ok));
        Assert.That(owrt.Memory.TryTranslate(0x6000_0010, out var t) && ReferenceEquals(t.Dataspace, regs), Is.True);
        Assert.That(pm.ClaimantOf(Uart1), Is.SameAs(io.Task));
        Assert.That(Sigma0(snoop, Sigma0Pager.RequestFpageIomem, Uart1).ResultError, Is.EqualTo(L4Error.NoMem));
    }

    [Test]
    public void A_refused_window_with_a_hole_leaves_no_io_memory_behind()
    {
        // The platform placed the second page of a two-page window; a snoop maps it from sigma0 before io.
        var tail = new Dataspace(0x1000, "tail");
        var sys = new SystemBuilder().WithRam(new Dataspace(16 * Rig.Page, "ram"), 0).WithIoMemory(tail, 0x1f10_1000).Build();
        var io = new IoServer(sys.Kernel);
        io.LoadText("device big {\n mmio reg0 = 0x1f100000 + 0x2000\n}\nvbus v { device big }");
        var (owner, _, vbus) = Task(sys, "owner", 0x100);
        var (_, snoop, _) = Task(sys, "snoop", 0x200);
        io.Connect("v", owner, Rig.VbusSlot);
        Assert.That(Sigma0(snoop, Sigma0Pager.RequestFpageIomem, 0x1f10_1000).Items, Is.EqualTo(1u));
        Assert.That(vbus.MapMmio(0x1f10_0000, 0x6000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Busy));
        Assert.That(sys.Kernel.PhysicalMemory.FindRegion(0x1f10_0000), Is.Null, "the hole io filled is removed again");
        Assert.That(io.GetDeviceMemory("big", "reg0", out _, out _), Is.EqualTo(L4Error.Busy));
        Assert.That(sys.Kernel.PhysicalMemory.Regions, Has.Count.EqualTo(2));
    }

    [Test]
    public void Removing_a_device_window_from_physical_memory_revokes_the_clients_mapping_and_io_places_it_again()
    {
        var (sys, io, _) = Boot();
        var (drv, _, vbus) = Task(sys, "wifi-drv", 0x100);
        io.Connect("wifi_drv", drv, Rig.VbusSlot);
        Assert.That(vbus.MapMmio(Bar0, 0x6000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Ok));
        var placed = sys.Kernel.PhysicalMemory.FindRegion(Bar0)!.Dataspace;
        Assert.That(sys.Kernel.PhysicalMemory.Remove(placed), Is.True);
        Assert.That(drv.Memory.Count + io.Task.Memory.Enumerate().Count(n => n.Region?.Dataspace == placed), Is.Zero);
        Assert.That(vbus.MapMmio(Bar0, 0x6000_0000, DataspaceMapFlags.RW, null, out _), Is.EqualTo(L4Error.Ok));
        Assert.That(drv.Memory.TryTranslate(0x6000_0000, out var t) && !ReferenceEquals(t.Dataspace, placed), Is.True, "fresh I/O memory");
    }
}
