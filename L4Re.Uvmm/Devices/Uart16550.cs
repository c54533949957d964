using System.IO.Pipelines;
using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// A National Semiconductor 16550A UART (<c>ns16550a</c>, <c>uart,8250</c>) with the full register set Linux's
/// 8250 driver uses (<c>drivers/tty/serial/8250/8250_port.c</c>, <c>include/uapi/linux/serial_reg.h</c>): RBR/THR,
/// IER, IIR/FCR, LCR (DLAB), MCR (loopback), LSR, MSR, SCR, DLL/DLM, 16-byte FIFOs with the RX trigger levels
/// 1/4/8/14 and the character-timeout interrupt. Registers are spaced by <c>reg-shift</c>; the value is in the
/// low byte of an access of any width (<c>reg-io-width</c> 1 or 4). uvmm has its own <c>uart_8250.cc</c> that
/// ignores modem status and FIFO control; this model implements them so that the driver's probes behave as
/// on hardware.
/// <para>Transmission is immediate: a THR write goes to <see cref="Output"/> (a <see cref="Pipe"/> that never
/// blocks the guest) and THR is empty again at once, so THRE/TEMT read as 1 and the THRE interrupt re-arms the
/// way a real 16550 re-asserts it when the holding register empties. Input written to <see cref="Input"/> enters
/// the RX FIFO when the VMM calls <see cref="Poll"/>, never more than fits: input waits in the pipe instead of
/// overrunning, so nothing is lost.</para>
/// </summary>
public sealed class Uart16550 : IMmioDevice
{
    /// <summary>FIFO depth of the 16550A.</summary>
    public const int FifoSize = 16;

    // Register indices (serial_reg.h)
    internal const int RegRbrThr = 0, RegIer = 1, RegIirFcr = 2, RegLcr = 3, RegMcr = 4, RegLsr = 5, RegMsr = 6, RegScr = 7;

    /// <summary>IER bits: ERBFI (RX data), ETBEI (THR empty), ELSI (line status), EDSSI (modem status).</summary>
    public const byte IerRdi = 0x01, IerThri = 0x02, IerRlsi = 0x04, IerMsi = 0x08;
    /// <summary>IIR values: no interrupt, modem status, THR empty, RX data, line status, character timeout; FIFO bits.</summary>
    public const byte IirNoInt = 0x01, IirMsi = 0x00, IirThri = 0x02, IirRdi = 0x04, IirRlsi = 0x06, IirTimeout = 0x0c, IirFifos = 0xc0;
    /// <summary>FCR bits.</summary>
    public const byte FcrEnable = 0x01, FcrClearRx = 0x02, FcrClearTx = 0x04;
    /// <summary>LCR divisor latch access bit.</summary>
    public const byte LcrDlab = 0x80;
    /// <summary>MCR bits: DTR, RTS, OUT1, OUT2, LOOP.</summary>
    public const byte McrDtr = 0x01, McrRts = 0x02, McrOut1 = 0x04, McrOut2 = 0x08, McrLoop = 0x10;
    /// <summary>LSR bits: data ready, overrun, parity, framing, break, THR empty, transmitter empty, FIFO error.</summary>
    public const byte LsrDr = 0x01, LsrOe = 0x02, LsrPe = 0x04, LsrFe = 0x08, LsrBi = 0x10, LsrThre = 0x20, LsrTemt = 0x40, LsrFifoErr = 0x80;
    /// <summary>MSR bits: deltas and CTS, DSR, RI, DCD.</summary>
    public const byte MsrDcts = 0x01, MsrDdsr = 0x02, MsrTeri = 0x04, MsrDdcd = 0x08, MsrCts = 0x10, MsrDsr = 0x20, MsrRi = 0x40, MsrDcd = 0x80;

    private static readonly int[] TriggerLevels = [1, 4, 8, 14];

    private readonly Pipe _tx = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly Pipe _rx = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly byte[] _fifo = new byte[FifoSize];
    private readonly IVmClock? _clock;
    private int _head, _count;
    private byte _ier, _lcr, _mcr, _lsrErrors, _msrDelta, _scr, _dll = 12, _dlm, _fcr;
    private byte _lastRbr;
    private bool _thrInterrupt;
    private bool _timeoutInterrupt;
    private ulong _lastRxActivityNs;
    private bool _rxActivity;
    private IrqSink _irq;

    /// <summary>Register layout and input clock.</summary>
    public UartOptions Options { get; }

    /// <summary>Creates the UART.</summary>
    /// <param name="options">Register layout and clock.</param>
    /// <param name="irq">The interrupt line, or null for a polled UART.</param>
    /// <param name="clock">Virtual time for the RX timeout (4 character times); null: the timeout fires at the first <see cref="Poll"/> that brings no new input.</param>
    public Uart16550(UartOptions? options = null, IrqSink? irq = null, IVmClock? clock = null)
    {
        Options = options ?? new UartOptions();
        _irq = irq ?? new IrqSink();
        _clock = clock;
    }

