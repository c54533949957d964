using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// A MIPS32r2 P5600 vCPU in VZ guest mode: the engine runs guest code only; this class is the root side's
/// API — the way a VMM thread sees its vCPU after a Fiasco <c>vcpu_resume</c>. <see cref="Run"/> executes
/// until an exit (exact root Cause.ExcCode, GExcCode, BadVAddr, BadInstr, BadInstrP, Cause.BD), the
/// instruction budget, or <see cref="RequestStop"/>; the VMM handles the exit (emulating MMIO, sensitive
/// instructions, hypercalls), advances the PC with <see cref="SkipInstruction"/> and resumes. Guest memory is
/// reached through an <see cref="ISecondStage"/> (the VM's guest-physical space). Time: the root Count runs at
/// one tick per <see cref="P5600Guest.CountResolution"/> retired instructions; guest Count = root Count + GTOffset.
/// </summary>
public sealed class Vcpu
{
    private readonly MipsCore _core;

    /// <summary>Creates a vCPU over <paramref name="secondStage"/>, in the architectural reset state.</summary>
    public Vcpu(ISecondStage secondStage, VcpuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(secondStage);
        Options = options ?? new VcpuOptions();
        Tlb = new GuestTlb(Options.TlbEntries);
        State = new VzState(Options.CpuNum, Options.TlbEntries, Options.FiascoMasks);
        SecondStage = secondStage;
        _core = new MipsCore(State, Tlb, secondStage);
        Reset();
    }

    /// <summary>The configuration.</summary>
    public VcpuOptions Options { get; }

    /// <summary>The vCPU number (<see cref="VcpuOptions.CpuNum"/>: EBase.CPUNum, GIC VP, CM core).</summary>
    public int Id => Options.CpuNum;

    /// <summary>The VZ state (root controls and guest CP0 context) with Fiasco-style dirty tracking.</summary>
    public VzState State { get; }

    /// <summary>The guest TLB.</summary>
    public GuestTlb Tlb { get; }

    /// <summary>The second translation stage.</summary>
    public ISecondStage SecondStage { get; }

    /// <summary>
    /// The guest PC (where the next <see cref="Run"/> starts). After an instruction-limit stop right after a branch it is
    /// the branch's delay slot (<see cref="InDelaySlot"/>); setting it cancels that pending branch.
    /// </summary>
    public uint Pc
    {
        get => _core.Pc;
        set => _core.Pc = value;
    }

    /// <summary>Whether the vCPU stopped between a branch and its delay slot (only after an instruction-limit or stop exit).</summary>
    public bool InDelaySlot => _core.InDelaySlot;

    /// <summary>HI.</summary>
    public uint Hi { get => _core.HiReg; set => _core.HiReg = value; }

    /// <summary>LO.</summary>
    public uint Lo { get => _core.LoReg; set => _core.LoReg = value; }

    /// <summary>Guest instructions retired since creation.</summary>
    public long InstructionsRetired => _core.Retired;

    /// <summary>Root cycles elapsed: retired instructions plus idle time added by <see cref="AdvanceIdle"/>.</summary>
    public ulong Cycles => _core.Cycles;

    /// <summary>The root Count register (cycles / <see cref="P5600Guest.CountResolution"/>).</summary>
    public uint RootCount => _core.RootCount;

    /// <summary>The guest Count register (root Count + GTOffset).</summary>
    public uint GuestCount => _core.GuestCount;

    /// <summary>GPR <paramref name="index"/> (0 reads as 0).</summary>
    public uint GetGpr(int index) => _core.GetGpr(index);

    /// <summary>Sets GPR <paramref name="index"/> (writes to 0 are ignored).</summary>
    public void SetGpr(int index, uint value) => _core.SetGpr(index, value);

    /// <summary>Copies the 32 GPRs into <paramref name="destination"/>.</summary>
    public void GetGprs(Span<uint> destination)
    {
        for (var i = 0; i < 32; i++)
            destination[i] = _core.GetGpr(i);
    }

    /// <summary>
    /// Architectural reset: GPRs, HI/LO zero, PC = 0xBFC00000, Status.ERL = BEV = 1, P5600 Config registers,
    /// GuestCtl0 = Fiasco's default (CP0 = 1, AT = 3), all TLB entries invalid, decoded code dropped.
    /// </summary>
    public void Reset() => _core.Reset();

    /// <summary>
    /// Resumes the guest for at most <paramref name="maxInstructions"/> retired instructions. Applies the state
    /// groups the VMM marked in <see cref="VzState.ModifiedCp0Map"/> first. Allocates nothing.
    /// </summary>
    public VcpuExit Run(long maxInstructions) => _core.Run(maxInstructions);

    /// <summary>
    /// Continues after the exiting instruction, as the VMM does once it emulated it (uvmm's
    /// <c>jump_instruction</c>): EPC + 4, or — for an exit in a delay slot — the branch target computed when the
    /// branch executed.
    /// </summary>
    public void SkipInstruction() => _core.Pc = _core.ExitResumePc;

    /// <summary>Clears the guest's LLbit on the next resume (uvmm's answer to a trapped MTC0 LLAddr with bit 0 clear).</summary>
    public void ClearLlBit() => State.ModifiedCp0Map |= VzStateFields.LlBit;

    /// <summary>Asks a running <see cref="Run"/> to return soon with <see cref="VcpuExitReason.Stopped"/> (thread-safe).</summary>
    public void RequestStop() => _core.RequestStop();

    /// <summary>Cycles until the guest timer fires (guest Count reaches Compare), or ulong.MaxValue when it cannot fire (GT = 0 or TI pending).</summary>
    public ulong CyclesUntilTimer() => _core.CyclesUntilTimer();

    /// <summary>Advances the root clock by <paramref name="cycles"/> without executing (a VMM emulating WAIT).</summary>
    public void AdvanceIdle(ulong cycles) => _core.AdvanceCycles(cycles);

    /// <summary>Sets or clears virtual interrupt line <paramref name="ip"/> (2–7) in GuestCtl2.VIP → guest Cause.IP.</summary>
    public void SetVirtualInterrupt(int ip, bool asserted)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ip, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ip, 7);
        var bit = 1u << (8 + ip);
        State.GuestCtl2 = asserted ? State.GuestCtl2 | bit : State.GuestCtl2 & ~bit;
    }

    /// <summary>Diagnostics: called for every exception and interrupt the guest takes through its own vectors (null: off, no cost).</summary>
    public GuestExceptionObserver? GuestExceptionObserver
    {
        get => _core.ExceptionObserver;
        set => _core.ExceptionObserver = value;
    }

    /// <summary>Drops decoded guest code of a guest-physical range the VMM wrote (DMA, loaders).</summary>
    public void InvalidateCode(ulong gpa, ulong length) => _core.InvalidateCode(gpa, length);

    /// <summary>Drops all decoded guest code.</summary>
    public void InvalidateAllCode() => _core.InvalidateAllCode();
}
