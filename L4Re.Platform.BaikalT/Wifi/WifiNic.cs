using System.Buffers.Binary;
using L4Re.Io.Dma;
using L4Re.Kernel.Memory;
using L4Re.Uvmm.Vmm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Platform.BaikalT.Wifi;

/// <summary>
/// The Wi-Fi NIC model: a PCIe function with one register window (<see cref="WifiNicRegisters"/>), a level
/// interrupt (PCI INTA, Baikal-T1 PCIe interrupt 80) and bus-master DMA through L4Re.Io's <see cref="DmaEngine"/>
/// (so with an IOMMU it reaches only what its driver mapped into the DMA space, and on the Baikal-T1 without one
/// it reaches all RAM). Its register file is a dataspace placed at BAR0 in physical memory: reads through any
/// mapping see the current registers; stores with side effects (RW1C, doorbells, reset) reach the model through
/// the board's <see cref="Devices.DeviceMemoryMap"/>.
/// <para>
/// The NIC refuses nothing: it tunes to whatever channel, width and power are written and radiates what the driver
/// queues while the transmitter is on. Every radiated frame is recorded with the radio state in
/// <see cref="Emissions"/>, which is what the tests check against the regulatory rules. The radio environment
/// (<see cref="RadarPulse"/>, <see cref="ReceiveFromAir"/>) and a compromised firmware
/// (<see cref="FirmwareDmaWrite"/>) are the other inputs.
/// </para>
/// Not thread-safe: the board is driven from one host thread, as the kernel model is.
/// </summary>
public sealed partial class WifiNic : IMmioDevice
{
    /// <summary>The most emissions kept in <see cref="Emissions"/>.</summary>
    public const int MaxRecordedEmissions = 4096;

    private readonly Dataspace _regs;
    private readonly Func<long> _now;
    private readonly ILogger _log;
    private readonly List<RadioEmission> _emissions = [];
    private readonly byte[] _frame = new byte[WifiNicRegisters.MaxFrame];
    private bool _line;

