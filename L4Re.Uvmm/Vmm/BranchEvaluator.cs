namespace L4Re.Uvmm.Vmm;

/// <summary>
/// Evaluates the MIPS32 branch or jump in front of a faulting delay-slot instruction (root <c>Cause.BD</c> set,
/// <c>BadInstrP</c> holding the branch, EPC pointing at it), so that after emulating the delay-slot access the
/// VMM resumes where the hardware would have: uvmm's <c>Vcpu_ptr::jump_instruction</c> (ARCH-mips
/// <c>vcpu_ptr.h</c>). Encodings from the MIPS32 Architecture for Programmers Vol. II.
/// <para>Branch-likely forms are always taken here: their delay slot only executes when the branch is taken,
/// so a delay-slot fault proves it. Conditions are evaluated on the GPRs as they were before the delay-slot
/// instruction (the caller must evaluate before writing a load result back).</para>
/// </summary>
public static class BranchEvaluator
{
    /// <summary>Evaluates <paramref name="branch"/> located at <paramref name="pc"/>.</summary>
    /// <param name="branch">The branch instruction word (BadInstrP).</param>
    /// <param name="pc">Its address (EPC when Cause.BD is set).</param>
    /// <param name="gpr">The 32 general-purpose registers.</param>
    /// <param name="outcome">Where execution continues.</param>
    /// <returns>False when the word is not a MIPS32 branch or jump (a malformed exit: the VMM stops the VM).</returns>
    public static bool TryEvaluate(uint branch, uint pc, ReadOnlySpan<uint> gpr, out BranchOutcome outcome)
    {
        if (gpr.Length < 32)
            throw new ArgumentException("32 GPRs are required", nameof(gpr));
        var rs = (int)(branch >> 21) & 0x1f;
        var rt = (int)(branch >> 16) & 0x1f;
        var rd = (int)(branch >> 11) & 0x1f;
        var s = (int)gpr[rs];
        var t = (int)gpr[rt];
        var target = pc + 4 + (uint)((int)(short)(branch & 0xffff) << 2);
        var fallThrough = pc + 8;
        outcome = default;

        BranchOutcome Cond(bool taken, int link = -1) => new(taken ? target : fallThrough, taken, link);

        switch (branch >> 26)
        {
            case 0x00: // SPECIAL
                switch (branch & 0x3f)
                {
                    case 0x08 when rt == 0 && rd == 0: // JR, JR.HB
                        outcome = new BranchOutcome(gpr[rs], true, -1);
                        return true;
                    case 0x09 when rt == 0: // JALR, JALR.HB
                        outcome = new BranchOutcome(gpr[rs], true, rd);
                        return true;
                }
                return false;
            case 0x01: // REGIMM
                switch (rt)
                {
                    case 0x00: outcome = Cond(s < 0); return true;            // BLTZ
                    case 0x01: outcome = Cond(s >= 0); return true;           // BGEZ
                    case 0x02: outcome = Cond(true); return true;             // BLTZL
                    case 0x03: outcome = Cond(true); return true;             // BGEZL
                    case 0x10: outcome = Cond(s < 0, 31); return true;        // BLTZAL
                    case 0x11: outcome = Cond(s >= 0, 31); return true;       // BGEZAL (BAL with rs = 0)
                    case 0x12: outcome = Cond(true, 31); return true;         // BLTZALL
                    case 0x13: outcome = Cond(true, 31); return true;         // BGEZALL
                }
                return false;
            case 0x02: // J
                outcome = new BranchOutcome(((pc + 4) & 0xf000_0000) | ((branch & 0x03ff_ffff) << 2), true, -1);
                return true;
            case 0x03: // JAL
                outcome = new BranchOutcome(((pc + 4) & 0xf000_0000) | ((branch & 0x03ff_ffff) << 2), true, 31);
                return true;
            case 0x04: outcome = Cond(s == t); return true;                   // BEQ (B)
            case 0x05: outcome = Cond(s != t); return true;                   // BNE
            case 0x06 when rt == 0: outcome = Cond(s <= 0); return true;      // BLEZ
            case 0x07 when rt == 0: outcome = Cond(s > 0); return true;       // BGTZ
            case 0x14: case 0x15: outcome = Cond(true); return true;          // BEQL, BNEL
            case 0x16 when rt == 0: outcome = Cond(true); return true;        // BLEZL
            case 0x17 when rt == 0: outcome = Cond(true); return true;        // BGTZL
            default:
                return false;
        }
    }
}
