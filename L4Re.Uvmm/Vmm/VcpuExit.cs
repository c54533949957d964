using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Why a vCPU stopped running guest code, exactly as the VZ hardware reports it to the root (and as Fiasco
/// hands it to uvmm in the vCPU state): root Cause.ExcCode, GuestCtl0.GExcCode for guest exits, BadVAddr (the GPA
/// of a root TLB fault), BadInstr, BadInstrP and Cause.BD. The vCPU's EPC is its PC (<see cref="IVcpuContext.Pc"/>).
/// </summary>
/// <param name="ExcCode">Root Cause.ExcCode: <see cref="ExcCode.Int"/> (an interrupt or event for the VMM),
/// <see cref="ExcCode.Mod"/>/<see cref="ExcCode.TlbL"/>/<see cref="ExcCode.TlbS"/> (no second-stage mapping: MMIO),
/// <see cref="ExcCode.GE"/> (guest exit, see <paramref name="GuestExitCode"/>).</param>
/// <param name="GuestExitCode">GuestCtl0.GExcCode when <paramref name="ExcCode"/> is <see cref="ExcCode.GE"/>.</param>
/// <param name="BadVAddr">Root BadVAddr: the guest-physical address of a root TLB fault.</param>
/// <param name="BadInstr">The instruction that caused the exit.</param>
/// <param name="BadInstrP">The branch before it when <paramref name="BranchDelay"/>.</param>
/// <param name="BranchDelay">Root Cause.BD: the instruction sat in a branch delay slot and EPC points at the branch.</param>
public readonly record struct VcpuExit(ExcCode ExcCode, GuestExitCode GuestExitCode, uint BadVAddr, uint BadInstr, uint BadInstrP, bool BranchDelay);
