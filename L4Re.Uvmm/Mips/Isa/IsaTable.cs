namespace L4Re.Uvmm.Mips;

/// <summary>
/// The one definition of the implemented instruction set: MIPS32 Release 2 integer ISA, the privileged
/// (COP0) instructions of a MIPS32r5 core with the VZ ASE, and the coprocessor-1/2 encodings that raise
/// Coprocessor Unusable. InstructionDecoder, assembler and disassembler are generated from these rows.
/// Encodings: MIPS32 Architecture Volume II (MD00086) and the VZ ASE (MD00846), cross-checked with
/// binutils' opcodes/mips-opc.c and QEMU target/mips/tcg/translate.c.
/// Rows are listed from general to specific per opcode; where several rows match a word, the row with the
/// most significant mask bits wins (aliases such as <c>nop</c>, <c>move</c>, <c>b</c>).
/// </summary>
public static class IsaTable
{
    /// <summary>All rows, in table order.</summary>
    public static IReadOnlyList<InstructionForm> Forms { get; } = Build();

    private static InstructionForm[] Build()
    {
        var t = new List<InstructionForm>(200);
        void R(string m, uint match, uint mask, Op op, string operands, ImmKind imm = ImmKind.None,
               DestKind dest = DestKind.None, InsnFlags flags = InsnFlags.None)
            => t.Add(new InstructionForm(m, match, mask, op, ParseOperands(operands), imm, dest, flags));

        const InsnFlags A = InsnFlags.Alias, R2 = InsnFlags.Release2, Br = InsnFlags.Branch,
            L = InsnFlags.Likely, Lk = InsnFlags.Link, Ld = InsnFlags.Load, St = InsnFlags.Store,
            P = InsnFlags.Privileged, S = InsnFlags.ChangesState, Vz = InsnFlags.Vz;
        const DestKind Rd = DestKind.Rd, Rt = DestKind.Rt;

        // ---- SPECIAL (opcode 0) ----
        const uint RType = 0xfc00_07ff, Shift = 0xffe0_003f;
        R("nop", 0x0000_0000, ~0u, Op.Nop, "", flags: A);
        R("ssnop", 0x0000_0040, ~0u, Op.Nop, "", flags: A);
        R("ehb", 0x0000_00c0, ~0u, Op.Nop, "", flags: A | R2);
        R("pause", 0x0000_0140, ~0u, Op.Nop, "", flags: A | R2);
        R("sll", 0x0000_0000, Shift, Op.Sll, "rd,rt,sa", ImmKind.Sa, Rd);
        R("movci", 0x0000_0001, 0xfc00_003f, Op.Cop1, "copfunc", ImmKind.Raw);
        R("srl", 0x0000_0002, Shift, Op.Srl, "rd,rt,sa", ImmKind.Sa, Rd);
        R("rotr", 0x0020_0002, Shift, Op.Rotr, "rd,rt,sa", ImmKind.Sa, Rd, R2);
        R("sra", 0x0000_0003, Shift, Op.Sra, "rd,rt,sa", ImmKind.Sa, Rd);
        R("sllv", 0x0000_0004, RType, Op.Sllv, "rd,rt,rs", dest: Rd);
        R("srlv", 0x0000_0006, RType, Op.Srlv, "rd,rt,rs", dest: Rd);
        R("rotrv", 0x0000_0046, RType, Op.Rotrv, "rd,rt,rs", dest: Rd, flags: R2);
        R("srav", 0x0000_0007, RType, Op.Srav, "rd,rt,rs", dest: Rd);
        R("jr", 0x0000_0008, 0xfc1f_ffff, Op.Jr, "rs", flags: Br);
        R("jr.hb", 0x0000_0408, 0xfc1f_ffff, Op.Jr, "rs", flags: Br | R2);
        R("jalr", 0x0000_0009, 0xfc1f_07ff, Op.Jalr, "rd,rs", dest: Rd, flags: Br | Lk);
        R("jalr", 0x0000_f809, 0xfc1f_ffff, Op.Jalr, "rs", dest: Rd, flags: Br | Lk | A);
        R("jalr.hb", 0x0000_0409, 0xfc1f_07ff, Op.Jalr, "rd,rs", dest: Rd, flags: Br | Lk | R2);
        R("jalr.hb", 0x0000_fc09, 0xfc1f_ffff, Op.Jalr, "rs", dest: Rd, flags: Br | Lk | R2 | A);
        R("movz", 0x0000_000a, RType, Op.Movz, "rd,rs,rt", dest: Rd);
        R("movn", 0x0000_000b, RType, Op.Movn, "rd,rs,rt", dest: Rd);
        R("syscall", 0x0000_000c, 0xfc00_003f, Op.Syscall, "code20");
        R("break", 0x0000_000d, 0xfc00_003f, Op.Break, "code20");
        R("sync", 0x0000_000f, 0xffff_f83f, Op.Sync, "stype");
        R("sync", 0x0000_000f, ~0u, Op.Sync, "", flags: A);
        R("mfhi", 0x0000_0010, 0xffff_07ff, Op.Mfhi, "rd", dest: Rd);
        R("mthi", 0x0000_0011, 0xfc1f_ffff, Op.Mthi, "rs");
        R("mflo", 0x0000_0012, 0xffff_07ff, Op.Mflo, "rd", dest: Rd);
        R("mtlo", 0x0000_0013, 0xfc1f_ffff, Op.Mtlo, "rs");
        R("mult", 0x0000_0018, 0xfc00_ffff, Op.Mult, "rs,rt");
        R("multu", 0x0000_0019, 0xfc00_ffff, Op.Multu, "rs,rt");
        R("div", 0x0000_001a, 0xfc00_ffff, Op.Div, "rs,rt");
        R("divu", 0x0000_001b, 0xfc00_ffff, Op.Divu, "rs,rt");
        R("add", 0x0000_0020, RType, Op.Add, "rd,rs,rt", dest: Rd);
        R("addu", 0x0000_0021, RType, Op.Addu, "rd,rs,rt", dest: Rd);
        R("move", 0x0000_0021, 0xfc1f_07ff, Op.Addu, "rd,rs", dest: Rd, flags: A);
        R("sub", 0x0000_0022, RType, Op.Sub, "rd,rs,rt", dest: Rd);
        R("subu", 0x0000_0023, RType, Op.Subu, "rd,rs,rt", dest: Rd);
        R("negu", 0x0000_0023, 0xffe0_07ff, Op.Subu, "rd,rt", dest: Rd, flags: A);
        R("and", 0x0000_0024, RType, Op.And, "rd,rs,rt", dest: Rd);
        R("or", 0x0000_0025, RType, Op.Or, "rd,rs,rt", dest: Rd);
        R("xor", 0x0000_0026, RType, Op.Xor, "rd,rs,rt", dest: Rd);
        R("nor", 0x0000_0027, RType, Op.Nor, "rd,rs,rt", dest: Rd);
        R("not", 0x0000_0027, 0xfc1f_07ff, Op.Nor, "rd,rs", dest: Rd, flags: A);
        R("slt", 0x0000_002a, RType, Op.Slt, "rd,rs,rt", dest: Rd);
        R("sltu", 0x0000_002b, RType, Op.Sltu, "rd,rs,rt", dest: Rd);
        R("tge", 0x0000_0030, 0xfc00_003f, Op.Tge, "rs,rt,code10");
        R("tgeu", 0x0000_0031, 0xfc00_003f, Op.Tgeu, "rs,rt,code10");
        R("tlt", 0x0000_0032, 0xfc00_003f, Op.Tlt, "rs,rt,code10");
        R("tltu", 0x0000_0033, 0xfc00_003f, Op.Tltu, "rs,rt,code10");
        R("teq", 0x0000_0034, 0xfc00_003f, Op.Teq, "rs,rt,code10");
        R("tne", 0x0000_0036, 0xfc00_003f, Op.Tne, "rs,rt,code10");

        // ---- REGIMM (opcode 1) ----
        const uint RegImm = 0xfc1f_0000;
        R("bltz", 0x0400_0000, RegImm, Op.Bltz, "rs,rel", ImmKind.Branch, flags: Br);
        R("bgez", 0x0401_0000, RegImm, Op.Bgez, "rs,rel", ImmKind.Branch, flags: Br);
        R("bltzl", 0x0402_0000, RegImm, Op.Bltzl, "rs,rel", ImmKind.Branch, flags: Br | L);
        R("bgezl", 0x0403_0000, RegImm, Op.Bgezl, "rs,rel", ImmKind.Branch, flags: Br | L);
        R("tgei", 0x0408_0000, RegImm, Op.Tgei, "rs,simm", ImmKind.Simm16);
        R("tgeiu", 0x0409_0000, RegImm, Op.Tgeiu, "rs,simm", ImmKind.Simm16);
        R("tlti", 0x040a_0000, RegImm, Op.Tlti, "rs,simm", ImmKind.Simm16);
        R("tltiu", 0x040b_0000, RegImm, Op.Tltiu, "rs,simm", ImmKind.Simm16);
        R("teqi", 0x040c_0000, RegImm, Op.Teqi, "rs,simm", ImmKind.Simm16);
        R("tnei", 0x040e_0000, RegImm, Op.Tnei, "rs,simm", ImmKind.Simm16);
        R("bltzal", 0x0410_0000, RegImm, Op.Bltzal, "rs,rel", ImmKind.Branch, flags: Br | Lk);
        R("bgezal", 0x0411_0000, RegImm, Op.Bgezal, "rs,rel", ImmKind.Branch, flags: Br | Lk);
        R("bal", 0x0411_0000, 0xffff_0000, Op.Bgezal, "rel", ImmKind.Branch, flags: Br | Lk | A);
        R("bltzall", 0x0412_0000, RegImm, Op.Bltzall, "rs,rel", ImmKind.Branch, flags: Br | Lk | L);
        R("bgezall", 0x0413_0000, RegImm, Op.Bgezall, "rs,rel", ImmKind.Branch, flags: Br | Lk | L);
        R("synci", 0x041f_0000, RegImm, Op.Synci, "mem", ImmKind.Simm16, flags: R2);

        // ---- Jumps, branches, immediates ----
        const uint Prim = 0xfc00_0000, BranchZ = 0xfc1f_0000;
        R("j", 0x0800_0000, Prim, Op.J, "abs", ImmKind.Jump, flags: Br);
        R("jal", 0x0c00_0000, Prim, Op.Jal, "abs", ImmKind.Jump, flags: Br | Lk);
        R("beq", 0x1000_0000, Prim, Op.Beq, "rs,rt,rel", ImmKind.Branch, flags: Br);
        R("beqz", 0x1000_0000, BranchZ, Op.Beq, "rs,rel", ImmKind.Branch, flags: Br | A);
        R("b", 0x1000_0000, 0xffff_0000, Op.Beq, "rel", ImmKind.Branch, flags: Br | A);
        R("bne", 0x1400_0000, Prim, Op.Bne, "rs,rt,rel", ImmKind.Branch, flags: Br);
        R("bnez", 0x1400_0000, BranchZ, Op.Bne, "rs,rel", ImmKind.Branch, flags: Br | A);
        R("blez", 0x1800_0000, BranchZ, Op.Blez, "rs,rel", ImmKind.Branch, flags: Br);
        R("bgtz", 0x1c00_0000, BranchZ, Op.Bgtz, "rs,rel", ImmKind.Branch, flags: Br);
        R("addi", 0x2000_0000, Prim, Op.Addi, "rt,rs,simm", ImmKind.Simm16, Rt);
        R("addiu", 0x2400_0000, Prim, Op.Addiu, "rt,rs,simm", ImmKind.Simm16, Rt);
        R("li", 0x2400_0000, 0xffe0_0000, Op.Addiu, "rt,simm", ImmKind.Simm16, Rt, A);
        R("slti", 0x2800_0000, Prim, Op.Slti, "rt,rs,simm", ImmKind.Simm16, Rt);
        R("sltiu", 0x2c00_0000, Prim, Op.Sltiu, "rt,rs,simm", ImmKind.Simm16, Rt);
        R("andi", 0x3000_0000, Prim, Op.Andi, "rt,rs,uimm", ImmKind.Uimm16, Rt);
        R("ori", 0x3400_0000, Prim, Op.Ori, "rt,rs,uimm", ImmKind.Uimm16, Rt);
        R("xori", 0x3800_0000, Prim, Op.Xori, "rt,rs,uimm", ImmKind.Uimm16, Rt);
        R("lui", 0x3c00_0000, 0xffe0_0000, Op.Lui, "rt,uimm", ImmKind.Upper16, Rt);
        R("beql", 0x5000_0000, Prim, Op.Beql, "rs,rt,rel", ImmKind.Branch, flags: Br | L);
        R("beqzl", 0x5000_0000, BranchZ, Op.Beql, "rs,rel", ImmKind.Branch, flags: Br | L | A);
        R("bnel", 0x5400_0000, Prim, Op.Bnel, "rs,rt,rel", ImmKind.Branch, flags: Br | L);
        R("bnezl", 0x5400_0000, BranchZ, Op.Bnel, "rs,rel", ImmKind.Branch, flags: Br | L | A);
        R("blezl", 0x5800_0000, BranchZ, Op.Blezl, "rs,rel", ImmKind.Branch, flags: Br | L);
        R("bgtzl", 0x5c00_0000, BranchZ, Op.Bgtzl, "rs,rel", ImmKind.Branch, flags: Br | L);

        // ---- COP0 (opcode 16) ----
        const uint MxC0 = 0xffe0_07f8, Co = ~0u;
        R("mfc0", 0x4000_0000, MxC0, Op.Mfc0, "rt,cp0,sel", ImmKind.Cp0, Rt, P);
        R("mtc0", 0x4080_0000, MxC0, Op.Mtc0, "rt,cp0,sel", ImmKind.Cp0, flags: P | S);
        R("mfgc0", 0x4060_0000, MxC0, Op.VzRootOnly, "rt,cp0,sel", ImmKind.Cp0, flags: P | Vz);
        R("mtgc0", 0x4060_0200, MxC0, Op.VzRootOnly, "rt,cp0,sel", ImmKind.Cp0, flags: P | Vz);
        R("rdpgpr", 0x4140_0000, 0xffe0_07ff, Op.Rdpgpr, "rd,rt", dest: Rd, flags: P | R2);
        R("di", 0x4160_6000, 0xffe0_ffff, Op.Di, "rt", dest: Rt, flags: P | S | R2);
        R("di", 0x4160_6000, ~0u, Op.Di, "", dest: Rt, flags: P | S | R2 | A);
        R("ei", 0x4160_6020, 0xffe0_ffff, Op.Ei, "rt", dest: Rt, flags: P | S | R2);
        R("ei", 0x4160_6020, ~0u, Op.Ei, "", dest: Rt, flags: P | S | R2 | A);
        R("wrpgpr", 0x41c0_0000, 0xffe0_07ff, Op.Wrpgpr, "rd,rt", dest: Rd, flags: P | R2);
        R("tlbr", 0x4200_0001, Co, Op.Tlbr, "", flags: P | S);
        R("tlbwi", 0x4200_0002, Co, Op.Tlbwi, "", flags: P | S);
        R("tlbinv", 0x4200_0003, Co, Op.Tlbinv, "", flags: P | S);
        R("tlbinvf", 0x4200_0004, Co, Op.Tlbinvf, "", flags: P | S);
        R("tlbwr", 0x4200_0006, Co, Op.Tlbwr, "", flags: P | S);
        R("tlbp", 0x4200_0008, Co, Op.Tlbp, "", flags: P);
        R("tlbgr", 0x4200_0009, Co, Op.VzRootOnly, "", flags: P | Vz);
        R("tlbgwi", 0x4200_000a, Co, Op.VzRootOnly, "", flags: P | Vz);
        R("tlbginv", 0x4200_000b, Co, Op.VzRootOnly, "", flags: P | Vz);
        R("tlbginvf", 0x4200_000c, Co, Op.VzRootOnly, "", flags: P | Vz);
        R("tlbgwr", 0x4200_000e, Co, Op.VzRootOnly, "", flags: P | Vz);
        R("tlbgp", 0x4200_0010, Co, Op.VzRootOnly, "", flags: P | Vz);
        R("eret", 0x4200_0018, Co, Op.Eret, "", flags: P | S);
        R("eretnc", 0x4200_0058, Co, Op.Eretnc, "", flags: P | S);
        R("deret", 0x4200_001f, Co, Op.Deret, "", flags: P);
        R("wait", 0x4200_0020, 0xfe00_003f, Op.Wait, "waitcode", ImmKind.Raw, flags: P);
        R("wait", 0x4200_0020, ~0u, Op.Wait, "", ImmKind.Raw, flags: P | A);
        R("hypcall", 0x4200_0028, 0xffe0_07ff, Op.Hypcall, "hypcode", ImmKind.Raw, flags: P | Vz);
        R("hypcall", 0x4200_0028, ~0u, Op.Hypcall, "", ImmKind.Raw, flags: P | Vz | A);

        // ---- Coprocessors 1 and 2 (no implementation: Coprocessor Unusable) ----
        R("cop1", 0x4400_0000, Prim, Op.Cop1, "copfunc", ImmKind.Raw);
        R("cop2", 0x4800_0000, Prim, Op.Cop2, "copfunc", ImmKind.Raw);
        R("cop1x", 0x4c00_0000, Prim, Op.Cop1, "copfunc", ImmKind.Raw);

        // ---- SPECIAL2 (opcode 28) ----
        R("madd", 0x7000_0000, 0xfc00_ffff, Op.Madd, "rs,rt");
        R("maddu", 0x7000_0001, 0xfc00_ffff, Op.Maddu, "rs,rt");
        R("mul", 0x7000_0002, RType, Op.Mul, "rd,rs,rt", dest: Rd);
        R("msub", 0x7000_0004, 0xfc00_ffff, Op.Msub, "rs,rt");
        R("msubu", 0x7000_0005, 0xfc00_ffff, Op.Msubu, "rs,rt");
        R("clz", 0x7000_0020, RType, Op.Clz, "rd,rs", dest: Rd, flags: InsnFlags.RdInRt);
        R("clo", 0x7000_0021, RType, Op.Clo, "rd,rs", dest: Rd, flags: InsnFlags.RdInRt);
        R("sdbbp", 0x7000_003f, 0xfc00_003f, Op.Sdbbp, "code20");

        // ---- SPECIAL3 (opcode 31) ----
        R("ext", 0x7c00_0000, 0xfc00_003f, Op.Ext, "rt,rs,pos,extsize", ImmKind.Ext, Rt, R2);
        R("ins", 0x7c00_0004, 0xfc00_003f, Op.Ins, "rt,rs,pos,inssize", ImmKind.Ins, Rt, R2);
        R("wsbh", 0x7c00_00a0, 0xffe0_07ff, Op.Wsbh, "rd,rt", dest: Rd, flags: R2);
        R("seb", 0x7c00_0420, 0xffe0_07ff, Op.Seb, "rd,rt", dest: Rd, flags: R2);
        R("seh", 0x7c00_0620, 0xffe0_07ff, Op.Seh, "rd,rt", dest: Rd, flags: R2);
        R("rdhwr", 0x7c00_003b, 0xffe0_07ff, Op.Rdhwr, "rt,hwr", dest: Rt, flags: R2);

        // ---- Loads and stores ----
        R("lb", 0x8000_0000, Prim, Op.Lb, "rt,mem", ImmKind.Simm16, Rt, Ld);
        R("lh", 0x8400_0000, Prim, Op.Lh, "rt,mem", ImmKind.Simm16, Rt, Ld);
        R("lwl", 0x8800_0000, Prim, Op.Lwl, "rt,mem", ImmKind.Simm16, Rt, Ld);
        R("lw", 0x8c00_0000, Prim, Op.Lw, "rt,mem", ImmKind.Simm16, Rt, Ld);
        R("lbu", 0x9000_0000, Prim, Op.Lbu, "rt,mem", ImmKind.Simm16, Rt, Ld);
        R("lhu", 0x9400_0000, Prim, Op.Lhu, "rt,mem", ImmKind.Simm16, Rt, Ld);
        R("lwr", 0x9800_0000, Prim, Op.Lwr, "rt,mem", ImmKind.Simm16, Rt, Ld);
        R("sb", 0xa000_0000, Prim, Op.Sb, "rt,mem", ImmKind.Simm16, flags: St);
        R("sh", 0xa400_0000, Prim, Op.Sh, "rt,mem", ImmKind.Simm16, flags: St);
        R("swl", 0xa800_0000, Prim, Op.Swl, "rt,mem", ImmKind.Simm16, flags: St);
        R("sw", 0xac00_0000, Prim, Op.Sw, "rt,mem", ImmKind.Simm16, flags: St);
        R("swr", 0xb800_0000, Prim, Op.Swr, "rt,mem", ImmKind.Simm16, flags: St);
        R("cache", 0xbc00_0000, Prim, Op.Cache, "op5,mem", ImmKind.Simm16, flags: P);
        R("ll", 0xc000_0000, Prim, Op.Ll, "rt,mem", ImmKind.Simm16, Rt, Ld);
        R("lwc1", 0xc400_0000, Prim, Op.Cop1, "ft,mem", ImmKind.Raw, flags: Ld);
        R("lwc2", 0xc800_0000, Prim, Op.Cop2, "c2r,mem", ImmKind.Raw, flags: Ld);
        R("pref", 0xcc00_0000, Prim, Op.Pref, "op5,mem", ImmKind.Simm16);
        R("ldc1", 0xd400_0000, Prim, Op.Cop1, "ft,mem", ImmKind.Raw, flags: Ld);
        R("ldc2", 0xd800_0000, Prim, Op.Cop2, "c2r,mem", ImmKind.Raw, flags: Ld);
        // SC writes the success flag to rt but also stores rt: its destination is never redirected (see InstructionDecoder).
        R("sc", 0xe000_0000, Prim, Op.Sc, "rt,mem", ImmKind.Simm16, Rt, Ld | St);
        R("swc1", 0xe400_0000, Prim, Op.Cop1, "ft,mem", ImmKind.Raw, flags: St);
        R("swc2", 0xe800_0000, Prim, Op.Cop2, "c2r,mem", ImmKind.Raw, flags: St);
        R("sdc1", 0xf400_0000, Prim, Op.Cop1, "ft,mem", ImmKind.Raw, flags: St);
        R("sdc2", 0xf800_0000, Prim, Op.Cop2, "c2r,mem", ImmKind.Raw, flags: St);
        return t.ToArray();
    }

