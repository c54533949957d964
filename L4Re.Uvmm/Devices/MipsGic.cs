using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Devices;

/// <summary>
/// The MIPS Global Interrupt Controller, <c>mti,gic</c> (uvmm: <c>Gic::Dist</c>, ARCH-mips <c>gic.h</c>/<c>gic.cc</c>),
/// with the register layout Linux's <c>drivers/irqchip/irq-mips-gic.c</c> and <c>arch/mips/include/asm/mips-gic.h</c>
/// program: a shared section (CONFIG, COUNTER, REVISION, POL/TRIG/DUAL, WEDGE, RMASK/SMASK/MASK/PEND bitmaps,
/// MAPx_PIN at 0x500 + 4·n, MAPx_VP at 0x2000 + 0x20·n), a core-local window at 0x8000 for the accessing VP,
/// a core-other window at 0xc000 for the VP chosen by VL_OTHER, and the user-visible counter at 0x10000.
/// Revision 4.0 as on the Baikal-T1, 128 shared interrupts (uvmm), 32-bit registers (a 32-bit kernel's
/// <c>mips_cm_is64</c> is false). A shared interrupt that is pending, unmasked and mapped to a pin raises core
/// interrupt line pin + 2 of the lowest VP in its MAPx_VP (uvmm <c>setup_source</c>); the local GIC count/compare
/// timer raises its VL_COMPARE_MAP pin. Sub-word accesses are ignored, as uvmm does.
/// </summary>
public sealed class MipsGic : IMmioDevice, IInterruptController
{
    /// <summary>Size of the register region (shared + local + other + user sections).</summary>
    public const ulong RegionSize = 0x20000;

    /// <summary>Default number of shared interrupts (uvmm <c>Num_irqs</c>, "maximum irq supported by Linux 3.19").</summary>
    public const int DefaultInterrupts = 128;

    /// <summary>The value of GIC_SH_REVISION: 4.0 "as reported by Baikal board" (uvmm).</summary>
    public const uint Revision = 4 << 8;

    // Shared section (mips-gic.h)
    internal const int ShConfig = 0x000, ShCounterLo = 0x010, ShCounterHi = 0x014, ShRevision = 0x020, ShIntAvail = 0x028,
        ShGidConfig = 0x080, ShPol = 0x100, ShTrig = 0x180, ShDual = 0x200, ShWedge = 0x280, ShRmask = 0x300,
        ShSmask = 0x380, ShMask = 0x400, ShPend = 0x480, ShPin = 0x500, ShMap = 0x2000;
    internal const int LocalBase = 0x8000, OtherBase = 0xc000, UserBase = 0x10000, SectionSize = 0x4000;
    // Core-local registers (offsets inside the local/other window)
    internal const int VxCtl = 0x00, VxPend = 0x04, VxMask = 0x08, VxRmask = 0x0c, VxSmask = 0x10, VxMapBase = 0x40,
        VxOther = 0x80, VxIdent = 0x88, VxCompareLo = 0xa0, VxCompareHi = 0xa4;

    /// <summary>GIC_SH_CONFIG.COUNTSTOP.</summary>
    public const uint ConfigCountStop = 1u << 28;
    /// <summary>GIC_MAP_PIN_MAP_TO_PIN.</summary>
    public const uint MapToPin = 1u << 31;
    /// <summary>GIC_MAP_PIN_MAP_TO_NMI.</summary>
    public const uint MapToNmi = 1u << 30;
    /// <summary>GIC_WEDGE_RW: set (1) or clear (0) the interrupt named in bits 7:0.</summary>
    public const uint WedgeRw = 1u << 31;
    /// <summary>Local interrupt number of the GIC count/compare timer (GIC_LOCAL_INT_COMPARE).</summary>
    public const int LocalCompare = 1;

    private readonly CoreInterruptControllers _cores;
    private readonly IVmClock? _clock;
    private readonly int _irqs;
    private readonly int _words;
    private readonly uint[] _pol, _trig, _dual, _mask, _pend;
    private readonly bool[] _level;
    private readonly uint[] _pin, _map;
    private readonly IrqSink[] _sinks;
    private readonly IIrqSourceHandler?[] _sources;
    private readonly LocalState[] _local;
    private uint _gidConfig;
    private bool _countStopped;
    private ulong _counterOffset;
    private ulong _frozenCounter;

