using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Mips;

internal sealed unsafe partial class MipsCore
{
    /// <summary>
    /// Coprocessor-0 class instructions (MFC0, MTC0, DI/EI, RDPGPR/WRPGPR, TLB operations, ERET, WAIT,
    /// HYPCALL, CACHE, DERET and root-only VZ instructions) with the guest-mode rules of the VZ ASE:
    /// user mode without Status.CU0 → Coprocessor Unusable; GuestCtl0.CP0 = 0 → GPSI; per-register GPSI/GSFC
    /// exits as listed in reference/mips-vz.md (KVM's kvm_vz_gpsi_cop0 / kvm_trap_vz_handle_gsfc handle them).
    /// </summary>
    private StepResult Privileged(DecodedInsn* d)
    {
        if (!KernelMode && (_vz.StatusRaw & Cp0Bits.StatusCU0) == 0)
            return RaiseCpU(0);
        if (d->Op == Op.VzRootOnly || d->Op == Op.Deret)
            return RaiseReserved(); // MFGC0 & co. are root-only; no debug mode for DERET
        if ((_vz.GuestCtl0Raw & GuestCtl0Bits.CP0) == 0)
            return GuestExit(GuestExitCode.Gpsi);
        var r = _r;
        switch (d->Op)
        {
            case Op.Mfc0:
                return Mfc0(d);
            case Op.Mtc0:
                return Mtc0(d->Imm, r[d->Rt]);
            case Op.Di:
            case Op.Ei:
            {
                var s = _vz.StatusRaw;
                _vz.StatusRaw = d->Op == Op.Ei ? s | Cp0Bits.StatusIE : s & ~Cp0Bits.StatusIE;
                r[d->Rt] = s;
                return StepResult.NextResync;
            }
            case Op.Rdpgpr:
            case Op.Wrpgpr:
                // One shadow set (SRSCtl.HSS = 0): the previous set is the current one.
                r[d->Rd] = r[d->Rt];
                return StepResult.Next;
            case Op.Tlbr or Op.Tlbwi or Op.Tlbwr or Op.Tlbp or Op.Tlbinv or Op.Tlbinvf:
                return TlbOp(d->Op);
            case Op.Eret:
            case Op.Eretnc:
            {
                var s = _vz.StatusRaw;
                if ((s & Cp0Bits.StatusERL) != 0)
                {
                    _jumpTarget = _vz.ErrorEpcRaw;
                    _vz.StatusRaw = s & ~Cp0Bits.StatusERL;
                }
                else
                {
                    _jumpTarget = _vz.EpcRaw;
                    _vz.StatusRaw = s & ~Cp0Bits.StatusEXL;
                }
                if (d->Op == Op.Eret)
                    _vz.LlBitRaw = false;
                return StepResult.Jump;
            }
            case Op.Wait:
                return GuestExit(GuestExitCode.Gpsi);
            case Op.Hypcall:
                return GuestExit(GuestExitCode.Hypercall);
            case Op.Cache:
                return Cache(d);
            default:
                return RaiseReserved();
        }
    }

