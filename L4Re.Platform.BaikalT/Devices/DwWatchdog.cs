using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Devices;

/// <summary>
/// The Synopsys DesignWare watchdog of the Baikal-T1 (<c>snps,dw-wdt</c> at 0x1f04c000, GIC interrupt 17), which is
/// also how the SoC resets itself (Linux <c>dw_wdt_restart</c>: enable with the shortest timeout, then restart the
/// counter). Registers (Linux <c>drivers/watchdog/dw_wdt.c</c>): WDT_CR 0x00 (WDT_EN bit 0 — once set it stays set
/// until reset; RMOD bit 1: 0 = reset on timeout, 1 = interrupt first and reset on the second timeout), WDT_TORR
/// 0x04 (TOP 3:0: timeout = 2^(16 + TOP) clock cycles), WDT_CCVR 0x08 (RO counter), WDT_CRR 0x0c (writing 0x76
/// restarts the counter and clears the interrupt), WDT_STAT 0x10 (RO interrupt status), WDT_EOI 0x14 (a read clears
/// the interrupt), WDT_COMP_PARAMS_1 0xf4, WDT_COMP_VERSION 0xf8, WDT_COMP_TYPE 0xfc (0x44570120).
/// </summary>
public sealed class DwWatchdog : IMmioDevice
{
    /// <summary>Register offsets.</summary>
    public const ulong Cr = 0x00, Torr = 0x04, Ccvr = 0x08, Crr = 0x0c, Stat = 0x10, Eoi = 0x14, CompParams1 = 0xf4, CompVersion = 0xf8, CompType = 0xfc;

    /// <summary>Size of the register window.</summary>
    public const ulong WindowSize = 0x100;

    /// <summary>WDT_CR bits.</summary>
    public const uint CrEnable = 1, CrRmod = 2;

    /// <summary>The restart key written to WDT_CRR.</summary>
    public const uint RestartKey = 0x76;

    /// <summary>WDT_COMP_TYPE.</summary>
    public const uint ComponentType = 0x4457_0120;

    /// <summary>WDT_COMP_PARAMS_1: 32-bit counter width (28:24 = 16 + 16 → encoded 16), use-fixed TOP ranges (bit 6 = 0).</summary>
    public const uint ComponentParameters = 16u << 24;

    private readonly Func<long> _now;
    private uint _cr;
    private uint _torr;
    private bool _interrupt;
    private long _startNs;
    private bool _line;

    /// <summary>Creates the watchdog.</summary>
    /// <param name="now">Virtual time in ns.</param>
    /// <param name="clockHz">Counter clock.</param>
    public DwWatchdog(Func<long> now, uint clockHz = DwApbTimer.DefaultClockHz)
    {
        ArgumentOutOfRangeException.ThrowIfZero(clockHz);
        _now = now ?? throw new ArgumentNullException(nameof(now));
        ClockHz = clockHz;
    }

    /// <inheritdoc />
    public string DeviceName => "watchdog";

    /// <summary>The counter clock.</summary>
    public uint ClockHz { get; }

    /// <summary>Drives the interrupt line (level).</summary>
    public Action<bool>? InterruptLine { get; set; }

    /// <summary>Called once when the watchdog resets the SoC (the argument says why).</summary>
    public Action<string>? SystemReset { get; set; }

    /// <summary>Whether a reset was requested.</summary>
    public bool ResetRequested { get; private set; }

    /// <summary>Whether the watchdog is enabled.</summary>
    public bool Enabled => (_cr & CrEnable) != 0;

    /// <summary>The timeout period in clock cycles.</summary>
    public ulong PeriodCycles => 1UL << (16 + (int)(_torr & 0xf));

    /// <summary>The virtual time of the next timeout, or null when disabled or after the reset.</summary>
    public long? NextDeadlineNs => Enabled && !ResetRequested ? _startNs + CyclesToNs(PeriodCycles) : null;

    /// <summary>Runs the counter up to now.</summary>
    public void Poll()
    {
        while (NextDeadlineNs is { } deadline && _now() >= deadline)
        {
            if ((_cr & CrRmod) != 0 && !_interrupt)
            {
                _interrupt = true; // first timeout: interrupt, count again
                _startNs = deadline;
                Update();
                continue;
            }
            ResetRequested = true;
            SystemReset?.Invoke("watchdog timeout");
        }
    }

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        if (width != MmioWidth.Word || offset % 4 != 0)
            return 0;
        Poll();
        switch (offset)
        {
            case Cr:
                return _cr;
            case Torr:
                return _torr;
            case Ccvr:
                if (!Enabled)
                    return (uint)(PeriodCycles - 1);
                var elapsed = (ulong)((UInt128)(ulong)Math.Max(0, _now() - _startNs) * ClockHz / 1_000_000_000);
                return (uint)(PeriodCycles - 1 - Math.Min(elapsed, PeriodCycles - 1));
            case Stat:
                return _interrupt ? 1u : 0;
            case Eoi:
                _interrupt = false;
                Update();
                return 0;
            case CompParams1:
                return ComponentParameters;
            case CompType:
                return ComponentType;
            case CompVersion:
                return 0x3131_302a;
            default:
                return 0;
        }
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (width != MmioWidth.Word || offset % 4 != 0)
            return;
        Poll();
        var v = (uint)value;
        switch (offset)
        {
            case Cr:
                var wasEnabled = Enabled;
                _cr = (v & 0x1f) | (_cr & CrEnable); // WDT_EN cannot be cleared by software
                if (Enabled && !wasEnabled)
                    _startNs = _now();
                break;
            case Torr:
                _torr = v & 0xff;
                break;
            case Crr:
                if (v == RestartKey)
                {
                    _startNs = _now();
                    _interrupt = false;
                    Update();
                    Poll(); // TOP 0 at a fast clock can expire at once
                }
                break;
        }
    }

    private long CyclesToNs(ulong cycles) => (long)(((UInt128)cycles * 1_000_000_000 + ClockHz - 1) / ClockHz);

    private void Update()
    {
        if (_interrupt == _line)
            return;
        _line = _interrupt;
        InterruptLine?.Invoke(_line);
    }
}