    private sealed class LocalState
    {
        public uint Mask;
        public uint Pend;
        public readonly uint[] Map = new uint[7];
        public uint Other;
        public ulong Compare = ulong.MaxValue;
        public bool Armed;
        public readonly IrqSink CompareSink = new();
    }

    /// <summary>Creates the GIC.</summary>
    /// <param name="cores">The core interrupt controllers it routes to (one VP per vCPU).</param>
    /// <param name="clock">Virtual time for GIC_SH_COUNTER, or null for a counter that stays at zero.</param>
    /// <param name="counterHz">The shared counter's frequency.</param>
    /// <param name="interrupts">Number of shared interrupts, a multiple of 32 up to 256.</param>
    public MipsGic(CoreInterruptControllers cores, IVmClock? clock = null, ulong counterHz = 100_000_000, int interrupts = DefaultInterrupts)
    {
        ArgumentNullException.ThrowIfNull(cores);
        if (interrupts < 32 || interrupts > 256 || interrupts % 32 != 0)
            throw new ArgumentOutOfRangeException(nameof(interrupts), interrupts, "a multiple of 32 between 32 and 256");
        ArgumentOutOfRangeException.ThrowIfZero(counterHz);
        _cores = cores;
        _clock = clock;
        CounterHz = counterHz;
        _irqs = interrupts;
        _words = interrupts / 32;
        _pol = new uint[_words];
        _trig = new uint[_words];
        _dual = new uint[_words];
        _mask = new uint[_words];
        _pend = new uint[_words];
        _level = new bool[interrupts];
        _pin = new uint[interrupts];
        _map = new uint[interrupts];
        _sinks = new IrqSink[interrupts];
        for (var i = 0; i < interrupts; i++)
            _sinks[i] = new IrqSink();
        _sources = new IIrqSourceHandler?[interrupts];
        _local = new LocalState[cores.Count];
        for (var i = 0; i < _local.Length; i++)
            _local[i] = new LocalState();
    }

    /// <inheritdoc />
    public string DeviceName => "mti,gic";

    /// <summary>Number of shared interrupts.</summary>
    public int InterruptCount => _irqs;

    /// <summary>Frequency of GIC_SH_COUNTER.</summary>
    public ulong CounterHz { get; }

    /// <summary>The current GIC_SH_COUNTER value.</summary>
    public ulong Counter => _countStopped ? _frozenCounter : Raw() + _counterOffset;

    private ulong Raw() => _clock is null ? 0 : VmTime.Ticks(_clock.NowNanoseconds, CounterHz);

    // ---- state queries (tests, monitor) ----

    /// <summary>True when shared interrupt <paramref name="irq"/> is pending.</summary>
    /// <param name="irq">Shared interrupt number.</param>
    public bool IsPending(int irq) => (uint)irq < (uint)_irqs && Bit(_pend, irq);

    /// <summary>True when shared interrupt <paramref name="irq"/> is unmasked.</summary>
    /// <param name="irq">Shared interrupt number.</param>
    public bool IsEnabled(int irq) => (uint)irq < (uint)_irqs && Bit(_mask, irq);

    // ---- device side ----

    /// <summary>A device asserts shared interrupt <paramref name="irq"/> (level: pending while asserted; edge: latched).</summary>
    /// <param name="irq">Shared interrupt number.</param>
    public void Set(int irq)
    {
        if ((uint)irq >= (uint)_irqs || _level[irq])
            return;
        _level[irq] = true;
        if (!Bit(_trig, irq) || Bit(_dual, irq) || Bit(_pol, irq))
            SetPending(irq, true);
    }

    /// <summary>A device deasserts shared interrupt <paramref name="irq"/>.</summary>
    /// <param name="irq">Shared interrupt number.</param>
    public void Clear(int irq)
    {
        if ((uint)irq >= (uint)_irqs || !_level[irq])
            return;
        _level[irq] = false;
        if (!Bit(_trig, irq))
            SetPending(irq, false);
        else if (Bit(_dual, irq) || !Bit(_pol, irq))
            SetPending(irq, true); // falling edge
    }