    /// <inheritdoc />
    public string DeviceName => "ns16550a";

    /// <summary>What the guest transmits. Read it with a pump (<see cref="ConsolePump"/>) or <see cref="ConsoleTranscript"/>.</summary>
    public PipeReader Output => _tx.Reader;

    /// <summary>What the guest will receive: write and flush bytes here; <see cref="Poll"/> moves them into the RX FIFO.</summary>
    public PipeWriter Input => _rx.Writer;

    /// <summary>The interrupt line (replace it when the UART is connected after creation).</summary>
    public IrqSink Irq
    {
        get => _irq;
        set
        {
            _irq.Ack();
            _irq = value;
            UpdateInterrupt();
        }
    }

    /// <summary>Bytes waiting in the RX FIFO.</summary>
    public int RxCount => _count;

    /// <summary>True while the interrupt output is asserted.</summary>
    public bool InterruptPending => CurrentInterrupt() != IirNoInt;

    /// <summary>The divisor latch (DLM:DLL).</summary>
    public int Divisor => _dlm << 8 | _dll;

    /// <summary>The baud rate the guest programmed: clock / (16 · divisor).</summary>
    public double BaudRate => Options.ClockHz / (16.0 * Math.Max(1, Divisor));

    private bool FifoEnabled => (_fcr & FcrEnable) != 0;
    private bool Loopback => (_mcr & McrLoop) != 0;
    private int Capacity => FifoEnabled ? FifoSize : 1;
    private int TriggerLevel => FifoEnabled ? TriggerLevels[_fcr >> 6] : 1;

    /// <summary>
    /// Moves pending input into the RX FIFO and raises the character-timeout interrupt when data has waited below
    /// the trigger level for four character times. The VMM calls this regularly (for example on every exit and
    /// when a vCPU would sleep).
    /// </summary>
    public void Poll()
    {
        if (!Loopback && _count < Capacity && _rx.Reader.TryRead(out var result))
        {
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            foreach (var segment in buffer)
            {
                var span = segment.Span;
                var take = Math.Min(span.Length, Capacity - _count);
                for (var i = 0; i < take; i++)
                    Push(span[i]);
                consumed = buffer.GetPosition(take, consumed);
                if (_count == Capacity)
                    break;
            }
            _rx.Reader.AdvanceTo(consumed);
        }
        var now = _clock?.NowNanoseconds ?? 0;
        if (_rxActivity)
        {
            _rxActivity = false;
            _lastRxActivityNs = now;
        }
        else if (FifoEnabled && _count > 0 && _count < TriggerLevel &&
                 (_clock is null || now - _lastRxActivityNs >= 4 * CharacterTimeNs()))
        {
            _timeoutInterrupt = true;
        }
        UpdateInterrupt();
    }

    /// <summary>
    /// The virtual time at which the character timeout will fire if nothing happens, or null (no data below the
    /// trigger level, timeout already raised, or no clock). A sleeping VMM wakes up then and calls <see cref="Poll"/>.
    /// </summary>
    public ulong? TimeoutDeadline =>
        _clock is not null && FifoEnabled && _count > 0 && _count < TriggerLevel && !_timeoutInterrupt
            ? _lastRxActivityNs + 4 * CharacterTimeNs()
            : null;

