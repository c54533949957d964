using System.Text;
using FsCheck;
using FsCheck.Fluent;
using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Tests.Vmm;
using L4Re.Uvmm.Vmm;
using static L4Re.Uvmm.Devices.Uart16550;

namespace L4Re.Uvmm.Tests.Devices;

/// <summary>The 16550 behaviour drivers/tty/serial/8250/8250_port.c relies on.</summary>
public class UartTests
{
    private static (Uart16550 Uart, FakeController Ic) Make(int shift = 0, IVmClock? clock = null)
    {
        var ic = new FakeController();
        var uart = new Uart16550(new UartOptions(shift, shift == 2 ? 4 : 1), new IrqSink(ic, 9), clock);
        return (uart, ic);
    }

    private static byte R(Uart16550 u, int reg, int shift = 0) => (byte)u.Read((ulong)(reg << shift), shift == 2 ? MmioWidth.Word : MmioWidth.Byte, 0);
    private static void W(Uart16550 u, int reg, byte v, int shift = 0) => u.Write((ulong)(reg << shift), shift == 2 ? MmioWidth.Word : MmioWidth.Byte, v, 0);

    private static void Feed(Uart16550 u, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        bytes.CopyTo(u.Input.GetSpan(bytes.Length));
        u.Input.Advance(bytes.Length);
        u.Input.FlushAsync().AsTask().GetAwaiter().GetResult();
    }

    [Test]
    public void Transmitted_bytes_reach_the_output_pipe()
    {
        var (u, _) = Make(shift: 2);
        foreach (var c in "Linux version 6.1\n")
            W(u, RegRbrThr, (byte)c, 2);
        var t = new ConsoleTranscript();
        t.Drain(u.Output);
        Assert.That(t.Text, Is.EqualTo("Linux version 6.1\n"));
        Assert.That(R(u, RegLsr, 2) & (LsrThre | LsrTemt), Is.EqualTo(LsrThre | LsrTemt));
    }

    [Test]
    public void Lsr_safety_check_and_startup_reads()
    {
        var (u, _) = Make();
        Assert.That(R(u, RegLsr), Is.Not.EqualTo(0xff), "serial8250_do_startup: LSR safety check");
        Assert.That(R(u, RegIirFcr) & IirNoInt, Is.EqualTo(IirNoInt));
    }

    [Test]
    public void Thre_is_reasserted_when_ier_thri_is_set_again()
    {
        // serial8250_do_startup's UART_BUG_THRE test.
        var (u, ic) = Make();
        W(u, RegIer, IerThri);
        var iir1 = R(u, RegIirFcr);
        W(u, RegIer, 0);
        W(u, RegIer, IerThri);
        var iir = R(u, RegIirFcr);
        W(u, RegIer, 0);
        Assert.That(iir1 & 0x0f, Is.EqualTo(IirThri));
        Assert.That(iir & 0x0f, Is.EqualTo(IirThri), "a real 16550 reasserts THRE: no UART_BUG_THRE");
        Assert.That(ic.Level[9], Is.Zero);
    }

    [Test]
    public void Reading_iir_clears_thre_and_a_thr_write_rearms_it()
    {
        var (u, ic) = Make();
        W(u, RegIer, IerThri);
        Assert.That(ic.Level[9], Is.EqualTo(1));
        Assert.That(R(u, RegIirFcr) & 0x0f, Is.EqualTo(IirThri));
        Assert.That(ic.Level[9], Is.Zero);
        Assert.That(R(u, RegIirFcr) & 0x0f, Is.EqualTo(IirNoInt));
        W(u, RegRbrThr, (byte)'x');
        Assert.That(ic.Level[9], Is.EqualTo(1), "THR empties again at once");
    }

    [Test]
    public void Divisor_latch_and_lcr()
    {
        var (u, _) = Make();
        W(u, RegLcr, LcrDlab | 0x03);
        W(u, RegRbrThr, 1); // DLL: 115200 baud at 1.8432 MHz
        W(u, RegIer, 0);
        Assert.That(R(u, RegRbrThr), Is.EqualTo(1));
        W(u, RegLcr, 0x03);
        Assert.That(u.Divisor, Is.EqualTo(1));
        Assert.That(u.BaudRate, Is.EqualTo(115200));
        Assert.That(u.CharacterTimeNs(), Is.EqualTo((ulong)(10 * 1e9 / 115200)), "8N1: 10 bit times");
        var t = new ConsoleTranscript();
        t.Drain(u.Output);
        Assert.That(t.Length, Is.Zero, "DLL writes are not transmitted");
    }

