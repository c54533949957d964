namespace L4Re.Uvmm.Vmm;

/// <summary>The effect of a branch or jump: where execution continues and which register receives the return address.</summary>
/// <param name="NextPc">The address of the instruction after the delay slot: the target when taken, else branch PC + 8.</param>
/// <param name="Taken">True when the branch is taken.</param>
/// <param name="LinkRegister">The GPR written with branch PC + 8 (31 for JAL/BAL, rd for JALR), or -1.</param>
public readonly record struct BranchOutcome(uint NextPc, bool Taken, int LinkRegister)
{
    /// <summary>True when the branch writes a link register.</summary>
    public bool Links => LinkRegister > 0;
}
