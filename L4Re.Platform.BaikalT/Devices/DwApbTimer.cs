using L4Re.Uvmm.Vmm;

namespace L4Re.Platform.BaikalT.Devices;

/// <summary>
/// One Synopsys DesignWare APB timer of the Baikal-T1 (<c>snps,dw-apb-timer</c>; three of them at 0x1f049000,
/// 0x1f049014, 0x1f049028 with GIC interrupts 24–26, one device-tree node each): a 32-bit down-counter clocked at
/// <see cref="ClockHz"/>. Registers (Linux <c>arch/x86/kernel/apb_timer.c</c>, <c>drivers/clocksource/dw_apb_timer.c</c>):
/// LoadCount 0x00, CurrentValue 0x04 (RO), ControlReg 0x08 (ENABLE bit 0, MODE bit 1: 1 = user-defined / reload
/// LoadCount, 0 = free-running / reload 0xffffffff; INT_MASK bit 2), EOI 0x0c (a read clears the interrupt), IntStatus
/// 0x10 (RO, masked status). The counter runs on virtual time; the interrupt is a level the board routes to the
/// interrupt controller.
/// </summary>
public sealed class DwApbTimer : IMmioDevice
{
    /// <summary>Register offsets.</summary>
    public const ulong LoadCount = 0x00, CurrentValue = 0x04, ControlReg = 0x08, Eoi = 0x0c, IntStatus = 0x10;

    /// <summary>Size of one timer's registers.</summary>
    public const ulong WindowSize = 0x14;

    /// <summary>ControlReg bits.</summary>
    public const uint CtrlEnable = 1, CtrlUserMode = 2, CtrlIntMask = 4;

    private readonly Func<long> _now;
    private uint _load;
    private uint _control;
    private bool _raw;
    private long _startNs;     // when the counter was (re)loaded
    private uint _startValue;  // the value it was loaded with

    /// <summary>Creates the timer.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="now">Virtual time in ns.</param>
    /// <param name="clockHz">Counter clock.</param>
    public DwApbTimer(string name, Func<long> now, uint clockHz = DefaultClockHz)
    {
        ArgumentOutOfRangeException.ThrowIfZero(clockHz);
        DeviceName = name ?? throw new ArgumentNullException(nameof(name));
        _now = now ?? throw new ArgumentNullException(nameof(now));
        ClockHz = clockHz;
    }

    /// <summary>The counter clock of the model (the Baikal-T1 25 MHz reference clock).</summary>
    public const uint DefaultClockHz = 25_000_000;

    /// <inheritdoc />
    public string DeviceName { get; }

    /// <summary>The counter clock.</summary>
    public uint ClockHz { get; }

    /// <summary>Drives the interrupt line (level).</summary>
    public Action<bool>? InterruptLine { get; set; }

    /// <summary>Whether the (masked) interrupt is asserted.</summary>
    public bool InterruptAsserted => _raw && (_control & CtrlIntMask) == 0;

    private bool Enabled => (_control & CtrlEnable) != 0;

    /// <summary>The virtual time at which the counter next reaches zero, or null when disabled.</summary>
    public long? NextDeadlineNs
    {
        get
        {
            if (!Enabled)
                return null;
            return _startNs + TicksToNs((ulong)_startValue + 1);
        }
    }

    /// <summary>Runs the counter up to now: reloads after each expiry and raises the interrupt.</summary>
    public void Poll()
    {
        if (!Enabled)
            return;
        var now = _now();
        var period = (ulong)_startValue + 1;
        var elapsed = Ticks(now - _startNs);
        if (elapsed < period)
            return;
        // Expired at least once: reload (user mode: LoadCount; free-running: 0xffffffff) and keep the phase.
        var reload = (_control & CtrlUserMode) != 0 ? _load : uint.MaxValue;
        var after = elapsed - period;
        var next = (ulong)reload + 1;
        var wraps = after / next;
        _startNs += TicksToNs(period + wraps * next);
        _startValue = reload;
        _raw = true;
        Update();
    }

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        if (width != MmioWidth.Word || offset % 4 != 0)
            return 0;
        Poll();
        switch (offset)
        {
            case LoadCount:
                return _load;
            case CurrentValue:
                return Enabled ? (uint)(_startValue - Math.Min(Ticks(_now() - _startNs), _startValue)) : _startValue;
            case ControlReg:
                return _control;
            case Eoi:
                _raw = false;
                Update();
                return 0;
            case IntStatus:
                return InterruptAsserted ? 1u : 0;
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
            case LoadCount:
                _load = v;
                if (!Enabled)
                    _startValue = v;
                break;
            case ControlReg:
                var wasEnabled = Enabled;
                _control = v & (CtrlEnable | CtrlUserMode | CtrlIntMask);
                if (Enabled && !wasEnabled)
                {
                    // Enabling loads LoadCount (databook: "the timer loads the LoadCount value when enabled").
                    _startValue = _load;
                    _startNs = _now();
                }
                Update();
                break;
        }
    }

    private ulong Ticks(long ns) => ns <= 0 ? 0 : (ulong)((UInt128)(ulong)ns * ClockHz / 1_000_000_000);

    private long TicksToNs(ulong ticks) => (long)Math.Min((ulong)long.MaxValue / 2, (ulong)(((UInt128)ticks * 1_000_000_000 + ClockHz - 1) / ClockHz));

    private bool _line;

    private void Update()
    {
        var level = InterruptAsserted;
        if (level == _line)
            return;
        _line = level;
        InterruptLine?.Invoke(level);
    }
}