    private StepResult Mfc0(DecodedInsn* d)
    {
        var vz = _vz;
        uint v;
        switch ((Cp0Register)d->Imm)
        {
            case Cp0Register.Index: v = vz.IndexRaw; break;
            case Cp0Register.Random: v = CurrentRandom(); break;
            case Cp0Register.EntryLo0: v = vz.EntryLo0Raw; break;
            case Cp0Register.EntryLo1: v = vz.EntryLo1Raw; break;
            case Cp0Register.Context: v = vz.ContextRaw; break;
            case Cp0Register.UserLocal when (vz.ConfigRaw[3] & P5600Guest.Config3Ulri) != 0: v = vz.UserLocalRaw; break;
            case Cp0Register.PageMask: v = vz.PageMaskRaw; break;
            case Cp0Register.PageGrain: v = vz.PageGrainRaw; break;
            case Cp0Register.Wired: v = vz.WiredRaw; break;
            case Cp0Register.HwrEna: v = vz.HwrEnaRaw; break;
            case Cp0Register.BadVAddr: v = vz.BadVAddrRaw; break;
            case Cp0Register.BadInstr: v = vz.BadInstrRaw; break;
            case Cp0Register.BadInstrP: v = vz.BadInstrPRaw; break;
            case Cp0Register.Count when (vz.GuestCtl0Raw & GuestCtl0Bits.GT) != 0: v = GuestCount; break;
            case Cp0Register.EntryHi: v = vz.EntryHiRaw; break;
            case Cp0Register.Compare when (vz.GuestCtl0Raw & GuestCtl0Bits.GT) != 0: v = vz.CompareRaw; break;
            case Cp0Register.Status: v = vz.StatusRaw; break;
            case Cp0Register.IntCtl: v = vz.IntCtlRaw; break;
            case Cp0Register.Cause: v = vz.EffectiveCause; break;
            case Cp0Register.Epc: v = vz.EpcRaw; break;
            case Cp0Register.EBase: v = vz.EBaseRaw; break;
            case >= Cp0Register.Config0 and <= Cp0Register.Config5: v = vz.ConfigRaw[d->Imm - (int)Cp0Register.Config0]; break;
            case Cp0Register.LlAddr: v = vz.LlAddrRaw & ~Cp0Bits.LlAddrLLB | (vz.LlBitRaw ? Cp0Bits.LlAddrLLB : 0); break;
            case Cp0Register.ErrorEpc: v = vz.ErrorEpcRaw; break;
            case >= Cp0Register.KScratch1 and <= Cp0Register.KScratch6 when KScratchExists(d->Imm & 7):
                v = vz.KScratchRaw[(d->Imm & 7) - 2];
                break;
            default:
                // PRId, SRSCtl, SRSMap, CDMMBase, CMGCRBase, Config6/7, MAAR(I), ErrCtl, Count/Compare with
                // GT = 0, and every register the guest context does not implement: the VMM emulates the read.
                return GuestExit(GuestExitCode.Gpsi);
        }
        _r[d->Rt] = v;
        return StepResult.Next;
    }

    private bool KScratchExists(int sel) => ((_vz.ConfigRaw[4] >> 16) & 0xff & (1u << sel)) != 0;