    [Test]
    public void Fifo_trigger_level_and_character_timeout()
    {
        var (u, ic) = Make();
        W(u, RegIirFcr, FcrEnable | FcrClearRx | FcrClearTx | 0x80); // 16550A: UART_FCR_R_TRIG_10 = 8 bytes
        W(u, RegIer, IerRdi);
        Feed(u, "abc");
        u.Poll();
        Assert.That(u.RxCount, Is.EqualTo(3));
        Assert.That(ic.Level[9], Is.Zero, "below the trigger level");
        Assert.That(R(u, RegLsr) & LsrDr, Is.EqualTo(LsrDr));
        u.Poll(); // no new input: the line is idle -> timeout
        Assert.That(R(u, RegIirFcr), Is.EqualTo(IirFifos | IirTimeout));
        Assert.That(ic.Level[9], Is.EqualTo(1));
        Assert.That((char)R(u, RegRbrThr), Is.EqualTo('a'));
        Assert.That(ic.Level[9], Is.Zero, "reading RBR resets the timeout");
        Feed(u, "defghijk");
        u.Poll();
        Assert.That(R(u, RegIirFcr), Is.EqualTo(IirFifos | IirRdi), "10 bytes >= trigger 8");
        var received = new StringBuilder();
        while ((R(u, RegLsr) & LsrDr) != 0)
            received.Append((char)R(u, RegRbrThr));
        Assert.That(received.ToString(), Is.EqualTo("bcdefghijk"));
        Assert.That(ic.Level[9], Is.Zero);
    }

    [Test]
    public void Timeout_waits_four_character_times_with_a_clock()
    {
        var clock = new ManualClock();
        var (u, ic) = Make(clock: clock);
        W(u, RegLcr, LcrDlab | 3);
        W(u, RegRbrThr, 1);
        W(u, RegLcr, 3);
        W(u, RegIirFcr, FcrEnable | 0xc0);
        W(u, RegIer, IerRdi);
        Feed(u, "x");
        u.Poll();
        clock.Advance(3 * u.CharacterTimeNs());
        u.Poll();
        Assert.That(ic.Level[9], Is.Zero);
        clock.Advance(u.CharacterTimeNs());
        u.Poll();
        Assert.That(ic.Level[9], Is.EqualTo(1));
    }

    [Test]
    public void Input_waits_in_the_pipe_instead_of_overrunning()
    {
        var (u, _) = Make();
        W(u, RegIirFcr, FcrEnable);
        var text = string.Concat(Enumerable.Range(0, 50).Select(i => (char)('A' + i % 26)));
        Feed(u, text);
        var got = new StringBuilder();
        for (var round = 0; round < 10 && got.Length < text.Length; round++)
        {
            u.Poll();
            Assert.That(u.RxCount, Is.LessThanOrEqualTo(FifoSize));
            while ((R(u, RegLsr) & LsrDr) != 0)
                got.Append((char)R(u, RegRbrThr));
        }
        Assert.That(got.ToString(), Is.EqualTo(text));
        Assert.That(R(u, RegLsr) & LsrOe, Is.Zero);
    }

    [Test]
    public void Without_fifo_the_holding_register_takes_one_byte()
    {
        var (u, ic) = Make();
        W(u, RegIer, IerRdi);
        Feed(u, "xy");
        u.Poll();
        Assert.That(u.RxCount, Is.EqualTo(1));
        Assert.That(R(u, RegIirFcr), Is.EqualTo(IirRdi), "no FIFO bits in IIR");
        Assert.That(ic.Level[9], Is.EqualTo(1));
    }

