using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// What a vCPU resume returns: for a VM exit exactly what the hardware reports to the root — Cause.ExcCode
/// (27 = guest exit, 1/2/3 = root TLB modify/load/store for a missing or read-only second-stage mapping),
/// GuestCtl0.GExcCode, BadVAddr (a GPA for GPA exits), BadInstr, BadInstrP, Cause.BD and EPC — plus the
/// number of guest instructions retired by this resume.
/// </summary>
/// <param name="Reason">Why the resume returned.</param>
/// <param name="ExcCode">Root Cause.ExcCode (meaningful for <see cref="VcpuExitReason.Exception"/>).</param>
/// <param name="GuestExitCode">GuestCtl0.GExcCode.</param>
/// <param name="Epc">Root EPC: the guest PC of the exiting instruction (of the branch when <paramref name="BranchDelay"/>); the next PC for the other reasons.</param>
/// <param name="BadVAddr">Root BadVAddr (GPA or GVA for root TLB exits).</param>
/// <param name="BadInstr">The exiting instruction (0 when not available, e.g. for an instruction fetch).</param>
/// <param name="BadInstrP">The branch before the exiting instruction when it is in a delay slot.</param>
/// <param name="BranchDelay">Root Cause.BD.</param>
/// <param name="Instructions">Guest instructions retired during this resume.</param>
public readonly record struct VcpuExit(
    VcpuExitReason Reason,
    ExcCode ExcCode,
    GuestExitCode GuestExitCode,
    uint Epc,
    uint BadVAddr,
    uint BadInstr,
    uint BadInstrP,
    bool BranchDelay,
    long Instructions)
{
    /// <summary>The root Cause register value of the exit (BD in bit 31, ExcCode in 6:2).</summary>
    public uint Cause => (BranchDelay ? Cp0Bits.CauseBD : 0) | (uint)ExcCode << 2;

    /// <summary>Whether this is a guest exit (Cause.ExcCode = 27) with GExcCode <paramref name="code"/>.</summary>
    public bool IsGuestExit(GuestExitCode code) => Reason == VcpuExitReason.Exception && ExcCode == ExcCode.GE && GuestExitCode == code;

    /// <summary>Whether this is a root TLB exception during guest execution (an unmapped or read-only GPA: MMIO).</summary>
    public bool IsRootTlb => Reason == VcpuExitReason.Exception && ExcCode is ExcCode.Mod or ExcCode.TlbL or ExcCode.TlbS;

    /// <inheritdoc />
    public override string ToString() => Reason switch
    {
        VcpuExitReason.Exception when ExcCode == ExcCode.GE =>
            $"guest exit {GuestExitCode} at 0x{Epc:x8}{(BranchDelay ? " (delay slot)" : "")}, instr 0x{BadInstr:x8}",
        VcpuExitReason.Exception =>
            $"root {ExcCode} ({GuestExitCode}) at 0x{Epc:x8}{(BranchDelay ? " (delay slot)" : "")}, address 0x{BadVAddr:x8}, instr 0x{BadInstr:x8}",
        _ => $"{Reason} at 0x{Epc:x8} after {Instructions} instructions",
    };
}