    /// <summary>Creates the NIC over its register file.</summary>
    /// <param name="registerFile">At least <see cref="WifiNicRegisters.WindowSize"/> bytes; becomes BAR0.</param>
    /// <param name="now">Virtual time in ns (for emission records).</param>
    /// <param name="loggerFactory">Logging.</param>
    public WifiNic(Dataspace registerFile, Func<long> now, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registerFile);
        if ((ulong)registerFile.Size < WifiNicRegisters.WindowSize)
            throw new ArgumentException($"the register file must hold 0x{WifiNicRegisters.WindowSize:x} bytes", nameof(registerFile));
        _regs = registerFile;
        _now = now ?? throw new ArgumentNullException(nameof(now));
        _log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<WifiNic>();
        Reset();
    }

    /// <inheritdoc />
    public string DeviceName => "wifi-nic";

    /// <summary>The register file (BAR0's frames).</summary>
    public Dataspace RegisterFile => _regs;

    /// <summary>The bus-master port (set when io has loaded the board; null: every DMA fails).</summary>
    public DmaEngine? Dma { get; set; }

    /// <summary>Drives the interrupt line (level; true = asserted).</summary>
    public Action<bool>? InterruptLine { get; set; }

    /// <summary>Raised after every register write that changed the radio state (channel, power, mode, enables).</summary>
    public event Action<NicRadioState>? RadioStateChanged;

    /// <summary>Frames radiated so far (the first <see cref="MaxRecordedEmissions"/>).</summary>
    public IReadOnlyList<RadioEmission> Emissions => _emissions;

    /// <summary>Total frames radiated (also in TX_COUNT).</summary>
    public long EmissionCount { get; private set; }

    /// <summary>Whether the interrupt line is asserted.</summary>
    public bool InterruptAsserted => _line;

    /// <summary>The radio state as the registers say it.</summary>
    public NicRadioState State => new(
        (Reg(WifiNicRegisters.Ctrl) & WifiNicRegisters.CtrlEnable) != 0,
        (Reg(WifiNicRegisters.Ctrl) & WifiNicRegisters.CtrlTxEnable) != 0,
        (Reg(WifiNicRegisters.Ctrl) & WifiNicRegisters.CtrlRadarDetect) != 0,
        Reg(WifiNicRegisters.ChanFreq), Reg(WifiNicRegisters.ChanCenter), (int)Reg(WifiNicRegisters.ChanWidth),
        (int)Reg(WifiNicRegisters.TxPower), (int)Reg(WifiNicRegisters.AntGain), (NicMode)Reg(WifiNicRegisters.Mode),
        Reg(WifiNicRegisters.Regdomain));

    /// <summary>A register's current value.</summary>
    public uint Reg(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_regs.Span.Slice(offset, 4));

    private void Set(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_regs.Span.Slice(offset, 4), value);

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        var n = width.Bytes();
        if (offset >= WifiNicRegisters.WindowSize || offset % (ulong)n != 0 || n > 4)
            return 0;
        var span = _regs.Span.Slice((int)offset, n);
        return n switch { 1 => span[0], 2 => BinaryPrimitives.ReadUInt16LittleEndian(span), _ => BinaryPrimitives.ReadUInt32LittleEndian(span) };
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        // Registers take aligned 32-bit stores only; anything else is dropped by the bus interface.
        if (width != MmioWidth.Word || offset % 4 != 0 || offset >= WifiNicRegisters.WindowSize)
            return;
        var v = (uint)value;
        var before = State;
        switch ((int)offset)
        {
            case WifiNicRegisters.Ctrl:
                if ((v & WifiNicRegisters.CtrlReset) != 0)
                {
                    Reset();
                    break;
                }
                Set(WifiNicRegisters.Ctrl, v & WifiNicRegisters.CtrlMask);
                UpdateStatus();
                break;
            case WifiNicRegisters.IntStatus:
                Set(WifiNicRegisters.IntStatus, Reg(WifiNicRegisters.IntStatus) & ~v);
                if ((v & WifiNicRegisters.IntRadar) != 0)
                    Set(WifiNicRegisters.Status, Reg(WifiNicRegisters.Status) & ~WifiNicRegisters.StatusRadarSeen);
                break;
            case WifiNicRegisters.IntMask:
                Set(WifiNicRegisters.IntMask, v & WifiNicRegisters.IntAll);
                break;
            case WifiNicRegisters.Regdomain:
                if ((Reg(WifiNicRegisters.Regdomain) & WifiNicRegisters.RegdomainLock) == 0)
                    Set(WifiNicRegisters.Regdomain, v & (WifiNicRegisters.RegdomainLock | 0xf_ffff));
                UpdateStatus();
                break;
            case WifiNicRegisters.ChanFreq or WifiNicRegisters.ChanCenter or WifiNicRegisters.ChanWidth or WifiNicRegisters.TxPower
                or WifiNicRegisters.AntGain or WifiNicRegisters.Mode or WifiNicRegisters.TxRingLo or WifiNicRegisters.TxRingHi
                or WifiNicRegisters.RxRingLo or WifiNicRegisters.RxRingHi or WifiNicRegisters.RxTail:
                Set((int)offset, v);
                break;
            case WifiNicRegisters.TxRingSize or WifiNicRegisters.RxRingSize:
                Set((int)offset, v);
                Set(offset == WifiNicRegisters.TxRingSize ? WifiNicRegisters.TxHead : WifiNicRegisters.RxHead, 0);
                break;
            case WifiNicRegisters.TxTail:
                Set(WifiNicRegisters.TxTail, v);
                ProcessTransmit();
                break;
            default:
                return; // read-only or unused
        }
        UpdateLine();
        var after = State;
        if (after != before)
        {
            LogState(_log, after.ToString());
            RadioStateChanged?.Invoke(after);
        }
    }

    /// <summary>A radar pulse at <paramref name="khz"/>: detected when the radio is on, radar detection is enabled and the channel covers it.</summary>
    /// <returns>True when the NIC detected it (STATUS.RADAR_SEEN, INT_STATUS.RADAR, RADAR_FREQ).</returns>
    public bool RadarPulse(uint khz)
    {
        var s = State;
        if (!s.Enabled || !s.RadarDetect || !s.Covers(khz))
            return false;
        Set(WifiNicRegisters.RadarFreq, khz);
        Set(WifiNicRegisters.Status, Reg(WifiNicRegisters.Status) | WifiNicRegisters.StatusRadarSeen);
        Raise(WifiNicRegisters.IntRadar);
        LogRadar(_log, khz / 1000.0);
        return true;
    }

    /// <summary>
    /// A frame on the air at <paramref name="khz"/>: received into the next available RX descriptor when the radio is
    /// on and tuned to cover it. Returns the descriptor status, or null when the NIC did not pick it up.
    /// </summary>
    public uint? ReceiveFromAir(ReadOnlySpan<byte> frame, uint khz)
    {
        var s = State;
        if (!s.Enabled || !s.Covers(khz) || frame.IsEmpty || frame.Length > WifiNicRegisters.MaxFrame)
            return null;
        var size = RingSize(WifiNicRegisters.RxRingSize);
        var head = Reg(WifiNicRegisters.RxHead);
        if (size == 0 || head == Reg(WifiNicRegisters.RxTail) % (uint)size)
            return null; // no buffer: dropped
        var descAddr = RingBase(WifiNicRegisters.RxRingLo) + head * WifiNicRegisters.DescriptorSize;
        Span<byte> desc = stackalloc byte[WifiNicRegisters.DescriptorSize];
        if (!DmaRead(descAddr, desc))
            return WifiNicRegisters.DescDmaError;
        var buffer = BinaryPrimitives.ReadUInt64LittleEndian(desc);
        var capacity = BinaryPrimitives.ReadUInt16LittleEndian(desc[8..]);
        uint status;
        var length = frame.Length;
        if (capacity < length)
            status = WifiNicRegisters.DescBadLength;
        else
            status = DmaWrite(buffer, frame) ? WifiNicRegisters.DescOk : WifiNicRegisters.DescDmaError;
        BinaryPrimitives.WriteUInt16LittleEndian(desc[8..], (ushort)(status == WifiNicRegisters.DescOk ? length : 0));
        BinaryPrimitives.WriteUInt16LittleEndian(desc[10..], WifiNicRegisters.DescDone);
        BinaryPrimitives.WriteUInt32LittleEndian(desc[12..], status);
        DmaWrite(descAddr, desc);
        Set(WifiNicRegisters.RxHead, (head + 1) % (uint)size);
        if (status == WifiNicRegisters.DescOk)
            Set(WifiNicRegisters.RxCount, Reg(WifiNicRegisters.RxCount) + 1);
        Raise(WifiNicRegisters.IntRxDone);
        return status;
    }

    /// <summary>
    /// A compromised NIC firmware writing <paramref name="data"/> to bus address <paramref name="dmaAddress"/> on its
    /// own: a bus master needs no driver to do that. Only an IOMMU (io's <see cref="DmaMode.Iommu"/>) stops it.
    /// </summary>
    /// <returns>What the bus answered.</returns>
    public DmaStatus FirmwareDmaWrite(ulong dmaAddress, ReadOnlySpan<byte> data) =>
        Dma is { } dma ? dma.Write(dmaAddress, data) : DmaStatus.NoDmaSpace;

    private void Reset()
    {
        _regs.Span[..(int)WifiNicRegisters.WindowSize].Clear();
        Set(WifiNicRegisters.Id, WifiNicRegisters.IdValue);
        UpdateLine();
    }

    private void UpdateStatus()
    {
        var ctrl = Reg(WifiNicRegisters.Ctrl);
        var status = Reg(WifiNicRegisters.Status) & WifiNicRegisters.StatusRadarSeen;
        if ((ctrl & WifiNicRegisters.CtrlEnable) != 0)
            status |= WifiNicRegisters.StatusRunning;
        if ((ctrl & (WifiNicRegisters.CtrlEnable | WifiNicRegisters.CtrlTxEnable)) == (WifiNicRegisters.CtrlEnable | WifiNicRegisters.CtrlTxEnable))
            status |= WifiNicRegisters.StatusTransmitting;
        if ((Reg(WifiNicRegisters.Regdomain) & WifiNicRegisters.RegdomainLock) != 0)
            status |= WifiNicRegisters.StatusRegdomainLocked;
        Set(WifiNicRegisters.Status, status);
    }

    private void ProcessTransmit()
    {
        var size = RingSize(WifiNicRegisters.TxRingSize);
        if (size == 0)
            return;
        var tail = Reg(WifiNicRegisters.TxTail) % (uint)size;
        var head = Reg(WifiNicRegisters.TxHead);
        var any = false;
        Span<byte> desc = stackalloc byte[WifiNicRegisters.DescriptorSize];
        for (var n = 0; head != tail && n < size; n++)
        {
            var descAddr = RingBase(WifiNicRegisters.TxRingLo) + head * WifiNicRegisters.DescriptorSize;
            if (!DmaRead(descAddr, desc))
                break; // the ring itself is unreachable: stop, the driver sees DMA_ERRORS
            var buffer = BinaryPrimitives.ReadUInt64LittleEndian(desc);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(desc[8..]);
            uint status;
            if (length == 0 || length > WifiNicRegisters.MaxFrame)
                status = WifiNicRegisters.DescBadLength;
            else if (!State.Transmitting)
                status = WifiNicRegisters.DescTxOff;
            else if (!DmaRead(buffer, _frame.AsSpan(0, length)))
                status = WifiNicRegisters.DescDmaError;
            else
            {
                status = WifiNicRegisters.DescOk;
                Radiate(length);
            }
            if (status != WifiNicRegisters.DescOk)
                Set(WifiNicRegisters.TxDropped, Reg(WifiNicRegisters.TxDropped) + 1);
            BinaryPrimitives.WriteUInt16LittleEndian(desc[10..], WifiNicRegisters.DescDone);
            BinaryPrimitives.WriteUInt32LittleEndian(desc[12..], status);
            DmaWrite(descAddr, desc);
            head = (head + 1) % (uint)size;
            Set(WifiNicRegisters.TxHead, head);
            any = true;
        }
        if (any)
            Raise(WifiNicRegisters.IntTxDone);
    }

    private void Radiate(int length)
    {
        EmissionCount++;
        Set(WifiNicRegisters.TxCount, Reg(WifiNicRegisters.TxCount) + 1);
        if (_emissions.Count < MaxRecordedEmissions)
            _emissions.Add(new RadioEmission(_now(), State, length));
    }

    private int RingSize(int register)
    {
        var n = Reg(register);
        return n is > 0 and <= WifiNicRegisters.MaxRingSize && (n & (n - 1)) == 0 ? (int)n : 0;
    }

    private ulong RingBase(int lo) => Reg(lo) | (ulong)Reg(lo + 4) << 32;

    private bool DmaRead(ulong address, Span<byte> destination)
    {
        if (Dma?.Read(address, destination) == DmaStatus.Ok)
            return true;
        DmaFailed();
        return false;
    }

    private bool DmaWrite(ulong address, ReadOnlySpan<byte> source)
    {
        if (Dma?.Write(address, source) == DmaStatus.Ok)
            return true;
        DmaFailed();
        return false;
    }

    private void DmaFailed()
    {
        Set(WifiNicRegisters.DmaErrors, Reg(WifiNicRegisters.DmaErrors) + 1);
        Raise(WifiNicRegisters.IntDmaError);
    }

    private void Raise(uint bits)
    {
        Set(WifiNicRegisters.IntStatus, Reg(WifiNicRegisters.IntStatus) | bits);
        UpdateLine();
    }

    private void UpdateLine()
    {
        var level = (Reg(WifiNicRegisters.IntStatus) & Reg(WifiNicRegisters.IntMask)) != 0;
        if (level == _line)
            return;
        _line = level;
        InterruptLine?.Invoke(level);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "NIC: {State}")]
    private static partial void LogState(ILogger logger, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "NIC: radar detected at {Mhz} MHz")]
    private static partial void LogRadar(ILogger logger, double mhz);
}