    private static OperandKind[] ParseOperands(string spec)
    {
        if (spec.Length == 0)
            return [];
        return spec.Split(',').Select(s => s switch
        {
            "rd" => OperandKind.Rd,
            "rs" => OperandKind.Rs,
            "rt" => OperandKind.Rt,
            "sa" => OperandKind.Sa,
            "simm" => OperandKind.Simm16,
            "uimm" => OperandKind.Uimm16,
            "mem" => OperandKind.Mem,
            "rel" => OperandKind.Rel16,
            "abs" => OperandKind.Abs26,
            "code20" => OperandKind.Code20,
            "code10" => OperandKind.Code10,
            "waitcode" => OperandKind.WaitCode,
            "hypcode" => OperandKind.HypCode,
            "stype" => OperandKind.Stype,
            "cp0" => OperandKind.Cp0Reg,
            "sel" => OperandKind.Sel,
            "hwr" => OperandKind.HwReg,
            "op5" => OperandKind.Op5,
            "pos" => OperandKind.Pos,
            "extsize" => OperandKind.ExtSize,
            "inssize" => OperandKind.InsSize,
            "ft" => OperandKind.Ft,
            "c2r" => OperandKind.Cop2Reg,
            "copfunc" => OperandKind.CopFunc,
            _ => throw new InvalidOperationException($"unknown operand spec '{s}'"),
        }).ToArray();
    }
}
