using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Mips;

/// <summary>
/// The MIPS32r2 execution engine in VZ guest mode: register file, guest CP0 context (held in a
/// <see cref="VzState"/>), guest TLB, software TLB, decoded-instruction cache and the interpreter loop.
/// The public face is <see cref="Vcpu"/>. Instruction semantics follow the MIPS32 Architecture Volume II
/// (MD00086) and the Privileged Resource Architecture (MD00090); where those leave results UNPREDICTABLE the
/// engine matches QEMU (target/mips/tcg), noted at each place.
/// </summary>
internal sealed unsafe partial class MipsCore
{
    /// <summary>Register-file index of HI.</summary>
    public const int Hi = 33;
    /// <summary>Register-file index of LO.</summary>
    public const int Lo = 34;

    /// <summary>Longest stretch between checks of interrupts, timers and stop requests.</summary>
    private const long MaxChunk = 1 << 16;

    private readonly uint[] _regArray = GC.AllocateArray<uint>(40, pinned: true);
    private readonly uint* _r;
    private readonly VzState _vz;
    private readonly GuestTlb _tlb;
    private readonly ISecondStage _stage;
    private readonly SoftTlbSet[] _softTlb = [new SoftTlbSet(), new SoftTlbSet()];
    private readonly Dictionary<uint, DecodedPage> _code = [];

    private uint _pc;
    private bool _slotPending;
    private uint _slotTarget;
    private Fault _fault;
    private long _retired;
    private ulong _cycles;
    private ulong _timerDeadline = ulong.MaxValue;
    private long _tlbVersionSeen = -1;
    private long _stageGenerationSeen = -1;
    private uint _llVa;
    private uint _llValue;
    private uint _random = 0x2545_f491;
    private uint _jumpTarget;
    private volatile bool _stopRequested;

    // Exit bookkeeping: where execution continues when the VMM skips the exiting instruction.
    private uint _exitResumePc;

    public MipsCore(VzState vz, GuestTlb tlb, ISecondStage stage)
    {
        _vz = vz;
        _tlb = tlb;
        _stage = stage;
        fixed (uint* r = _regArray)
            _r = r;
    }

    public VzState Vz => _vz;

    public GuestTlb Tlb => _tlb;

    /// <summary>The next PC. Setting it drops a pending delay slot.</summary>
    public uint Pc
    {
        get => _pc;
        set
        {
            _pc = value;
            _slotPending = false;
        }
    }

    /// <summary>True when the last run stopped between a branch and its delay slot (PC is the slot).</summary>
    public bool InDelaySlot => _slotPending;

    public uint GetGpr(int index) => index == 0 ? 0 : _r[index & 31];

    public void SetGpr(int index, uint value)
    {
        if (index != 0)
            _r[index & 31] = value;
    }

    public uint HiReg
    {
        get => _r[Hi];
        set => _r[Hi] = value;
    }

    public uint LoReg
    {
        get => _r[Lo];
        set => _r[Lo] = value;
    }

    /// <summary>Instructions retired since creation.</summary>
    public long Retired => _retired;

    /// <summary>Root cycles elapsed (retired instructions plus idle time).</summary>
    public ulong Cycles => _cycles;

    /// <summary>Root Count: one increment every <see cref="P5600Guest.CountResolution"/> cycles.</summary>
    public uint RootCount => (uint)(_cycles / P5600Guest.CountResolution);

    /// <summary>Guest Count = root Count + GTOffset.</summary>
    public uint GuestCount => RootCount + (uint)_vz.GtOffsetRaw;

    public uint ExitResumePc => _exitResumePc;

    public void RequestStop() => _stopRequested = true;

    /// <summary>Advances the root clock by idle cycles (a VMM emulating WAIT).</summary>
    public void AdvanceCycles(ulong cycles) => _cycles += cycles;

    /// <summary>Cycles until guest Count reaches Compare (ulong.MaxValue when the guest timer is off or already pending).</summary>
    public ulong CyclesUntilTimer()
    {
        UpdateTimerDeadline();
        return _timerDeadline == ulong.MaxValue ? ulong.MaxValue : _timerDeadline - Math.Min(_timerDeadline, _cycles);
    }

    /// <summary>Resets registers, PC (0xBFC00000), the guest context and the TLB to the architectural reset state.</summary>
    public void Reset()
    {
        Array.Clear(_regArray);
        _pc = 0xbfc0_0000;
        _vz.Reset();
        _tlb.InvalidateAll();
        InvalidateAllCode();
    }

    /// <summary>Drops every decoded page (e.g. after the VMM wrote guest code behind the engine's back).</summary>
    public void InvalidateAllCode()
    {
        foreach (var page in _code.Values)
        {
            page.Registered = false;
            page.Clear();
        }
        _code.Clear();
        foreach (var set in _softTlb)
        {
            set.Flush();
            set.Key = ulong.MaxValue;
        }
    }

    /// <summary>Drops decoded instructions of guest-physical range [<paramref name="gpa"/>, +<paramref name="length"/>).</summary>
    public void InvalidateCode(ulong gpa, ulong length)
    {
        if (length == 0)
            return;
        var end = gpa + length;
        for (var page = gpa & ~0xffful; page < end; page += 0x1000)
        {
            if (!_code.TryGetValue((uint)(page >> 12), out var dp))
                continue;
            var from = Math.Max(gpa, page) - page;
            var to = Math.Min(end, page + 0x1000) - page;
            dp.Clear((uint)from, (uint)(to - from));
        }
    }
}
