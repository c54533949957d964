using L4Re.Io;
using L4Re.Io.Dma;
using L4Re.Kernel;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Memory;
using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Devices;
using L4Re.Platform.BaikalT.Soc;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Uvmm.Vz;

namespace L4Re.Platform.BaikalT.Tests.Devices;

public class BoardTests
{
    [Test]
    public void The_guest_sees_the_p5600_configuration_the_vcpu_implements()
    {
        var vcpu = new Vcpu(new DataspaceSecondStage(), new VcpuOptions { TlbEntries = P5600Core.VtlbEntries });
        for (var i = 0; i <= 5; i++)
            Assert.That(vcpu.State.GetConfig(i), Is.EqualTo(P5600Core.GuestConfig[i]), $"Config{i}");
        Assert.Multiple(() =>
        {
            Assert.That(P5600Core.GuestConfig3 & ~P5600Core.HostConfig3, Is.Zero, "the guest sees no feature the hardware lacks");
            Assert.That(P5600Core.HiddenFromGuest & P5600Core.Config3Vz, Is.Not.Zero);
            Assert.That(P5600Core.HiddenFromGuest & P5600Core.Config3Msa, Is.Not.Zero);
            Assert.That(P5600Core.GuestConfig1 & 1, Is.Zero, "Config1.FP = 0");
            Assert.That(P5600Core.ProcessorId, Is.EqualTo(L4Re.Uvmm.Mips.P5600Guest.PrId));
        });
    }

    [Test]
    public void The_board_io_configuration_loads_and_puts_the_nic_on_the_wifi_vbus_only()
    {
        var k = new Microkernel();
        var board = new BaikalT1Board(k);
        var io = new IoServer(k, DmaMode.CpuPhys);
        io.Load(BoardIoConfig.Router());
        board.AttachIo(io);
        Assert.Multiple(() =>
        {
            Assert.That(io.OwnerOf(BoardIoConfig.WifiDevice)?.Name, Is.EqualTo(BoardIoConfig.WifiVbus));
            Assert.That(io.FindVbus(BoardIoConfig.OpenWrtVbus)!.Devices.Select(d => d.Name), Is.EquivalentTo(new[] { "uart1", "gmac0", "gmac1" }));
            Assert.That(io.OwnerOf("uart0"), Is.Null, "UART0 stays with L4Re");
            Assert.That(io.OwnerOf("watchdog"), Is.Null);
            Assert.That(board.Nic.Dma, Is.Not.Null);
            Assert.That(io.Hardware.Devices.Select(d => d.Name), Does.Contain("timers").And.Contain("sata").And.Contain("pcie"));
        });
        // io reuses the platform's register files.
        Assert.That(io.GetDeviceMemory(BoardIoConfig.WifiDevice, "bar0", out var ds, out var off), Is.EqualTo(L4Error.Ok));
        Assert.That(ds, Is.SameAs(board.Nic.RegisterFile));
        Assert.That(off, Is.Zero);
    }

    [Test]
    public void Ram_must_be_placed_in_dram()
    {
        var board = new BaikalT1Board(new Microkernel());
        Assert.Throws<ArgumentException>(() => board.PlaceRam(new Dataspace(1 << 20), 0x1000_0000));
        Assert.Throws<ArgumentException>(() => board.PlaceRam(new Dataspace(2 << 20), 0x07f0_0000), "crosses the end of low DRAM");
        board.PlaceRam(new Dataspace(1 << 20), 0x2000_0000);
    }

    [Test]
    public void The_nic_interrupt_drives_kernel_icu_pin_80()
    {
        var k = new Microkernel();
        var board = new BaikalT1Board(k);
        var irq = k.RootFactory.CreateIrq();
        var t = k.RootFactory.CreateThread();
        t.Bind(k.RootFactory.CreateTask());
        t.Drive();
        irq.Bind(t, 0x99);
        Assert.That(k.Icu.Bind(BoardIoConfig.WifiIrq, irq), Is.EqualTo(L4Error.Ok));
        var nic = board.Nic;
        nic.Write(WifiNicRegisters.IntMask, L4Re.Uvmm.Vmm.MmioWidth.Word, WifiNicRegisters.IntAll, 0);
        nic.Write(WifiNicRegisters.ChanFreq, L4Re.Uvmm.Vmm.MmioWidth.Word, 5_260_000, 0);
        nic.Write(WifiNicRegisters.ChanCenter, L4Re.Uvmm.Vmm.MmioWidth.Word, 5_260_000, 0);
        nic.Write(WifiNicRegisters.ChanWidth, L4Re.Uvmm.Vmm.MmioWidth.Word, 20, 0);
        nic.Write(WifiNicRegisters.Ctrl, L4Re.Uvmm.Vmm.MmioWidth.Word, WifiNicRegisters.CtrlEnable | WifiNicRegisters.CtrlRadarDetect, 0);
        nic.RadarPulse(5_260_000);
        var r = t.Wait(new TimeoutPair(L4Timeout.Never, L4Timeout.Zero));
        Assert.That(r.HasError, Is.False, r.ToString());
        Assert.That(r.Label, Is.EqualTo(0x99UL));
    }

    [Test]
    public void Timer_interrupts_arrive_on_the_kernel_clock()
    {
        var k = new Microkernel();
        var board = new BaikalT1Board(k);
        var irq = k.RootFactory.CreateIrq();
        var t = k.RootFactory.CreateThread();
        t.Bind(k.RootFactory.CreateTask());
        t.Drive();
        irq.Bind(t, 0x24);
        k.Icu.Bind(24, irq);
        var timers = board.Devices.Find(k.PhysicalMemory.Regions.Single(r => r.Base == 0x1f04_9000).Dataspace)!;
        timers.Write(DwApbTimer.LoadCount, L4Re.Uvmm.Vmm.MmioWidth.Word, 25_000 - 1, 0); // 1 ms at 25 MHz
        timers.Write(DwApbTimer.ControlReg, L4Re.Uvmm.Vmm.MmioWidth.Word, DwApbTimer.CtrlEnable | DwApbTimer.CtrlUserMode, 0);
        var r = t.Wait();
        Assert.That(r.Label, Is.EqualTo(0x24UL));
        Assert.That(k.Now, Is.EqualTo(1_000_000L), "the timer fired at 1 ms of virtual time");
    }

    [Test]
    public void A_native_task_reaches_device_registers_only_through_its_own_mapping()
    {
        var k = new Microkernel();
        var board = new BaikalT1Board(k);
        var task = k.RootFactory.CreateTask("t");
        var mmio = new MmioAccessor(task, board.Devices);
        Assert.Throws<MmioFaultException>(() => mmio.Read32(0x6000_0000), "nothing mapped");
        task.Map(k.Sigma0, Fpage.Memory(BoardIoConfig.WifiBar0, 12, MemRights.R), 0x6000_0000);
        Assert.That(mmio.Read32(0x6000_0000), Is.EqualTo(WifiNicRegisters.IdValue));
        var ex = Assert.Throws<MmioFaultException>(() => mmio.Write32(0x6000_0000 + WifiNicRegisters.TxPower, 9999));
        Assert.That(ex!.Message, Does.Contain("read-only"));
        Assert.That(board.Nic.State.TxPowerMbm, Is.Zero);
        Assert.Throws<MmioFaultException>(() => mmio.Read32(0x6000_0002), "unaligned");
    }
}