    /// <summary>The duration of one character frame at the programmed baud rate and LCR (start, data, parity, stop bits).</summary>
    public ulong CharacterTimeNs()
    {
        var dataBits = 5 + (_lcr & 3);
        var parity = (_lcr & 0x08) != 0 ? 1 : 0;
        var stop = (_lcr & 0x04) == 0 ? 1.0 : dataBits == 5 ? 1.5 : 2.0;
        return (ulong)((1 + dataBits + parity + stop) * 1e9 / BaudRate);
    }

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        if (!TryRegister(offset, out var reg))
            return 0;
        byte value;
        switch (reg)
        {
            case RegRbrThr:
                value = (_lcr & LcrDlab) != 0 ? _dll : Pop();
                break;
            case RegIer:
                value = (_lcr & LcrDlab) != 0 ? _dlm : _ier;
                break;
            case RegIirFcr:
                value = CurrentInterrupt();
                if (value == IirThri)
                    _thrInterrupt = false; // reading IIR with THRE as the source clears it
                value |= FifoEnabled ? IirFifos : (byte)0;
                break;
            case RegLcr:
                value = _lcr;
                break;
            case RegMcr:
                value = _mcr;
                break;
            case RegLsr:
                value = (byte)((_count > 0 ? LsrDr : 0) | _lsrErrors | LsrThre | LsrTemt);
                _lsrErrors = 0;
                break;
            case RegMsr:
                value = (byte)(ModemStatus() | _msrDelta);
                _msrDelta = 0;
                break;
            default:
                value = _scr;
                break;
        }
        UpdateInterrupt();
        return value;
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (!TryRegister(offset, out var reg))
            return;
        var v = (byte)value;
        switch (reg)
        {
            case RegRbrThr:
                if ((_lcr & LcrDlab) != 0)
                    _dll = v;
                else
                    Transmit(v);
                break;
            case RegIer:
                if ((_lcr & LcrDlab) != 0)
                {
                    _dlm = v;
                    break;
                }
                var changed = (byte)((_ier ^ v) & 0x0f);
                _ier = (byte)(v & 0x0f);
                if ((changed & IerThri) != 0)
                    _thrInterrupt = (_ier & IerThri) != 0; // enabling ETBEI with THR empty raises THRE (QEMU serial.c does the same)
                break;
            case RegIirFcr:
                WriteFcr(v);
                break;
            case RegLcr:
                _lcr = v;
                break;
            case RegMcr:
                var before = ModemStatus();
                _mcr = (byte)(v & 0x1f);
                UpdateDeltas(before, ModemStatus());
                break;
            case RegScr:
                _scr = v;
                break;
            // LSR and MSR writes are factory-test registers: ignored.
        }
        UpdateInterrupt();
    }

    private bool TryRegister(ulong offset, out int reg)
    {
        var shift = Options.RegShift;
        reg = (int)(offset >> shift);
        return (offset & ((1UL << shift) - 1)) == 0 && offset >> shift <= RegScr;
    }

    private void Transmit(byte b)
    {
        if (Loopback)
        {
            if (_count < Capacity)
                Push(b);
            else
                _lsrErrors |= LsrOe;
        }
        else
        {
            var w = _tx.Writer;
            w.GetSpan(1)[0] = b;
            w.Advance(1);
            var flush = w.FlushAsync();
            if (flush.IsCompleted)
                flush.GetAwaiter().GetResult();
            else
                flush.AsTask().GetAwaiter().GetResult();
        }
        // The byte leaves the holding register at once, which empties it again: THRE re-asserts.
        _thrInterrupt = true;
    }

    private void WriteFcr(byte v)
    {
        if (((v ^ _fcr) & FcrEnable) != 0)
            ClearRx(); // changing the FIFO mode resets the FIFOs
        if ((v & FcrClearRx) != 0)
            ClearRx();
        _fcr = (byte)(v & 0xc9 & ~(FcrClearRx | FcrClearTx));
        if (!FifoEnabled)
            _fcr = 0;
    }

    private void ClearRx()
    {
        _head = _count = 0;
        _timeoutInterrupt = false;
    }

    private void Push(byte b)
    {
        _fifo[(_head + _count) % FifoSize] = b;
        _count++;
        _rxActivity = true;
        _timeoutInterrupt = false;
    }

    private byte Pop()
    {
        _timeoutInterrupt = false;
        if (_count == 0)
            return _lastRbr;
        _lastRbr = _fifo[_head];
        _head = (_head + 1) % FifoSize;
        _count--;
        _rxActivity = true;
        return _lastRbr;
    }

    /// <summary>MSR bits 7:4: looped back from MCR in loopback mode, else a connected line (CTS, DSR, DCD).</summary>
    private byte ModemStatus()
    {
        if (!Loopback)
            return MsrCts | MsrDsr | MsrDcd;
        var s = 0;
        if ((_mcr & McrRts) != 0) s |= MsrCts;
        if ((_mcr & McrDtr) != 0) s |= MsrDsr;
        if ((_mcr & McrOut1) != 0) s |= MsrRi;
        if ((_mcr & McrOut2) != 0) s |= MsrDcd;
        return (byte)s;
    }

    private void UpdateDeltas(byte before, byte after)
    {
        var changed = before ^ after;
        if ((changed & MsrCts) != 0) _msrDelta |= MsrDcts;
        if ((changed & MsrDsr) != 0) _msrDelta |= MsrDdsr;
        if ((changed & MsrDcd) != 0) _msrDelta |= MsrDdcd;
        if ((before & MsrRi) != 0 && (after & MsrRi) == 0) _msrDelta |= MsrTeri; // trailing edge of RI
    }

    /// <summary>The highest-priority enabled interrupt (16550 priority: line status, RX data/timeout, THRE, modem status).</summary>
    private byte CurrentInterrupt()
    {
        if ((_ier & IerRlsi) != 0 && _lsrErrors != 0)
            return IirRlsi;
        if ((_ier & IerRdi) != 0 && _count >= TriggerLevel)
            return IirRdi;
        if ((_ier & IerRdi) != 0 && _timeoutInterrupt && _count > 0)
            return IirTimeout;
        if ((_ier & IerThri) != 0 && _thrInterrupt)
            return IirThri;
        if ((_ier & IerMsi) != 0 && _msrDelta != 0)
            return IirMsi;
        return IirNoInt;
    }

    private void UpdateInterrupt() => _irq.SetLevel(CurrentInterrupt() != IirNoInt);
}
