using System.Numerics;
using System.Runtime.CompilerServices;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Mips;

internal sealed unsafe partial class MipsCore
{
    private bool _lastKernelMode;

    /// <summary>
    /// Runs guest code until a VM exit, <paramref name="maxInstructions"/> retired instructions, or a stop request.
    /// The loop fetches from the decoded-instruction cache of the current page, dispatches on <see cref="Op"/>,
    /// and handles delay slots with a pending branch target. Loads and stores hit the software TLB inline and
    /// fall back to the slow paths. Interrupts, the guest timer, mode changes and stop requests are checked at
    /// resynchronisation points: after state-changing instructions, exceptions, and at most every
    /// <see cref="MaxChunk"/> instructions (exactly at the next timer deadline).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public VcpuExit Run(long maxInstructions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInstructions);
        ApplyRootChanges();
        _lastKernelMode = KernelMode;
        var r = _r;
        var pc = _pc;
        // A previous run may have stopped between a branch and its delay slot (instruction limit).
        var slot = _slotPending;
        var target = _slotTarget;
        _slotPending = false;
        // Rarely used run state lives in fields (_remaining, _chunk, _retiredAtStart) to keep the loop's locals in registers.
        _remaining = maxInstructions;
        _retiredAtStart = _retired;
        _chunk = 0;
        long budget = 0;
        var fetchVa = 3u;
        DecodedInsn* code = null;
        DecodedInsn* d = null;
        SoftTlbEntry* rt = null, wt = null;