    private StepResult Mtc0(int reg, uint v)
    {
        var vz = _vz;
        switch ((Cp0Register)reg)
        {
            case Cp0Register.Index: vz.IndexRaw = (vz.IndexRaw & Cp0Bits.IndexP) | (v & (uint)(_tlb.Size - 1)); break;
            case Cp0Register.Random: break;
            case Cp0Register.EntryLo0: vz.EntryLo0Raw = v & vz.EntryLoMask; break;
            case Cp0Register.EntryLo1: vz.EntryLo1Raw = v & vz.EntryLoMask; break;
            case Cp0Register.Context: vz.ContextRaw = (vz.ContextRaw & ~P5600Guest.ContextWritable) | (v & P5600Guest.ContextWritable); break;
            case Cp0Register.UserLocal when (vz.ConfigRaw[3] & P5600Guest.Config3Ulri) != 0: vz.UserLocalRaw = v; break;
            case Cp0Register.PageMask: vz.PageMaskRaw = VzState.SanitizePageMask(v); break;
            case Cp0Register.PageGrain:
                vz.PageGrainRaw = v & P5600Guest.PageGrainWritable;
                FlushTranslations();
                return StepResult.NextResync;
            case Cp0Register.Wired: vz.WiredRaw = v & (uint)(_tlb.Size - 1); break;
            case Cp0Register.HwrEna: vz.HwrEnaRaw = v & P5600Guest.HwrEnaWritable; break;
            case Cp0Register.BadVAddr or Cp0Register.BadInstr or Cp0Register.BadInstrP: break;
            case Cp0Register.EntryHi:
                vz.EntryHiRaw = v & P5600Guest.EntryHiWritable;
                return StepResult.NextResync;
            case Cp0Register.Compare when (vz.GuestCtl0Raw & GuestCtl0Bits.GT) != 0:
                vz.CompareRaw = v;
                vz.CauseRaw &= ~Cp0Bits.CauseTI;
                return StepResult.NextResync;
            case Cp0Register.Status:
            {
                var old = vz.StatusRaw;
                if (((v ^ old) & P5600Guest.StatusSoftFields) != 0)
                    return GuestExit(GuestExitCode.Gsfc);
                vz.StatusRaw = (old & ~P5600Guest.StatusWritable) | (v & P5600Guest.StatusWritable);
                return StepResult.NextResync;
            }
            case Cp0Register.IntCtl:
                if (((v ^ vz.IntCtlRaw) & P5600Guest.IntCtlWritable) != 0)
                    return GuestExit(GuestExitCode.Gsfc);
                break;
            case Cp0Register.Cause:
                if (((v ^ vz.CauseRaw) & P5600Guest.CauseSoftFields) != 0)
                    return GuestExit(GuestExitCode.Gsfc);
                break;
            case Cp0Register.Epc: vz.EpcRaw = v; break;
            case Cp0Register.EBase: vz.EBaseRaw = VzState.WriteEBase(vz.EBaseRaw, v); break;
            case Cp0Register.Config0:
                vz.ConfigRaw[0] = (vz.ConfigRaw[0] & ~P5600Guest.Config0Writable) | (v & P5600Guest.Config0Writable);
                break;
            case Cp0Register.Config1 or Cp0Register.Config2 or Cp0Register.Config3 or Cp0Register.Config4: break;
            case Cp0Register.Config5:
                if (v != vz.ConfigRaw[5])
                    return GuestExit(GuestExitCode.Gsfc);
                break;
            case Cp0Register.ErrorEpc: vz.ErrorEpcRaw = v; break;
            case >= Cp0Register.KScratch1 and <= Cp0Register.KScratch6 when KScratchExists(reg & 7):
                vz.KScratchRaw[(reg & 7) - 2] = v;
                break;
            default:
                // Count (always), Compare with GT = 0, LLAddr (P5600), PRId, SRSCtl, and unimplemented registers.
                return GuestExit(GuestExitCode.Gpsi);
        }
        return StepResult.Next;
    }

    private uint CurrentRandom()
    {
        var wired = _vz.WiredRaw;
        var span = (uint)_tlb.Size - wired;
        return span == 0 ? wired : wired + _random % span;
    }

    private StepResult TlbOp(Op op)
    {
        if (((_vz.GuestCtl0Raw >> GuestCtl0Bits.AtShift) & 3) != 3)
            return GuestExit(GuestExitCode.Gpsi); // the root owns the guest MMU
        var vz = _vz;
        switch (op)
        {
            case Op.Tlbr:
            {
                var e = _tlb[(int)(vz.IndexRaw & (uint)(_tlb.Size - 1))];
                var g = e.Global ? Cp0Bits.EntryLoG : 0;
                vz.EntryHiRaw = e.EntryHi & P5600Guest.EntryHiWritable;
                vz.PageMaskRaw = e.PageMask;
                vz.EntryLo0Raw = (e.EntryLo0 & ~Cp0Bits.EntryLoG & vz.EntryLoMask) | g;
                vz.EntryLo1Raw = (e.EntryLo1 & ~Cp0Bits.EntryLoG & vz.EntryLoMask) | g;
                return StepResult.NextResync;
            }
            case Op.Tlbwi:
                WriteTlb((int)(vz.IndexRaw & (uint)(_tlb.Size - 1)));
                return StepResult.NextResync;
            case Op.Tlbwr:
                _random = _random * 1103515245 + 12345;
                WriteTlb((int)CurrentRandom());
                return StepResult.NextResync;
            case Op.Tlbp:
            {
                var index = _tlb.Probe(vz.EntryHiRaw);
                // On a miss the index bits are UNPREDICTABLE; like QEMU (r4k_helper_tlbp) keep them and set P.
                vz.IndexRaw = index >= 0 ? (uint)index : vz.IndexRaw | Cp0Bits.IndexP;
                return StepResult.Next;
            }
            case Op.Tlbinv:
                _tlb.InvalidateAsid(vz.EntryHiRaw & Cp0Bits.EntryHiAsid);
                return StepResult.NextResync;
            default:
                _tlb.InvalidateAll();
                return StepResult.NextResync;
        }
    }