    /// <inheritdoc />
    public void BindSourceHandler(int irq, IIrqSourceHandler? handler)
    {
        if ((uint)irq >= (uint)_irqs)
            throw new InvalidOperationException($"GIC interrupt {irq} does not exist ({_irqs} shared interrupts)");
        if (handler is not null && _sources[irq] is not null && !ReferenceEquals(_sources[irq], handler))
            throw new InvalidOperationException($"GIC interrupt {irq} already has a source handler");
        _sources[irq] = handler;
    }

    /// <inheritdoc />
    public IIrqSourceHandler? GetSourceHandler(int irq) => (uint)irq < (uint)_irqs ? _sources[irq] : null;

    /// <summary>
    /// Three cells <c>&lt;GIC_SHARED number flags&gt;</c> (dt-bindings <c>mips-gic.h</c>: GIC_SHARED 0, GIC_LOCAL 1).
    /// Devices connect to shared interrupts only.
    /// </summary>
    /// <param name="cells">The specifier.</param>
    /// <param name="irq">The shared interrupt number.</param>
    public bool TryDecodeInterrupt(IReadOnlyList<uint> cells, out int irq)
    {
        irq = -1;
        if (cells.Count != 3 || cells[0] != 0 || cells[1] >= (uint)_irqs)
            return false;
        irq = (int)cells[1];
        return true;
    }

    // ---- timers ----

    /// <summary>Latches GIC count/compare interrupts whose compare value the counter has reached.</summary>
    public void Poll()
    {
        var now = Counter;
        for (var vp = 0; vp < _local.Length; vp++)
        {
            var l = _local[vp];
            if (l.Armed && now >= l.Compare)
            {
                l.Armed = false;
                l.Pend |= 1u << LocalCompare;
                UpdateLocal(vp);
            }
        }
    }

    /// <summary>The virtual time (ns) at which the next armed GIC compare fires, or null when none is armed or the counter is stopped.</summary>
    public ulong? NextTimerDeadline
    {
        get
        {
            if (_countStopped || _clock is null)
                return null;
            ulong? best = null;
            foreach (var l in _local)
            {
                if (!l.Armed)
                    continue;
                var rawTarget = l.Compare - _counterOffset;
                var ns = l.Compare < _counterOffset ? 0 : VmTime.Nanoseconds(rawTarget, CounterHz);
                if (best is null || ns < best)
                    best = ns;
            }
            return best;
        }
    }

    // ---- MMIO ----