    Resync:
        {
            Commit(budget);
            budget = 0;
            _chunk = 0;
            // pc and slot go through fields: taking their address would keep them out of registers in the loop.
            _pc = pc;
            _slotPending = slot;
            var next = ResyncState(_remaining);
            pc = _pc;
            slot = _slotPending;
            if (next < 0)
            {
                _slotTarget = target;
                return Finish(_retiredAtStart);
            }
            _slotPending = false;
            _chunk = budget = next;
            rt = _set.Read;
            wt = _set.Write;
            fetchVa = 3;
            code = null;
        }
        // pc holds the address of the next instruction; find its decoded slot (page change: fetch slow path).
    Jump:
        if (--budget < 0)
        {
            budget++;
            goto Resync;
        }
        {
            var off = pc - fetchVa;
            if ((off & 0xffff_f003u) != 0)
            {
                if (!FetchSlow(pc))
                {
                    d = null;
                    goto FaultAtPc;
                }
                fetchVa = _fetchVa;
                code = _fetchPage!.Insns;
                off = pc - fetchVa;
            }
            d = code + (off >> 2);
        }
        {
        Dispatch:
            switch (d->Op)
            {
                case Op.Undecoded:
                {
                    var page = _fetchPage!;
                    pc = PcOf(d, code, fetchVa);
                    if (!page.Registered)
                    {
                        // The page was dropped from the code cache (written as data): fetch it afresh.
                        budget++;
                        fetchVa = 3;
                        goto Jump;
                    }
                    InstructionDecoder.DecodeInto(*(uint*)(page.Host + (pc & 0xfff)), ref *d);
                    goto Dispatch;
                }
                case Op.PageEnd:
                    // Sequential flow ran off the page (the sentinel is not an instruction).
                    budget++;
                    pc = fetchVa + 0x1000;
                    goto Jump;

                // ---- ALU ----
                case Op.Nop: case Op.Sync: case Op.Pref: break;
                case Op.Sll: r[d->Rd] = r[d->Rt] << d->Imm; break;
                case Op.Srl: r[d->Rd] = r[d->Rt] >> d->Imm; break;
                case Op.Sra: r[d->Rd] = (uint)((int)r[d->Rt] >> d->Imm); break;
                case Op.Rotr: r[d->Rd] = BitOperations.RotateRight(r[d->Rt], d->Imm); break;
                case Op.Sllv: r[d->Rd] = r[d->Rt] << (int)(r[d->Rs] & 31); break;
                case Op.Srlv: r[d->Rd] = r[d->Rt] >> (int)(r[d->Rs] & 31); break;
                case Op.Srav: r[d->Rd] = (uint)((int)r[d->Rt] >> (int)(r[d->Rs] & 31)); break;
                case Op.Rotrv: r[d->Rd] = BitOperations.RotateRight(r[d->Rt], (int)(r[d->Rs] & 31)); break;
                case Op.Movz: if (r[d->Rt] == 0) r[d->Rd] = r[d->Rs]; break;
                case Op.Movn: if (r[d->Rt] != 0) r[d->Rd] = r[d->Rs]; break;
                case Op.Mfhi: r[d->Rd] = r[Hi]; break;
                case Op.Mthi: r[Hi] = r[d->Rs]; break;
                case Op.Mflo: r[d->Rd] = r[Lo]; break;
                case Op.Mtlo: r[Lo] = r[d->Rs]; break;
                case Op.Mult:
                {
                    var p = (long)(int)r[d->Rs] * (int)r[d->Rt];
                    r[Lo] = (uint)p;
                    r[Hi] = (uint)(p >> 32);
                    break;
                }
                case Op.Multu:
                {
                    var p = (ulong)r[d->Rs] * r[d->Rt];
                    r[Lo] = (uint)p;
                    r[Hi] = (uint)(p >> 32);
                    break;
                }
                case Op.Div:
                {
                    // Division by zero and INT_MIN / -1 are UNPREDICTABLE; like QEMU, divide by 1 instead.
                    int a = (int)r[d->Rs], b = (int)r[d->Rt];
                    if (b == 0 || (a == int.MinValue && b == -1))
                        b = 1;
                    r[Lo] = (uint)(a / b);
                    r[Hi] = (uint)(a % b);
                    break;
                }
                case Op.Divu:
                {
                    uint a = r[d->Rs], b = r[d->Rt];
                    if (b == 0)
                        b = 1;
                    r[Lo] = a / b;
                    r[Hi] = a % b;
                    break;
                }
                case Op.Add:
                {
                    uint a = r[d->Rs], b = r[d->Rt], s = a + b;
                    if ((int)((a ^ s) & (b ^ s)) < 0)
                    {
                        Raise(ExcCode.Ov);
                        goto Fault;
                    }
                    r[d->Rd] = s;
                    break;
                }
                case Op.Addu: r[d->Rd] = r[d->Rs] + r[d->Rt]; break;
                case Op.Sub:
                {
                    uint a = r[d->Rs], b = r[d->Rt], s = a - b;
                    if ((int)((a ^ b) & (a ^ s)) < 0)
                    {
                        Raise(ExcCode.Ov);
                        goto Fault;
                    }
                    r[d->Rd] = s;
                    break;
                }
                case Op.Subu: r[d->Rd] = r[d->Rs] - r[d->Rt]; break;
                case Op.And: r[d->Rd] = r[d->Rs] & r[d->Rt]; break;
                case Op.Or: r[d->Rd] = r[d->Rs] | r[d->Rt]; break;
                case Op.Xor: r[d->Rd] = r[d->Rs] ^ r[d->Rt]; break;
                case Op.Nor: r[d->Rd] = ~(r[d->Rs] | r[d->Rt]); break;
                case Op.Slt: r[d->Rd] = (int)r[d->Rs] < (int)r[d->Rt] ? 1u : 0u; break;
                case Op.Sltu: r[d->Rd] = r[d->Rs] < r[d->Rt] ? 1u : 0u; break;
                case Op.Addi:
                {
                    uint a = r[d->Rs], b = (uint)d->Imm, s = a + b;
                    if ((int)((a ^ s) & (b ^ s)) < 0)
                    {
                        Raise(ExcCode.Ov);
                        goto Fault;
                    }
                    r[d->Rt] = s;
                    break;
                }
                case Op.Addiu: r[d->Rt] = r[d->Rs] + (uint)d->Imm; break;
                case Op.Slti: r[d->Rt] = (int)r[d->Rs] < d->Imm ? 1u : 0u; break;
                case Op.Sltiu: r[d->Rt] = r[d->Rs] < (uint)d->Imm ? 1u : 0u; break;
                case Op.Andi: r[d->Rt] = r[d->Rs] & (uint)d->Imm; break;
                case Op.Ori: r[d->Rt] = r[d->Rs] | (uint)d->Imm; break;
                case Op.Xori: r[d->Rt] = r[d->Rs] ^ (uint)d->Imm; break;
                case Op.Lui: r[d->Rt] = (uint)d->Imm; break;
                case Op.Madd:
                {
                    var acc = (long)((ulong)r[Hi] << 32 | r[Lo]) + (long)(int)r[d->Rs] * (int)r[d->Rt];
                    r[Lo] = (uint)acc;
                    r[Hi] = (uint)(acc >> 32);
                    break;
                }
                case Op.Maddu:
                {
                    var acc = ((ulong)r[Hi] << 32 | r[Lo]) + (ulong)r[d->Rs] * r[d->Rt];
                    r[Lo] = (uint)acc;
                    r[Hi] = (uint)(acc >> 32);
                    break;
                }
                case Op.Msub:
                {
                    var acc = (long)((ulong)r[Hi] << 32 | r[Lo]) - (long)(int)r[d->Rs] * (int)r[d->Rt];
                    r[Lo] = (uint)acc;
                    r[Hi] = (uint)(acc >> 32);
                    break;
                }
                case Op.Msubu:
                {
                    var acc = ((ulong)r[Hi] << 32 | r[Lo]) - (ulong)r[d->Rs] * r[d->Rt];
                    r[Lo] = (uint)acc;
                    r[Hi] = (uint)(acc >> 32);
                    break;
                }
                // MUL leaves HI/LO UNPREDICTABLE; unchanged here, as in QEMU.
                case Op.Mul: r[d->Rd] = (uint)((int)r[d->Rs] * (int)r[d->Rt]); break;
                case Op.Clz: r[d->Rd] = (uint)BitOperations.LeadingZeroCount(r[d->Rs]); break;
                case Op.Clo: r[d->Rd] = (uint)BitOperations.LeadingZeroCount(~r[d->Rs]); break;
                case Op.Ext: r[d->Rt] = (r[d->Rs] >> d->Imm) & d->Aux; break;
                case Op.Ins: r[d->Rt] = (r[d->Rt] & ~d->Aux) | ((r[d->Rs] << d->Imm) & d->Aux); break;
                case Op.Wsbh:
                {
                    var x = r[d->Rt];
                    r[d->Rd] = ((x & 0x00ff_00ffu) << 8) | ((x >> 8) & 0x00ff_00ffu);
                    break;
                }
                case Op.Seb: r[d->Rd] = (uint)(sbyte)r[d->Rt]; break;
                case Op.Seh: r[d->Rd] = (uint)(short)r[d->Rt]; break;

                // ---- Traps ----
                case Op.Tge: if ((int)r[d->Rs] >= (int)r[d->Rt]) goto Trap; break;
                case Op.Tgeu: if (r[d->Rs] >= r[d->Rt]) goto Trap; break;
                case Op.Tlt: if ((int)r[d->Rs] < (int)r[d->Rt]) goto Trap; break;
                case Op.Tltu: if (r[d->Rs] < r[d->Rt]) goto Trap; break;
                case Op.Teq: if (r[d->Rs] == r[d->Rt]) goto Trap; break;
                case Op.Tne: if (r[d->Rs] != r[d->Rt]) goto Trap; break;
                case Op.Tgei: if ((int)r[d->Rs] >= d->Imm) goto Trap; break;
                case Op.Tgeiu: if (r[d->Rs] >= (uint)d->Imm) goto Trap; break;
                case Op.Tlti: if ((int)r[d->Rs] < d->Imm) goto Trap; break;
                case Op.Tltiu: if (r[d->Rs] < (uint)d->Imm) goto Trap; break;
                case Op.Teqi: if (r[d->Rs] == (uint)d->Imm) goto Trap; break;
                case Op.Tnei: if (r[d->Rs] != (uint)d->Imm) goto Trap; break;
                case Op.Syscall: Raise(ExcCode.Sys); goto Fault;
                case Op.Break: Raise(ExcCode.Bp); goto Fault;

                // ---- Branches and jumps: set the target, execute the delay slot next ----
                case Op.J:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = ((pc + 4) & 0xf000_0000u) | (uint)d->Imm;
                    goto Branch;
                case Op.Jal:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = ((pc + 4) & 0xf000_0000u) | (uint)d->Imm;
                    r[31] = pc + 8;
                    goto Branch;
                case Op.Jr:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = r[d->Rs];
                    goto Branch;
                case Op.Jalr:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = r[d->Rs];
                    r[d->Rd] = pc + 8;
                    goto Branch;
                case Op.Beq:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = r[d->Rs] == r[d->Rt] ? pc + 4 + (uint)d->Imm : pc + 8;
                    goto Branch;
                case Op.Bne:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = r[d->Rs] != r[d->Rt] ? pc + 4 + (uint)d->Imm : pc + 8;
                    goto Branch;
                case Op.Blez:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = (int)r[d->Rs] <= 0 ? pc + 4 + (uint)d->Imm : pc + 8;
                    goto Branch;
                case Op.Bgtz:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = (int)r[d->Rs] > 0 ? pc + 4 + (uint)d->Imm : pc + 8;
                    goto Branch;
                case Op.Bltz:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = (int)r[d->Rs] < 0 ? pc + 4 + (uint)d->Imm : pc + 8;
                    goto Branch;
                case Op.Bgez:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = (int)r[d->Rs] >= 0 ? pc + 4 + (uint)d->Imm : pc + 8;
                    goto Branch;
                case Op.Bltzal:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = (int)r[d->Rs] < 0 ? pc + 4 + (uint)d->Imm : pc + 8;
                    r[31] = pc + 8;
                    goto Branch;
                case Op.Bgezal:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    target = (int)r[d->Rs] >= 0 ? pc + 4 + (uint)d->Imm : pc + 8;
                    r[31] = pc + 8;
                    goto Branch;
                // Branch-likely: the delay slot is annulled (skipped) when the branch is not taken.
                case Op.Beql:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    if (r[d->Rs] == r[d->Rt]) goto TakenLikely;
                    pc += 8;
                    goto Jump;
                case Op.Bnel:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    if (r[d->Rs] != r[d->Rt]) goto TakenLikely;
                    pc += 8;
                    goto Jump;
                case Op.Blezl:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    if ((int)r[d->Rs] <= 0) goto TakenLikely;
                    pc += 8;
                    goto Jump;
                case Op.Bgtzl:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    if ((int)r[d->Rs] > 0) goto TakenLikely;
                    pc += 8;
                    goto Jump;
                case Op.Bltzl:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    if ((int)r[d->Rs] < 0) goto TakenLikely;
                    pc += 8;
                    goto Jump;
                case Op.Bgezl:
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    if ((int)r[d->Rs] >= 0) goto TakenLikely;
                    pc += 8;
                    goto Jump;
                case Op.Bltzall:
                {
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    var taken = (int)r[d->Rs] < 0;
                    r[31] = pc + 8;
                    if (taken) goto TakenLikely;
                    pc += 8;
                    goto Jump;
                }
                case Op.Bgezall:
                {
                    if (slot) goto SlotReserved;
                    pc = PcOf(d, code, fetchVa);
                    var taken = (int)r[d->Rs] >= 0;
                    r[31] = pc + 8;
                    if (taken) goto TakenLikely;
                    pc += 8;
                    goto Jump;
                }

                // ---- Loads ----
                case Op.Lw:
                {
                    var va = r[d->Rs] + (uint)d->Imm;
                    var e = rt + ((va >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (va & 0xffff_f003u)) p = (byte*)(e->HostMinusVa + (nint)va);
                    else if ((p = LoadSlow(va, 3)) == null) goto Fault;
                    r[d->Rt] = *(uint*)p;
                    break;
                }
                case Op.Lh:
                case Op.Lhu:
                {
                    var va = r[d->Rs] + (uint)d->Imm;
                    var e = rt + ((va >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (va & 0xffff_f001u)) p = (byte*)(e->HostMinusVa + (nint)va);
                    else if ((p = LoadSlow(va, 1)) == null) goto Fault;
                    r[d->Rt] = d->Op == Op.Lh ? (uint)*(short*)p : *(ushort*)p;
                    break;
                }
                case Op.Lb:
                case Op.Lbu:
                {
                    var va = r[d->Rs] + (uint)d->Imm;
                    var e = rt + ((va >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (va & 0xffff_f000u)) p = (byte*)(e->HostMinusVa + (nint)va);
                    else if ((p = LoadSlow(va, 0)) == null) goto Fault;
                    r[d->Rt] = d->Op == Op.Lb ? (uint)*(sbyte*)p : *p;
                    break;
                }
                case Op.Lwl:
                case Op.Lwr:
                {
                    var va = r[d->Rs] + (uint)d->Imm;
                    var aligned = va & ~3u;
                    var e = rt + ((aligned >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (aligned & 0xffff_f000u)) p = (byte*)(e->HostMinusVa + (nint)aligned);
                    else if ((p = LoadSlow(va, 0)) == null) goto Fault; // faults report the unaligned address
                    else p -= va & 3;
                    var w = *(uint*)p;
                    var sh = 8 * (int)(va & 3);
                    // Little-endian: LWL fills the high bytes, LWR the low bytes of rt.
                    r[d->Rt] = d->Op == Op.Lwl
                        ? (r[d->Rt] & (0x00ff_ffffu >> sh)) | (w << (24 - sh))
                        : (r[d->Rt] & ~(0xffff_ffffu >> sh)) | (w >> sh);
                    break;
                }
                case Op.Ll:
                {
                    var va = r[d->Rs] + (uint)d->Imm;
                    var e = rt + ((va >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (va & 0xffff_f003u)) p = (byte*)(e->HostMinusVa + (nint)va);
                    else if ((p = LoadSlow(va, 3)) == null) goto Fault;
                    var v = *(uint*)p;
                    _vz.LlBitRaw = true;
                    _llVa = va;
                    _llValue = v;
                    r[d->Rt] = v;
                    break;
                }

                // ---- Stores ----
                case Op.Sw:
                {
                    // Operands are read before the slow path: a store into decoded code may clear its own slot.
                    var value = r[d->Rt];
                    var va = r[d->Rs] + (uint)d->Imm;
                    var e = wt + ((va >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (va & 0xffff_f003u)) p = (byte*)(e->HostMinusVa + (nint)va);
                    else if ((p = StoreSlow(va, 3, 4)) == null) goto Fault;
                    *(uint*)p = value;
                    break;
                }
                case Op.Sh:
                {
                    var value = r[d->Rt];
                    var va = r[d->Rs] + (uint)d->Imm;
                    var e = wt + ((va >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (va & 0xffff_f001u)) p = (byte*)(e->HostMinusVa + (nint)va);
                    else if ((p = StoreSlow(va, 1, 2)) == null) goto Fault;
                    *(ushort*)p = (ushort)value;
                    break;
                }
                case Op.Sb:
                {
                    var value = r[d->Rt];
                    var va = r[d->Rs] + (uint)d->Imm;
                    var e = wt + ((va >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (va & 0xffff_f000u)) p = (byte*)(e->HostMinusVa + (nint)va);
                    else if ((p = StoreSlow(va, 0, 1)) == null) goto Fault;
                    *p = (byte)value;
                    break;
                }
                case Op.Swl:
                case Op.Swr:
                {
                    var value = r[d->Rt];
                    var left = d->Op == Op.Swl;
                    var va = r[d->Rs] + (uint)d->Imm;
                    var aligned = va & ~3u;
                    var e = wt + ((aligned >> 12) & SoftTlbSet.IndexMask);
                    byte* p;
                    if (e->Tag == (aligned & 0xffff_f000u)) p = (byte*)(e->HostMinusVa + (nint)aligned);
                    else if ((p = StoreSlow(va, 0, 4 - (va & 3))) == null) goto Fault; // faults report the unaligned address
                    else p -= va & 3;
                    var w = *(uint*)p;
                    var sh = 8 * (int)(va & 3);
                    // Little-endian: SWL stores the high bytes of rt up to va, SWR the low bytes from va.
                    if (left)
                    {
                        var mask = 0xffff_ffffu >> (24 - sh);
                        *(uint*)p = (w & ~mask) | (value >> (24 - sh));
                    }
                    else
                    {
                        var mask = 0xffff_ffffu << sh;
                        *(uint*)p = (w & ~mask) | (value << sh);
                    }
                    break;
                }
                case Op.Sc:
                    if (StoreConditional(d) == StepResult.Fault) goto Fault;
                    break;
                case Op.Synci:
                    if (!InvalidateLine(r[d->Rs] + (uint)d->Imm)) goto Fault;
                    break;

                // ---- Privileged, coprocessors, reserved ----
                case Op.Rdhwr:
                {
                    Commit(budget);
                    if (Rdhwr(d) == StepResult.Fault) goto Fault;
                    break;
                }
                case Op.Eret:
                case Op.Eretnc:
                case Op.Mfc0: case Op.Mtc0: case Op.Di: case Op.Ei: case Op.Rdpgpr: case Op.Wrpgpr:
                case Op.Tlbr: case Op.Tlbwi: case Op.Tlbwr: case Op.Tlbp: case Op.Tlbinv: case Op.Tlbinvf:
                case Op.Wait: case Op.Hypcall: case Op.Cache: case Op.Deret: case Op.VzRootOnly:
                {
                    if (slot && d->Op is Op.Eret or Op.Eretnc)
                        goto SlotReserved;
                    Commit(budget);
                    switch (Privileged(d))
                    {
                        case StepResult.Next: break;
                        case StepResult.NextResync: goto NextResync;
                        case StepResult.Fault: goto Fault;
                        default:
                            pc = _jumpTarget;
                            goto Resync;
                    }
                    break;
                }
                case Op.Cop1:
                    Coprocessor(1);
                    goto Fault;
                case Op.Cop2:
                    Coprocessor(2);
                    goto Fault;
                default:
                    RaiseReserved();
                    goto Fault;
            }
            // Sequential flow: the next slot of the same page (the sentinel after the last one), or the branch target after a delay slot.
            if (slot)
            {
                pc = target;
                slot = false;
                goto Jump;
            }
            d++;
        Sequential:
            if (--budget < 0)
            {
                budget++;
                pc = PcOf(d, code, fetchVa);
                goto Resync;
            }
            goto Dispatch;

        Branch:
            slot = true;
            d++;
            goto Sequential;

        TakenLikely:
            target = pc + 4 + (uint)d->Imm;
            slot = true;
            d++;
            goto Sequential;

        Trap:
            Raise(ExcCode.Tr);
            goto Fault;

        SlotReserved:
            // A branch or ERET in a delay slot: Reserved Instruction (as QEMU and Release 6 do).
            RaiseReserved();
            goto Fault;
        }

    NextResync:
        if (!slot)
            pc = PcOf(d, code, fetchVa) + 4;
        else
        {
            pc = target;
            slot = false;
        }
        goto Resync;

    Fault:
        pc = PcOf(d, code, fetchVa);
    FaultAtPc:
        {
            budget++;
            Commit(budget);
            budget = 0;
            _chunk = 0;
            var inSlot = slot;
            slot = false;
            _pc = pc;
            var exited = DeliverFault(inSlot, target, d != null ? d->Raw : 0);
            pc = _pc;
            if (exited)
                return Finish(_retiredAtStart);
            // Taking an exception costs time like an instruction does (the core flushes its pipeline and fetches from the
            // vector) and uses up run budget: a guest whose exception vector faults again loops as on hardware, but the
            // VMM still gets control back and its clock runs on.
            _cycles++;
            _remaining--;
            goto Resync;
        }
    }

    /// <summary>The guest address of decoded slot <paramref name="d"/> of the page <paramref name="code"/> fetched at <paramref name="fetchVa"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PcOf(DecodedInsn* d, DecodedInsn* code, uint fetchVa)
        => fetchVa + ((uint)((byte*)d - (byte*)code) >> 2); // 16-byte slots, 4-byte instructions

    private long _remaining;
    private long _chunk;
    private long _retiredAtStart;

    /// <summary>Accounts the instructions executed since the last commit (the chunk length minus the remaining budget).</summary>
    private void Commit(long budget)
    {
        var done = _chunk - budget;
        _retired += done;
        _cycles += (ulong)done;
        _remaining -= done;
        _chunk = budget;
    }

    private VcpuExit Finish(long retiredAtStart) => _exit with { Instructions = _retired - retiredAtStart };

    /// <summary>Applies the groups the VMM modified (Fiasco's load_selective) and clears the map.</summary>
    private void ApplyRootChanges()
    {
        var m = _vz.ModifiedCp0Map;
        if (m == VzStateFields.None)
            return;
        _vz.ModifiedCp0Map = VzStateFields.None;
        if ((m & VzStateFields.LlBit) != 0)
            _vz.LlBitRaw = false;
        if ((m & (VzStateFields.Mmu | VzStateFields.Xlat | VzStateFields.GuestCtl0 | VzStateFields.Status)) != 0)
            FlushTranslations();
    }

    /// <summary>
    /// Resynchronisation point (possibly between a branch and its delay slot when the budget ran out there):
    /// raises the guest timer, selects the software-TLB set, takes a pending interrupt,
    /// checks GuestCtl0.MC mode changes, stop requests and the instruction budget. Returns the next chunk length,
    /// or −1 with <see cref="_exit"/> set.
    /// </summary>
    private long ResyncState(long remaining)
    {
        ref var pc = ref _pc;
        ref var slot = ref _slotPending;
        if (_cycles >= _timerDeadline)
            _vz.CauseRaw |= Cp0Bits.CauseTI;
        UpdateTimerDeadline();
        SyncTranslation();
        if (InterruptPending())
        {
            // Taken on the delay slot: EPC = the branch (BD = 1), which re-executes on return.
            EnterInterrupt(ref pc, slot);
            slot = false;
            SyncTranslation();
        }
        var kernel = KernelMode;
        if (kernel != _lastKernelMode)
        {
            _lastKernelMode = kernel;
            if ((_vz.GuestCtl0Raw & GuestCtl0Bits.MC) != 0)
                return ExitAt(pc, VcpuExitReason.Exception, ExcCode.GE, GuestExitCode.Ghfc);
        }
        if (_stopRequested)
        {
            _stopRequested = false;
            return ExitAt(pc, VcpuExitReason.Stopped, ExcCode.Int, GuestExitCode.Gpsi);
        }
        if (remaining <= 0)
            return ExitAt(pc, VcpuExitReason.InstructionLimit, ExcCode.Int, GuestExitCode.Gpsi);
        var chunk = Math.Min(remaining, MaxChunk);
        if (_timerDeadline != ulong.MaxValue)
            chunk = Math.Min(chunk, (long)Math.Min((ulong)MaxChunk, Math.Max(1ul, _timerDeadline - Math.Min(_cycles, _timerDeadline))));
        return chunk;
    }

    private long ExitAt(uint pc, VcpuExitReason reason, ExcCode code, GuestExitCode gexc)
    {
        if (reason == VcpuExitReason.Exception)
            _vz.GuestCtl0Raw = (_vz.GuestCtl0Raw & ~(0x1fu << GuestCtl0Bits.GExcCodeShift)) | (uint)gexc << GuestCtl0Bits.GExcCodeShift;
        _exit = new VcpuExit(reason, code, gexc, pc, 0, 0, 0, false, 0);
        _exitResumePc = pc;
        _pc = pc;
        return -1;
    }

    private StepResult StoreConditional(DecodedInsn* d)
    {
        var r = _r;
        var va = r[d->Rs] + (uint)d->Imm;
        var rtIndex = d->Rt;
        var value = r[rtIndex];
        if ((va & 3) != 0)
        {
            AddressError(va, Access.Store);
            return StepResult.Fault;
        }
        var ok = false;
        if (_vz.LlBitRaw && va == _llVa)
        {
            var e = _set.Write + ((va >> 12) & SoftTlbSet.IndexMask);
            byte* p;
            if (e->Tag == (va & 0xffff_f003u)) p = (byte*)(e->HostMinusVa + (nint)va);
            else if ((p = StoreSlow(va, 3, 4)) == null) return StepResult.Fault;
            // Like QEMU: the store succeeds when the word still holds the value LL read (compare-and-swap).
            ok = Interlocked.CompareExchange(ref *(int*)p, (int)value, (int)_llValue) == (int)_llValue;
        }
        _vz.LlBitRaw = false;
        if (rtIndex != 0)
            r[rtIndex] = ok ? 1u : 0u;
        return StepResult.Next;
    }
}