    private void WriteTlb(int index)
    {
        var vz = _vz;
        var g = vz.EntryLo0Raw & vz.EntryLo1Raw & Cp0Bits.EntryLoG;
        var old = _tlb[index];
        _tlb.WriteFromGuest(index, new TlbEntry(
            vz.EntryHiRaw & ~vz.PageMaskRaw & P5600Guest.EntryHiWritable,
            vz.PageMaskRaw,
            (vz.EntryLo0Raw & ~Cp0Bits.EntryLoG) | g,
            (vz.EntryLo1Raw & ~Cp0Bits.EntryLoG) | g));
        // Only translations derived from the replaced entry go stale (a TLB refill must not flush kseg0).
        if (!old.Invalidated)
        {
            var span = (old.PageMask | 0x1fff) + 1;
            var va = old.EntryHi & ~(span - 1);
            foreach (var set in _softTlb)
                set.FlushRange(va, span);
        }
    }

    /// <summary>
    /// CACHE: index operations (type 0–3) are guest-privileged sensitive (GPSI); hit operations need
    /// GuestCtl0.CG, translate like a load (TLB exceptions, GPA exits) and drop decoded code of the line.
    /// </summary>
    private StepResult Cache(DecodedInsn* d)
    {
        var op = d->Rt;
        if ((_vz.GuestCtl0Raw & GuestCtl0Bits.CG) == 0 || op >> 2 < 4)
            return GuestExit(GuestExitCode.Gpsi);
        return InvalidateLine(_r[d->Rs] + (uint)d->Imm) ? StepResult.Next : StepResult.Fault;
    }

    /// <summary>RDHWR: CPUNum, SYNCI_Step, CC, CCRes, ULR, gated by HWREna in user mode.</summary>
    private StepResult Rdhwr(DecodedInsn* d)
    {
        var reg = d->Rd;
        var vz = _vz;
        if (!KernelMode && (vz.HwrEnaRaw & (1u << reg)) == 0)
            return RaiseReserved();
        uint v;
        switch (reg)
        {
            case 0: v = (uint)(vz.EBaseRaw & 0x3ff); break;
            case 1: v = P5600Guest.SynciStep; break;
            case 2:
                if ((vz.GuestCtl0Raw & GuestCtl0Bits.GT) == 0)
                    return GuestExit(GuestExitCode.Gpsi);
                v = GuestCount;
                break;
            case 3: v = P5600Guest.CountResolution; break;
            case 29 when (vz.ConfigRaw[3] & P5600Guest.Config3Ulri) != 0: v = vz.UserLocalRaw; break;
            default: return RaiseReserved();
        }
        _r[d->Rt] = v;
        return StepResult.Next;
    }

    /// <summary>Coprocessor 1/2 encodings: Coprocessor Unusable while Status.CUn = 0, else Reserved Instruction (no such unit).</summary>
    private StepResult Coprocessor(int unit)
    {
        var cu = unit == 1 ? Cp0Bits.StatusCU1 : Cp0Bits.StatusCU2;
        return (_vz.StatusRaw & cu) == 0 ? RaiseCpU(unit) : RaiseReserved();
    }
}
