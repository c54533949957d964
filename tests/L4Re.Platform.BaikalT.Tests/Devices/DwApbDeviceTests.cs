using System.Buffers;
using L4Re.Platform.BaikalT.Devices;
using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Tests.Devices;

public class DwApbDeviceTests
{
    private const MmioWidth W = MmioWidth.Word;

    [Test]
    public void Uart_has_the_designware_identification_registers()
    {
        var u = new DwApbUart("uart1");
        Assert.Multiple(() =>
        {
            Assert.That(u.Read(DwApbUart.Ctr, W, 0), Is.EqualTo(0x4457_0110UL));
            Assert.That(u.Read(DwApbUart.Cpr, W, 0) & 3, Is.EqualTo(2UL), "APB data width 32 bit");
            Assert.That((u.Read(DwApbUart.Cpr, W, 0) >> 16) & 0xff, Is.EqualTo(1UL), "16-byte FIFOs");
            Assert.That(u.Read(DwApbUart.Usr, W, 0), Is.EqualTo((ulong)(DwApbUart.UsrTfnf | DwApbUart.UsrTfe)), "idle: not busy, TX FIFO empty");
        });
    }

    [Test]
    public void Uart_registers_are_four_bytes_apart_and_transmit_reaches_the_output()
    {
        var u = new DwApbUart("uart1");
        Assert.That(u.Read(5 << 2, W, 0) & Uart16550.LsrThre, Is.Not.Zero, "LSR at 0x14");
        foreach (var c in "hi\n")
            u.Write(0, W, c, 0);
        Assert.That(u.Output.TryRead(out var r), Is.True);
        Assert.That(System.Text.Encoding.ASCII.GetString(r.Buffer.FirstSpan), Is.EqualTo("hi\n"));
        u.Output.AdvanceTo(r.Buffer.End);
        Assert.That(u.Read(1, MmioWidth.Byte, 0), Is.Zero, "an offset that is not a register multiple reads 0");
    }

    [Test]
    public void Uart_receive_fifo_level_shows_in_usr_and_rfl_and_srr_clears_it()
    {
        var u = new DwApbUart("uart1");
        u.Write(2 << 2, W, Uart16550.FcrEnable, 0); // FIFOs on
        u.Input.Write("abc"u8);
        u.Input.FlushAsync().AsTask().Wait();
        u.Poll();
        Assert.That(u.Read(DwApbUart.Rfl, W, 0), Is.EqualTo(3UL));
        Assert.That(u.Read(DwApbUart.Usr, W, 0) & DwApbUart.UsrRfne, Is.Not.Zero);
        u.Write(DwApbUart.Srr, W, 2, 0); // RFR
        Assert.That(u.Read(DwApbUart.Rfl, W, 0), Is.Zero);
    }

    [Test]
    public void Timer_in_user_mode_reloads_and_raises_its_interrupt_every_period()
    {
        long now = 0;
        var t = new DwApbTimer("t0", () => now, clockHz: 1_000_000); // 1 µs per tick
        var lines = new List<bool>();
        t.InterruptLine = l => lines.Add(l);
        t.Write(DwApbTimer.LoadCount, W, 999, 0); // 1000 ticks = 1 ms
        t.Write(DwApbTimer.ControlReg, W, DwApbTimer.CtrlEnable | DwApbTimer.CtrlUserMode, 0);
        Assert.That(t.NextDeadlineNs, Is.EqualTo(1_000_000L));
        now = 400_000;
        Assert.That(t.Read(DwApbTimer.CurrentValue, W, 0), Is.EqualTo(599UL));
        now = 1_000_000;
        t.Poll();
        Assert.That(lines, Is.EqualTo(new[] { true }));
        Assert.That(t.Read(DwApbTimer.IntStatus, W, 0), Is.EqualTo(1UL));
        Assert.That(t.Read(DwApbTimer.Eoi, W, 0), Is.Zero);
        Assert.That(lines, Is.EqualTo(new[] { true, false }), "reading EOI clears the interrupt");
        Assert.That(t.NextDeadlineNs, Is.EqualTo(2_000_000L), "reloaded with LoadCount");
        now = 5_500_000;
        t.Poll();
        Assert.That(t.NextDeadlineNs, Is.EqualTo(6_000_000L), "phase kept across missed periods");
    }

    [Test]
    public void Timer_interrupt_mask_keeps_the_line_low_and_free_running_reloads_all_ones()
    {
        long now = 0;
        var t = new DwApbTimer("t0", () => now, clockHz: 1_000_000);
        var lines = new List<bool>();
        t.InterruptLine = l => lines.Add(l);
        t.Write(DwApbTimer.LoadCount, W, 9, 0);
        t.Write(DwApbTimer.ControlReg, W, DwApbTimer.CtrlEnable | DwApbTimer.CtrlIntMask, 0);
        now = 10_000;
        t.Poll();
        Assert.That(lines, Is.Empty);
        Assert.That(t.NextDeadlineNs, Is.EqualTo(10_000L + (long)(0x1_0000_0000UL * 1000)));
        t.Write(DwApbTimer.ControlReg, W, 0, 0);
        Assert.That(t.NextDeadlineNs, Is.Null);
    }

    [Test]
    public void Watchdog_resets_the_soc_after_its_timeout_unless_restarted()
    {
        long now = 0;
        var wdt = new DwWatchdog(() => now, clockHz: 65_536); // TOP 0: 2^16 cycles = 1 s
        string? reset = null;
        wdt.SystemReset = r => reset = r;
        wdt.Write(DwWatchdog.Torr, W, 0, 0);
        wdt.Write(DwWatchdog.Cr, W, DwWatchdog.CrEnable, 0);
        now = 900_000_000;
        wdt.Write(DwWatchdog.Crr, W, DwWatchdog.RestartKey, 0);
        wdt.Write(DwWatchdog.Crr, W, 0x12, 0); // wrong key: ignored
        now = 1_800_000_000;
        wdt.Poll();
        Assert.That(reset, Is.Null, "restarted at 0.9 s");
        wdt.Write(DwWatchdog.Cr, W, 0, 0);
        Assert.That(wdt.Enabled, Is.True, "WDT_EN cannot be cleared");
        now = 1_900_000_001;
        wdt.Poll();
        Assert.That(reset, Is.EqualTo("watchdog timeout"));
        Assert.That(wdt.Read(DwWatchdog.CompType, W, 0), Is.EqualTo(0x4457_0120UL));
    }

    [Test]
    public void Watchdog_in_interrupt_mode_interrupts_first_and_resets_on_the_second_timeout()
    {
        long now = 0;
        var wdt = new DwWatchdog(() => now, clockHz: 65_536);
        var lines = new List<bool>();
        wdt.InterruptLine = l => lines.Add(l);
        wdt.Write(DwWatchdog.Cr, W, DwWatchdog.CrEnable | DwWatchdog.CrRmod, 0);
        now = 1_000_000_000;
        wdt.Poll();
        Assert.That(lines, Is.EqualTo(new[] { true }));
        Assert.That(wdt.ResetRequested, Is.False);
        wdt.Read(DwWatchdog.Eoi, W, 0);
        Assert.That(lines, Is.EqualTo(new[] { true, false }));
        now = 3_000_000_000;
        wdt.Poll();
        Assert.That(wdt.ResetRequested, Is.True);
    }
}
