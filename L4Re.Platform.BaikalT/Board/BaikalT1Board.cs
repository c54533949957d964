using L4Re.Io;
using L4Re.Kernel;
using L4Re.Kernel.Memory;
using L4Re.Kernel.Scheduling;
using L4Re.Platform.BaikalT.Devices;
using L4Re.Platform.BaikalT.Soc;
using L4Re.Platform.BaikalT.Time;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Uvmm.Vmm;
using Microsoft.Extensions.Logging;

namespace L4Re.Platform.BaikalT.Board;

/// <summary>
/// The Baikal-T1 board on a kernel: the peripherals with models (DW APB UART0/1, the three DW APB timers, the DW
/// watchdog, the Wi-Fi NIC on PCIe) have their register files placed at their physical addresses and registered in
/// <see cref="Devices"/>; their interrupt outputs drive the kernel ICU's pins (pin = GIC shared interrupt); the
/// timers and the watchdog run on the kernel's virtual clock. DRAM is placed by <see cref="PlaceRam"/> (the router
/// carves it into the regions its components get). Other peripherals are only io devices (io backs their windows with
/// plain memory when a client maps them).
/// </summary>
public sealed class BaikalT1Board
{
    private readonly DeviceTimer _timer;

    /// <summary>Creates the board on <paramref name="kernel"/>.</summary>
    public BaikalT1Board(Microkernel kernel, ILoggerFactory? loggerFactory = null)
    {
        Kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        Irqs = new KernelIcuLines(kernel.Icu);
        Clock = new KernelVmClock(kernel);
        Func<long> now = () => kernel.Now;

        Uart0 = new DwApbUart("uart0", clock: Clock);
        Uart1 = new DwApbUart("uart1", clock: Clock);
        Uart0.Uart.Irq = new IrqSink(Irqs, BaikalT1MemoryMap.Uart0.Irqs[0]);
        Uart1.Uart.Irq = new IrqSink(Irqs, BaikalT1MemoryMap.Uart1.Irqs[0]);
        Timers = new DwApbTimerBlock(now);
        var timersBlock = Block("timers");
        for (var i = 0; i < DwApbTimerBlock.Count; i++)
            Timers.Timers[i].InterruptLine = Irqs.Line(timersBlock.Irqs[i]);
        Watchdog = new DwWatchdog(now) { InterruptLine = Irqs.Line(Block("watchdog").Irqs[0]) };
        Watchdog.SystemReset = reason => ResetReason ??= reason;
        Nic = new WifiNic(new Dataspace((long)WifiNicRegisters.WindowSize, "wifi-bar0"), now, loggerFactory)
        {
            InterruptLine = Irqs.Line((int)BoardIoConfig.WifiIrq),
        };

        _timer = new DeviceTimer(this);
        Place(BaikalT1MemoryMap.Uart0.Base, Page(DwApbUart.WindowSize, "uart0-regs"), Uart0);
        Place(BaikalT1MemoryMap.Uart1.Base, Page(DwApbUart.WindowSize, "uart1-regs"), Uart1);
        Place(timersBlock.Base, Page(timersBlock.Size, "timers-regs"), new TimedDevice(Timers, _timer.Rearm));
        Place(Block("watchdog").Base, Page(DwWatchdog.WindowSize, "watchdog-regs"), new TimedDevice(Watchdog, _timer.Rearm));
        Place(BoardIoConfig.WifiBar0, Nic.RegisterFile, Nic);
    }

    /// <summary>The kernel.</summary>
    public Microkernel Kernel { get; }

    /// <summary>Register files of the modelled peripherals.</summary>
    public DeviceMemoryMap Devices { get; } = new();

    /// <summary>Interrupt wiring into the kernel ICU.</summary>
    public KernelIcuLines Irqs { get; }

    /// <summary>The kernel's virtual clock as devices see it.</summary>
    public KernelVmClock Clock { get; }

