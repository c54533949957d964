namespace L4Re.Uvmm.Mips;

/// <summary>
/// An operand of an instruction-set table row: which encoding bits it occupies and how the assembler
/// parses and the disassembler prints it.
/// </summary>
public enum OperandKind : byte
{
    /// <summary>GPR in bits 15:11.</summary>
    Rd,
    /// <summary>GPR in bits 25:21.</summary>
    Rs,
    /// <summary>GPR in bits 20:16.</summary>
    Rt,
    /// <summary>Shift amount in bits 10:6.</summary>
    Sa,
    /// <summary>Signed 16-bit immediate in bits 15:0.</summary>
    Simm16,
    /// <summary>Unsigned 16-bit immediate in bits 15:0.</summary>
    Uimm16,
    /// <summary>Memory operand <c>offset(base)</c>: signed offset in bits 15:0, base GPR in bits 25:21.</summary>
    Mem,
    /// <summary>PC-relative branch target: signed word offset in bits 15:0 from the delay slot.</summary>
    Rel16,
    /// <summary>Jump target in the current 256 MiB region: word index in bits 25:0.</summary>
    Abs26,
    /// <summary>20-bit code in bits 25:6 (SYSCALL, BREAK, SDBBP).</summary>
    Code20,
    /// <summary>10-bit code in bits 15:6 (trap instructions).</summary>
    Code10,
    /// <summary>19-bit implementation code in bits 24:6 (WAIT).</summary>
    WaitCode,
    /// <summary>10-bit hypercall code in bits 20:11 (HYPCALL).</summary>
    HypCode,
    /// <summary>Barrier type in bits 10:6 (SYNC).</summary>
    Stype,
    /// <summary>Coprocessor-0 register number in bits 15:11.</summary>
    Cp0Reg,
    /// <summary>Coprocessor-0 register select in bits 2:0.</summary>
    Sel,
    /// <summary>Hardware register number in bits 15:11 (RDHWR).</summary>
    HwReg,
    /// <summary>5-bit operation or hint in bits 20:16 (CACHE op, PREF hint).</summary>
    Op5,
    /// <summary>Bit-field position in bits 10:6 (EXT, INS).</summary>
    Pos,
    /// <summary>EXT field size: bits 15:11 hold size − 1.</summary>
    ExtSize,
    /// <summary>INS field size: bits 15:11 hold pos + size − 1.</summary>
    InsSize,
    /// <summary>Floating-point register in bits 20:16 (LWC1 and friends).</summary>
    Ft,
    /// <summary>Coprocessor register in bits 20:16 (LWC2 and friends).</summary>
    Cop2Reg,
    /// <summary>Raw 26-bit coprocessor operation in bits 25:0.</summary>
    CopFunc,
}
