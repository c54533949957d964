namespace L4Re.Uvmm.Mips;

/// <summary>
/// The semantics hook of an instruction-set table row: the operation the interpreter performs (and a
/// later MIPS → IL translator emits). Several table rows may share one operation (<c>b</c> and <c>beq</c>,
/// <c>nop</c> and <c>sll</c>, every coprocessor-1 encoding). <see cref="Undecoded"/> marks an empty slot of
/// the decoded-instruction cache; <see cref="Reserved"/> is every encoding the table does not define.
/// </summary>
public enum Op : byte
{
    /// <summary>Decoded-instruction cache slot that has not been decoded yet (never produced by the decoder).</summary>
    Undecoded = 0,
    /// <summary>Encoding not defined by MIPS32r2 as implemented: Reserved Instruction exception.</summary>
    Reserved,

    // SPECIAL
    /// <summary>No operation (SLL with rd = 0 and every other hint: NOP, SSNOP, EHB, PAUSE).</summary>
    Nop,
    /// <summary>Shift left logical.</summary>
    Sll,
    /// <summary>Shift right logical.</summary>
    Srl,
    /// <summary>Shift right arithmetic.</summary>
    Sra,
    /// <summary>Rotate right (R2).</summary>
    Rotr,
    /// <summary>Shift left logical variable.</summary>
    Sllv,
    /// <summary>Shift right logical variable.</summary>
    Srlv,
    /// <summary>Shift right arithmetic variable.</summary>
    Srav,
    /// <summary>Rotate right variable (R2).</summary>
    Rotrv,
    /// <summary>Jump register (also JR.HB).</summary>
    Jr,
    /// <summary>Jump and link register (also JALR.HB).</summary>
    Jalr,
    /// <summary>Move conditional on zero.</summary>
    Movz,
    /// <summary>Move conditional on not zero.</summary>
    Movn,
    /// <summary>System call exception.</summary>
    Syscall,
    /// <summary>Breakpoint exception.</summary>
    Break,
    /// <summary>Memory barrier (no effect in a sequentially consistent model).</summary>
    Sync,
    /// <summary>Move from HI.</summary>
    Mfhi,
    /// <summary>Move to HI.</summary>
    Mthi,
    /// <summary>Move from LO.</summary>
    Mflo,
    /// <summary>Move to LO.</summary>
    Mtlo,
    /// <summary>Multiply signed into HI/LO.</summary>
    Mult,
    /// <summary>Multiply unsigned into HI/LO.</summary>
    Multu,
    /// <summary>Divide signed into LO (quotient) and HI (remainder).</summary>
    Div,
    /// <summary>Divide unsigned.</summary>
    Divu,
    /// <summary>Add with overflow trap.</summary>
    Add,
    /// <summary>Add without trap.</summary>
    Addu,
    /// <summary>Subtract with overflow trap.</summary>
    Sub,
    /// <summary>Subtract without trap.</summary>
    Subu,
    /// <summary>Bitwise and.</summary>
    And,
    /// <summary>Bitwise or.</summary>
    Or,
    /// <summary>Bitwise exclusive or.</summary>
    Xor,
    /// <summary>Bitwise not-or.</summary>
    Nor,
    /// <summary>Set on less than (signed).</summary>
    Slt,
    /// <summary>Set on less than (unsigned).</summary>
    Sltu,
    /// <summary>Trap if greater or equal.</summary>
    Tge,
    /// <summary>Trap if greater or equal unsigned.</summary>
    Tgeu,
    /// <summary>Trap if less than.</summary>
    Tlt,
    /// <summary>Trap if less than unsigned.</summary>
    Tltu,
    /// <summary>Trap if equal.</summary>
    Teq,
    /// <summary>Trap if not equal.</summary>
    Tne,

    // REGIMM
    /// <summary>Branch on less than zero.</summary>
    Bltz,
    /// <summary>Branch on greater than or equal to zero.</summary>
    Bgez,
    /// <summary>Branch on less than zero likely.</summary>
    Bltzl,
    /// <summary>Branch on greater than or equal to zero likely.</summary>
    Bgezl,
    /// <summary>Trap if greater or equal immediate.</summary>
    Tgei,
    /// <summary>Trap if greater or equal immediate unsigned.</summary>
    Tgeiu,
    /// <summary>Trap if less than immediate.</summary>
    Tlti,
    /// <summary>Trap if less than immediate unsigned.</summary>
    Tltiu,
    /// <summary>Trap if equal immediate.</summary>
    Teqi,
    /// <summary>Trap if not equal immediate.</summary>
    Tnei,
    /// <summary>Branch on less than zero and link.</summary>
    Bltzal,
    /// <summary>Branch on greater than or equal to zero and link (BAL when rs = 0).</summary>
    Bgezal,
    /// <summary>Branch on less than zero and link likely.</summary>
    Bltzall,
    /// <summary>Branch on greater than or equal to zero and link likely.</summary>
    Bgezall,
    /// <summary>Synchronize caches to make instruction writes effective (R2).</summary>
    Synci,