    [Test]
    public void Loopback_returns_data_and_modem_lines_as_autoconfig_expects()
    {
        var (u, _) = Make();
        W(u, RegMcr, McrLoop | 0x0a); // autoconfig: UART_MCR_LOOP | 0x0A
        Assert.That(R(u, RegMsr) & 0xf0, Is.EqualTo(0x90), "DCD|CTS");
        W(u, RegRbrThr, 0x5a);
        Assert.That(R(u, RegLsr) & LsrDr, Is.EqualTo(LsrDr));
        Assert.That(R(u, RegRbrThr), Is.EqualTo(0x5a));
        var t = new ConsoleTranscript();
        t.Drain(u.Output);
        Assert.That(t.Length, Is.Zero, "loopback data does not leave the UART");
        W(u, RegMcr, 0);
        Assert.That(R(u, RegMsr) & 0xf0, Is.EqualTo(MsrCts | MsrDsr | MsrDcd), "out of loopback: a connected line");
    }

    [Test]
    public void Loopback_overrun_sets_oe_and_line_status_interrupt_until_lsr_is_read()
    {
        var (u, ic) = Make();
        W(u, RegMcr, McrLoop);
        W(u, RegIer, IerRlsi);
        W(u, RegRbrThr, 1);
        W(u, RegRbrThr, 2); // no FIFO: overrun
        Assert.That(R(u, RegIirFcr) & 0x0f, Is.EqualTo(IirRlsi));
        Assert.That(ic.Level[9], Is.EqualTo(1));
        Assert.That(R(u, RegLsr) & LsrOe, Is.EqualTo(LsrOe));
        Assert.That(R(u, RegLsr) & LsrOe, Is.Zero, "reading LSR clears OE");
        Assert.That(ic.Level[9], Is.Zero);
    }

    [Test]
    public void Modem_status_interrupt_on_loopback_line_changes()
    {
        var (u, ic) = Make();
        W(u, RegMcr, McrLoop);
        R(u, RegMsr); // clear the deltas of entering loopback
        W(u, RegIer, IerMsi);
        Assert.That(ic.Level[9], Is.Zero);
        W(u, RegMcr, McrLoop | McrRts);
        Assert.That(R(u, RegIirFcr) & 0x0f, Is.EqualTo(IirMsi));
        Assert.That(ic.Level[9], Is.EqualTo(1));
        Assert.That(R(u, RegMsr) & MsrDcts, Is.EqualTo(MsrDcts));
        Assert.That(ic.Level[9], Is.Zero);
    }

    [Test]
    public void Scratch_register_and_reg_shift_spacing()
    {
        var (u, _) = Make(shift: 2);
        W(u, RegScr, 0xa5, 2);
        Assert.That(R(u, RegScr, 2), Is.EqualTo(0xa5));
        Assert.That(u.Read(0x1d, MmioWidth.Byte, 0), Is.Zero, "bytes between registers");
        u.Write(0x1d, MmioWidth.Byte, 0x11, 0);
        Assert.That(R(u, RegScr, 2), Is.EqualTo(0xa5));
        Assert.That(u.Read(0x40, MmioWidth.Word, 0), Is.Zero, "beyond the 8 registers");
    }

    [Test]
    public async Task Console_pumps_to_text_writer_and_logger()
    {
        var (u, _) = Make();
        foreach (var b in Encoding.UTF8.GetBytes("héllo\nworld\n"))
            W(u, RegRbrThr, b);
        var sw = new StringWriter();
        var pump = ConsolePump.ToTextWriterAsync(u.Output, sw);
        await Task.Delay(50);
        u.Output.CancelPendingRead();
        await pump;
        Assert.That(sw.ToString(), Is.EqualTo("héllo\nworld\n"));

        var (u2, _) = Make();
        foreach (var c in "one\ntwo\npartial")
            W(u2, RegRbrThr, (byte)c);
        var logger = new ListLogger();
        var done = ConsolePump.ToLoggerAsync(u2.Output, logger);
        await Task.Delay(50);
        u2.Output.CancelPendingRead();
        await done;
        Assert.That(logger.Lines, Is.EqualTo(new[] { "guest: one", "guest: two", "guest: partial" }));
    }

    [FsCheck.NUnit.Property(MaxTest = 2000, Replay = "20260702,15")]
    public Property Any_register_access_sequence_is_harmless(byte[] ops)
    {
        var (u, _) = Make();
        for (var i = 0; i + 1 < ops.Length; i += 2)
        {
            var reg = ops[i] & 7;
            if ((ops[i] & 0x80) != 0)
                W(u, reg, ops[i + 1]);
            else
                R(u, reg);
            if ((ops[i] & 0x40) != 0)
                u.Poll();
        }
        return (u.RxCount <= FifoSize).ToProperty();
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