    /// <inheritdoc />
    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        if (width != MmioWidth.Word || offset >= RegionSize || (offset & 3) != 0)
            return 0;
        var o = (int)offset;
        if (o < LocalBase)
            return ReadShared(o);
        if (o < OtherBase)
            return ReadLocal(vcpu, o - LocalBase);
        if (o < UserBase)
            return ReadLocal(OtherOf(vcpu), o - OtherBase);
        return o switch
        {
            UserBase => (uint)Counter,
            UserBase + 4 => (uint)(Counter >> 32),
            _ => 0,
        };
    }

    /// <inheritdoc />
    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu)
    {
        if (width != MmioWidth.Word || offset >= RegionSize || (offset & 3) != 0)
            return;
        var o = (int)offset;
        var v = (uint)value;
        if (o < LocalBase)
            WriteShared(o, v);
        else if (o < OtherBase)
            WriteLocal(vcpu, o - LocalBase, v);
        else if (o < UserBase)
            WriteLocal(OtherOf(vcpu), o - OtherBase, v);
    }

    private int OtherOf(int vcpu) => (uint)vcpu < (uint)_local.Length ? (int)_local[vcpu].Other : -1;

    private uint ReadShared(int o)
    {
        switch (o)
        {
            case ShConfig:
                // COUNTSTOP 28, COUNTBITS 27:24 = (64 - 32) / 4, NUMINTERRUPTS 23:16 = irqs / 8 - 1, PVPS 6:0 = VPs - 1.
                return (_countStopped ? ConfigCountStop : 0) | 8u << 24 | (uint)(_irqs / 8 - 1) << 16 | (uint)(_local.Length - 1);
            case ShCounterLo:
                return (uint)Counter;
            case ShCounterHi:
                return (uint)(Counter >> 32);
            case ShRevision:
                return Revision;
            case ShGidConfig:
                return _gidConfig;
        }
        if (o >= ShIntAvail && o < ShIntAvail + _irqs / 8)
            return uint.MaxValue;
        if (TryBitmap(o, ShPol, out var w)) return _pol[w];
        if (TryBitmap(o, ShTrig, out w)) return _trig[w];
        if (TryBitmap(o, ShDual, out w)) return _dual[w];
        if (TryBitmap(o, ShMask, out w)) return _mask[w];
        if (TryBitmap(o, ShPend, out w)) return _pend[w];
        if (o >= ShPin && o < ShPin + 4 * _irqs)
            return _pin[(o - ShPin) / 4];
        if (o >= ShMap && o < ShMap + 0x20 * _irqs)
            return (o - ShMap) % 0x20 == 0 ? _map[(o - ShMap) / 0x20] : 0;
        return 0;
    }

    private void WriteShared(int o, uint v)
    {
        switch (o)
        {
            case ShConfig:
                SetCountStop((v & ConfigCountStop) != 0);
                return;
            case ShCounterLo:
                SetCounter((Counter & 0xffff_ffff_0000_0000) | v);
                return;
            case ShCounterHi:
                SetCounter((Counter & 0xffff_ffff) | (ulong)v << 32);
                return;
            case ShGidConfig:
                _gidConfig = v;
                return;
            case ShWedge:
                Wedge(v);
                return;
        }
        if (TryBitmap(o, ShPol, out var w)) { _pol[w] = v; return; }
        if (TryBitmap(o, ShTrig, out w)) { _trig[w] = v; RecomputeLevelPending(w); return; }
        if (TryBitmap(o, ShDual, out w)) { _dual[w] = v; return; }
        if (TryBitmap(o, ShRmask, out w)) { ResetMask(w, v); return; }
        if (TryBitmap(o, ShSmask, out w)) { SetMask(w, v); return; }
        if (o >= ShPin && o < ShPin + 4 * _irqs)
        {
            var irq = (o - ShPin) / 4;
            _pin[irq] = v & (MapToPin | MapToNmi | 0xff00 | 0x3f);
            Route(irq);
            return;
        }
        if (o >= ShMap && o < ShMap + 0x20 * _irqs && (o - ShMap) % 0x20 == 0)
        {
            var irq = (o - ShMap) / 0x20;
            _map[irq] = v & VpMask();
            Route(irq);
        }
    }

    private uint VpMask() => _local.Length >= 32 ? uint.MaxValue : (1u << _local.Length) - 1;

    private bool TryBitmap(int o, int baseOffset, out int word)
    {
        word = (o - baseOffset) / 4;
        return o >= baseOffset && o < baseOffset + 4 * _words;
    }

    private void Wedge(uint v)
    {
        var irq = (int)(v & 0xff);
        if (irq >= _irqs)
            return;
        if ((v & WedgeRw) != 0)
            SetPending(irq, true);
        else
            SetPending(irq, !Bit(_trig, irq) && _level[irq]); // a level interrupt stays pending while its source is asserted
    }

    private void RecomputeLevelPending(int word)
    {
        for (var i = 0; i < 32; i++)
        {
            var irq = word * 32 + i;
            if (!Bit(_trig, irq))
                SetPending(irq, _level[irq]);
        }
    }

    private void ResetMask(int word, uint bits)
    {
        _mask[word] &= ~bits;
        for (var i = 0; bits != 0; i++, bits >>= 1)
        {
            if ((bits & 1) != 0)
                Evaluate(word * 32 + i);
        }
    }

    private void SetMask(int word, uint bits)
    {
        // Sources are told first (uvmm: before taking the lock) so that they may re-assert or clear their line.
        for (var i = 0; i < 32; i++)
        {
            if ((bits >> i & 1) != 0)
                _sources[word * 32 + i]?.Eoi();
        }
        _mask[word] |= bits;
        for (var i = 0; bits != 0; i++, bits >>= 1)
        {
            if ((bits & 1) != 0)
                Evaluate(word * 32 + i);
        }
    }

    private void SetPending(int irq, bool pending)
    {
        ref var w = ref _pend[irq / 32];
        var bit = 1u << (irq % 32);
        var now = pending ? w | bit : w & ~bit;
        if (now == w)
            return;
        w = now;
        Evaluate(irq);
    }

    private void Route(int irq)
    {
        var pin = _pin[irq];
        var vp = _map[irq];
        VcpuInterruptController? target = null;
        if (vp != 0 && (pin & MapToPin) != 0 && (pin & 0x3f) < 6)
            target = _cores[System.Numerics.BitOperations.TrailingZeroCount(vp)];
        var line = (int)(pin & 0x3f) + 2;
        if (!ReferenceEquals(_sinks[irq].Controller, target) || _sinks[irq].Irq != line)
            _sinks[irq].Rebind(target, line);
        Evaluate(irq);
    }

    private void Evaluate(int irq) => _sinks[irq].SetLevel(Bit(_pend, irq) && Bit(_mask, irq));

    private static bool Bit(uint[] words, int irq) => (words[irq / 32] >> (irq % 32) & 1) != 0;

    private void SetCountStop(bool stop)
    {
        if (stop == _countStopped)
            return;
        if (stop)
            _frozenCounter = Counter;
        else
            _counterOffset = _frozenCounter - Raw();
        _countStopped = stop;
    }

    private void SetCounter(ulong value)
    {
        if (_countStopped)
            _frozenCounter = value;
        else
            _counterOffset = value - Raw();
        Poll();
    }

    // ---- core-local section ----

    private uint ReadLocal(int vp, int reg)
    {
        if ((uint)vp >= (uint)_local.Length)
            return 0;
        Poll();
        var l = _local[vp];
        return reg switch
        {
            VxCtl => 0, // no EIC; timer, perf counter, SW and FDC interrupts are not routable (they go to the core directly)
            VxPend => l.Pend,
            VxMask => l.Mask,
            VxOther => l.Other,
            VxIdent => (uint)vp,
            VxCompareLo => (uint)l.Compare,
            VxCompareHi => (uint)(l.Compare >> 32),
            >= VxMapBase and < VxMapBase + 7 * 4 => l.Map[(reg - VxMapBase) / 4],
            _ => 0,
        };
    }

    private void WriteLocal(int vp, int reg, uint v)
    {
        if ((uint)vp >= (uint)_local.Length)
            return;
        var l = _local[vp];
        switch (reg)
        {
            case VxRmask:
                l.Mask &= ~v & 0x7f;
                break;
            case VxSmask:
                l.Mask |= v & 0x7f;
                break;
            case VxOther:
                if ((v & 0x3f) < (uint)_local.Length)
                    l.Other = v & 0x3f;
                return;
            case VxCompareLo:
                SetCompare(l, (l.Compare & 0xffff_ffff_0000_0000) | v);
                break;
            case VxCompareHi:
                SetCompare(l, (l.Compare & 0xffff_ffff) | (ulong)v << 32);
                break;
            case >= VxMapBase and < VxMapBase + 7 * 4:
                l.Map[(reg - VxMapBase) / 4] = v & (MapToPin | MapToNmi | 0x3f);
                break;
            default:
                return;
        }
        UpdateLocal(vp);
    }

    private void SetCompare(LocalState l, ulong compare)
    {
        // Writing GIC_VL_COMPARE acknowledges the compare interrupt (Linux gic_compare_interrupt) and re-arms it.
        // The interrupt fires when the counter reaches the compare value; a value the counter has already passed
        // does not fire (Linux gic_next_event checks for that and returns -ETIME).
        l.Compare = compare;
        l.Pend &= ~(1u << LocalCompare);
        l.Armed = compare > Counter;
    }

    private void UpdateLocal(int vp)
    {
        var l = _local[vp];
        // GIC_Vx_COMPARE_MAP is the second map register (mips_gic_vx_map_reg: WD, COMPARE, TIMER, FDC, PERFCTR, SWINT0, SWINT1).
        var map = l.Map[LocalCompare];
        var target = (map & MapToPin) != 0 && (map & 0x3f) < 6 ? _cores[vp] : null;
        var line = (int)(map & 0x3f) + 2;
        if (!ReferenceEquals(l.CompareSink.Controller, target) || l.CompareSink.Irq != line)
            l.CompareSink.Rebind(target, line);
        l.CompareSink.SetLevel((l.Pend & l.Mask & 1u << LocalCompare) != 0);
    }
}