    /// <summary>UART0 (L4Re's console).</summary>
    public DwApbUart Uart0 { get; }

    /// <summary>UART1 (the OpenWrt console, passed through to its VM).</summary>
    public DwApbUart Uart1 { get; }

    /// <summary>The DW APB timers.</summary>
    public DwApbTimerBlock Timers { get; }

    /// <summary>The watchdog.</summary>
    public DwWatchdog Watchdog { get; }

    /// <summary>The Wi-Fi NIC.</summary>
    public WifiNic Nic { get; }

    /// <summary>Why the SoC was reset (the watchdog fired), or null.</summary>
    public string? ResetReason { get; private set; }

    /// <summary>Places <paramref name="dataspace"/> as DRAM at <paramref name="physicalAddress"/>.</summary>
    /// <exception cref="ArgumentException">Not inside the low or high DRAM, or overlapping.</exception>
    public void PlaceRam(Dataspace dataspace, ulong physicalAddress)
    {
        ArgumentNullException.ThrowIfNull(dataspace);
        var end = physicalAddress + (ulong)dataspace.Size;
        var inside = new[] { BaikalT1MemoryMap.LowDram, BaikalT1MemoryMap.HighDram }.Any(b => physicalAddress >= b.Base && end <= b.End);
        if (!inside)
            throw new ArgumentException($"{dataspace} at 0x{physicalAddress:x} is not inside the Baikal-T1 DRAM (0-128 MiB, 0x20000000 + 256 MiB)", nameof(physicalAddress));
        Kernel.PhysicalMemory.Add(dataspace, physicalAddress);
    }

    /// <summary>Connects the board to io after io loaded its configuration: the NIC masters DMA through io's DMA engine.</summary>
    public void AttachIo(IoServer io)
    {
        ArgumentNullException.ThrowIfNull(io);
        Nic.Dma = io.GetDmaEngine(BoardIoConfig.WifiDevice);
    }

    /// <summary>Runs the time-driven devices up to the kernel's now.</summary>
    public void Poll()
    {
        Timers.Poll();
        Watchdog.Poll();
        Uart0.Poll();
        Uart1.Poll();
        _timer.Rearm();
    }

    private static SocBlock Block(string name) => BaikalT1MemoryMap.Blocks.Single(b => b.Name == name);

    private static Dataspace Page(ulong size, string name) =>
        new((long)((size + Dataspace.PageSize - 1) & ~(ulong)(Dataspace.PageSize - 1)), name);

    private void Place(ulong physical, Dataspace registers, IMmioDevice device)
    {
        Kernel.PhysicalMemory.Add(registers, physical, PhysicalMemoryKind.IoMemory);
        Devices.Register(registers, device);
    }

    /// <summary>A device whose accesses can change its next deadline.</summary>
    private sealed class TimedDevice(IMmioDevice inner, Action after) : IMmioDevice
    {
        public string DeviceName => inner.DeviceName;

        public ulong Read(ulong offset, MmioWidth width, int vcpu)
        {
            var v = inner.Read(offset, width, vcpu);
            after();
            return v;
        }

        public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
        {
            inner.Write(offset, width, value, vcpu);
            after();
        }
    }

    /// <summary>Fires at the earliest deadline of the timers and the watchdog.</summary>
    private sealed class DeviceTimer(BaikalT1Board board) : KernelTimer
    {
        public void Rearm()
        {
            var next = Min(board.Timers.NextDeadlineNs, board.Watchdog.NextDeadlineNs);
            if (next is { } at)
            {
                if (!IsArmed || Deadline != at)
                    board.Kernel.ArmTimer(this, Math.Max(at, board.Kernel.Now));
            }
            else if (IsArmed)
            {
                Microkernel.CancelTimer(this);
            }
        }

        protected override void Fire()
        {
            board.Timers.Poll();
            board.Watchdog.Poll();
            Rearm();
        }

        private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
    }
}