    // Primary opcodes
    /// <summary>Jump.</summary>
    J,
    /// <summary>Jump and link.</summary>
    Jal,
    /// <summary>Branch on equal (B when rs = rt = 0).</summary>
    Beq,
    /// <summary>Branch on not equal.</summary>
    Bne,
    /// <summary>Branch on less than or equal to zero.</summary>
    Blez,
    /// <summary>Branch on greater than zero.</summary>
    Bgtz,
    /// <summary>Add immediate with overflow trap.</summary>
    Addi,
    /// <summary>Add immediate without trap.</summary>
    Addiu,
    /// <summary>Set on less than immediate.</summary>
    Slti,
    /// <summary>Set on less than immediate unsigned.</summary>
    Sltiu,
    /// <summary>And immediate.</summary>
    Andi,
    /// <summary>Or immediate.</summary>
    Ori,
    /// <summary>Exclusive or immediate.</summary>
    Xori,
    /// <summary>Load upper immediate.</summary>
    Lui,
    /// <summary>Branch on equal likely.</summary>
    Beql,
    /// <summary>Branch on not equal likely.</summary>
    Bnel,
    /// <summary>Branch on less than or equal to zero likely.</summary>
    Blezl,
    /// <summary>Branch on greater than zero likely.</summary>
    Bgtzl,

    // SPECIAL2
    /// <summary>Multiply and add to HI/LO.</summary>
    Madd,
    /// <summary>Multiply unsigned and add to HI/LO.</summary>
    Maddu,
    /// <summary>Multiply to GPR (HI/LO unpredictable; left unchanged here, as QEMU does).</summary>
    Mul,
    /// <summary>Multiply and subtract from HI/LO.</summary>
    Msub,
    /// <summary>Multiply unsigned and subtract from HI/LO.</summary>
    Msubu,
    /// <summary>Count leading zeros.</summary>
    Clz,
    /// <summary>Count leading ones.</summary>
    Clo,
    /// <summary>Software debug breakpoint (no EJTAG: Reserved Instruction).</summary>
    Sdbbp,

    // SPECIAL3
    /// <summary>Extract bit field (R2).</summary>
    Ext,
    /// <summary>Insert bit field (R2).</summary>
    Ins,
    /// <summary>Word swap bytes within halfwords (R2).</summary>
    Wsbh,
    /// <summary>Sign-extend byte (R2).</summary>
    Seb,
    /// <summary>Sign-extend halfword (R2).</summary>
    Seh,
    /// <summary>Read hardware register (R2).</summary>
    Rdhwr,

    // Loads and stores
    /// <summary>Load byte.</summary>
    Lb,
    /// <summary>Load halfword.</summary>
    Lh,
    /// <summary>Load word left.</summary>
    Lwl,
    /// <summary>Load word.</summary>
    Lw,
    /// <summary>Load byte unsigned.</summary>
    Lbu,
    /// <summary>Load halfword unsigned.</summary>
    Lhu,
    /// <summary>Load word right.</summary>
    Lwr,
    /// <summary>Store byte.</summary>
    Sb,
    /// <summary>Store halfword.</summary>
    Sh,
    /// <summary>Store word left.</summary>
    Swl,
    /// <summary>Store word.</summary>
    Sw,
    /// <summary>Store word right.</summary>
    Swr,
    /// <summary>Cache operation.</summary>
    Cache,
    /// <summary>Load linked word.</summary>
    Ll,
    /// <summary>Prefetch (no effect).</summary>
    Pref,
    /// <summary>Store conditional word.</summary>
    Sc,

    // COP0
    /// <summary>Move from coprocessor 0.</summary>
    Mfc0,
    /// <summary>Move to coprocessor 0.</summary>
    Mtc0,
    /// <summary>Disable interrupts (R2).</summary>
    Di,
    /// <summary>Enable interrupts (R2).</summary>
    Ei,
    /// <summary>Read GPR from previous shadow set (one set: a move).</summary>
    Rdpgpr,
    /// <summary>Write GPR to previous shadow set (one set: a move).</summary>
    Wrpgpr,
    /// <summary>Read indexed TLB entry.</summary>
    Tlbr,
    /// <summary>Write indexed TLB entry.</summary>
    Tlbwi,
    /// <summary>Invalidate TLB entries matching EntryHi.ASID (Config4.IE = 2).</summary>
    Tlbinv,
    /// <summary>Invalidate all TLB entries (Config4.IE = 2).</summary>
    Tlbinvf,
    /// <summary>Write random TLB entry.</summary>
    Tlbwr,
    /// <summary>Probe TLB for a matching entry.</summary>
    Tlbp,
    /// <summary>Exception return (clears LLbit).</summary>
    Eret,
    /// <summary>Exception return, LLbit not cleared (R5).</summary>
    Eretnc,
    /// <summary>Debug exception return (no debug mode: Reserved Instruction).</summary>
    Deret,
    /// <summary>Enter standby mode (a guest-privileged sensitive instruction in VZ guest mode).</summary>
    Wait,
    /// <summary>Hypervisor call (VZ).</summary>
    Hypcall,
    /// <summary>Root-only VZ instructions (MFGC0, MTGC0, TLBG*): Reserved Instruction in guest mode.</summary>
    VzRootOnly,

    // Coprocessors without an implementation
    /// <summary>Any COP1/COP1X/LWC1/… encoding: Coprocessor Unusable (Config1.FP = 0).</summary>
    Cop1,
    /// <summary>Any COP2/LWC2/… encoding: Coprocessor Unusable (no coprocessor 2).</summary>
    Cop2,

    /// <summary>Decoded-instruction cache sentinel after the last slot of a page: sequential flow continues on the next page (never produced by the decoder).</summary>
    PageEnd,
}
