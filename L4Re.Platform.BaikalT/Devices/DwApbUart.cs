using System.IO.Pipelines;
using L4Re.Uvmm.Devices;
using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Devices;

/// <summary>
/// The Synopsys DesignWare APB UART of the Baikal-T1 (<c>snps,dw-apb-uart</c>, UART0 at 0x1f04a000 and UART1 at
/// 0x1f04b000): a 16550A with 32-bit registers at a stride of four bytes (<c>reg-shift = 2</c>,
/// <c>reg-io-width = 4</c>), here the SDK's <see cref="Uart16550"/>, plus the DesignWare registers Linux's
/// <c>8250_dw</c> driver reads: USR (0x7c, busy/FIFO status), TFL/RFL (0x80/0x84), SRR (0x88, software reset of
/// the FIFOs), CPR (0xf4, component parameters), UCV (0xf8) and CTR (0xfc, the DesignWare peripheral id
/// 0x44570110). The UART is never busy, so IIR never reports "busy detect".
/// Sources: Linux <c>drivers/tty/serial/8250/8250_dw.c</c>, <c>8250_dwlib.c</c> (register offsets, CPR fields).
/// </summary>
public sealed class DwApbUart : IMmioDevice
{
    /// <summary>Size of the register window.</summary>
    public const ulong WindowSize = 0x100;

    /// <summary>UART status register.</summary>
    public const ulong Usr = 0x7c;
    /// <summary>Transmit FIFO level.</summary>
    public const ulong Tfl = 0x80;
    /// <summary>Receive FIFO level.</summary>
    public const ulong Rfl = 0x84;
    /// <summary>Software reset register.</summary>
    public const ulong Srr = 0x88;
    /// <summary>Component parameter register.</summary>
    public const ulong Cpr = 0xf4;
    /// <summary>Component version.</summary>
    public const ulong Ucv = 0xf8;
    /// <summary>Component type (peripheral id).</summary>
    public const ulong Ctr = 0xfc;

    /// <summary>CTR value: "DW" + UART.</summary>
    public const uint PeripheralId = 0x4457_0110;

    /// <summary>
    /// CPR: APB data width 32 bit (1:0 = 2), THRE mode (5), additional features (8), FIFO status registers (10),
    /// encoded parameters (12), FIFO depth 16 (23:16 = 1).
    /// </summary>
    public const uint ComponentParameters = 2 | 1 << 5 | 1 << 8 | 1 << 10 | 1 << 12 | 1 << 16;

    /// <summary>UCV: version 4.01a.</summary>
    public const uint ComponentVersion = 0x3430_3161;

    /// <summary>USR bits: transmit FIFO not full, transmit FIFO empty, receive FIFO not empty, receive FIFO full.</summary>
    public const uint UsrTfnf = 2, UsrTfe = 4, UsrRfne = 8, UsrRff = 16;

    /// <summary>Creates the UART.</summary>
    /// <param name="name">The block's name (uart0, uart1).</param>
    /// <param name="clockHz">Input clock (Baikal-T1 device trees: 7.3728 MHz baud clock).</param>
    /// <param name="clock">Virtual time (character timeouts), or null.</param>
    public DwApbUart(string name, uint clockHz = DefaultClockHz, IVmClock? clock = null)
    {
        DeviceName = name ?? throw new ArgumentNullException(nameof(name));
        Uart = new Uart16550(new UartOptions(RegShift: 2, RegIoWidth: 4, ClockHz: clockHz), clock: clock);
    }

    /// <summary>The Baikal-T1 UART reference clock (7.3728 MHz, the device trees' <c>clock-frequency</c> of the baud clock).</summary>
    public const uint DefaultClockHz = 7_372_800;

    /// <inheritdoc />
    public string DeviceName { get; }

    /// <summary>The 16550 core.</summary>
    public Uart16550 Uart { get; }

    /// <summary>Transmitted bytes.</summary>
    public PipeReader Output => Uart.Output;

    /// <summary>Bytes to receive.</summary>
    public PipeWriter Input => Uart.Input;

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        if (offset < 0x20)
            return Uart.Read(offset, width, vcpu);
        if (offset % 4 != 0)
            return 0;
        return offset switch
        {
            Usr => UsrTfnf | UsrTfe | (Uart.RxCount > 0 ? UsrRfne : 0) | (Uart.RxCount >= Uart16550.FifoSize ? UsrRff : 0),
            Tfl => 0, // transmission is immediate
            Rfl => (ulong)Uart.RxCount,
            Cpr => ComponentParameters,
            Ucv => ComponentVersion,
            Ctr => PeripheralId,
            _ => 0,
        };
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (offset < 0x20)
        {
            Uart.Write(offset, width, value, vcpu);
            return;
        }
        if (offset == Srr && width == MmioWidth.Word)
        {
            // SRR.RFR (bit 1) / XFR (bit 2) reset the FIFOs as FCR's clear bits do; UR (bit 0) also does (no line state to lose here).
            var clear = ((value & 1) != 0 ? 6u : 0) | (uint)(value & 6);
            if (clear != 0)
                Uart.Write(2 << 2, MmioWidth.Word, Uart16550.FcrEnable | clear, vcpu);
        }
    }

    /// <summary>Moves input into the FIFO and runs the character timeout.</summary>
    public void Poll() => Uart.Poll();
}
