using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Mips;

internal sealed unsafe partial class MipsCore
{
    private VcpuExit _exit;

    /// <summary>Diagnostics: told about every exception the guest takes (null: no cost beyond the test).</summary>
    public GuestExceptionObserver? ExceptionObserver;

    private StepResult Raise(ExcCode code)
    {
        _fault = new Fault { Kind = FaultKind.Guest, Code = code };
        return StepResult.Fault;
    }

    private StepResult RaiseCpU(int unit)
    {
        _fault = new Fault { Kind = FaultKind.Guest, Code = ExcCode.CpU, CopUnit = (byte)unit };
        return StepResult.Fault;
    }

    /// <summary>Reserved Instruction, or a GRR exit when GuestCtl0.RI redirects guest RIs to the root.</summary>
    private StepResult RaiseReserved()
    {
        if ((_vz.GuestCtl0Raw & GuestCtl0Bits.RI) != 0)
            return GuestExit(GuestExitCode.Grr);
        return Raise(ExcCode.RI);
    }

    private StepResult GuestExit(GuestExitCode code)
    {
        _fault = new Fault { Kind = FaultKind.GuestExit, Code = ExcCode.GE, GuestExit = code };
        return StepResult.Fault;
    }

    /// <summary>
    /// Delivers the pending fault of the instruction at <see cref="_pc"/>: either the guest takes the
    /// exception through its vectors (<see cref="_pc"/> becomes the vector), or the run exits to the root.
    /// </summary>
    /// <param name="inSlot">The instruction is in a branch delay slot.</param>
    /// <param name="branchTarget">Where the branch goes after the slot (for the VMM's skip).</param>
    /// <param name="raw">The instruction word (ignored for fetch faults).</param>
    /// <returns>True when the run must return <see cref="_exit"/>.</returns>
    private bool DeliverFault(bool inSlot, uint branchTarget, uint raw)
    {
        ref var pc = ref _pc;
        var f = _fault;
        _fault = default;
        if (f.Fetch)
            raw = 0;
        if (f.Kind == FaultKind.Guest)
        {
            EnterGuestException(ref pc, inSlot, raw, f);
            return false;
        }
        var epc = inSlot ? pc - 4 : pc;
        _vz.GuestCtl0Raw = (_vz.GuestCtl0Raw & ~(0x1fu << GuestCtl0Bits.GExcCodeShift))
            | (uint)f.GuestExit << GuestCtl0Bits.GExcCodeShift;
        _exit = new VcpuExit(VcpuExitReason.Exception, f.Code, f.GuestExit, epc,
            f.HasBadVAddr ? f.BadVAddr : 0, raw, inSlot ? PeekCode(pc - 4) : 0, inSlot, 0);
        _exitResumePc = inSlot ? branchTarget : pc + 4;
        pc = epc;
        return true;
    }

    /// <summary>Exception entry in the guest context (MIPS32 PRA 6.2; QEMU mips_cpu_do_interrupt).</summary>
    private void EnterGuestException(ref uint pc, bool inSlot, uint raw, in Fault f)
    {
        var vz = _vz;
        var exl = (vz.StatusRaw & Cp0Bits.StatusEXL) != 0;
        if (!exl)
        {
            vz.EpcRaw = inSlot ? pc - 4 : pc;
            vz.CauseRaw = inSlot ? vz.CauseRaw | Cp0Bits.CauseBD : vz.CauseRaw & ~Cp0Bits.CauseBD;
            // BadInstr/BadInstrP are updated for synchronous exceptions of an instruction that could be fetched.
            if (!f.Fetch)
            {
                vz.BadInstrRaw = raw;
                if (inSlot)
                    vz.BadInstrPRaw = PeekCode(pc - 4);
            }
        }
        if (f.HasBadVAddr)
            vz.BadVAddrRaw = f.BadVAddr;
        if (f.TlbFields)
        {
            vz.ContextRaw = (vz.ContextRaw & P5600Guest.ContextWritable) | ((f.BadVAddr >> 9) & 0x007f_fff0);
            vz.EntryHiRaw = (f.BadVAddr & Cp0Bits.EntryHiVpn2) | (vz.EntryHiRaw & Cp0Bits.EntryHiAsid);
        }
        var cause = (vz.CauseRaw & ~Cp0Bits.CauseExcCode) | (uint)f.Code << 2;
        if (f.Code == ExcCode.CpU)
            cause = (cause & ~(3u << Cp0Bits.CauseCEShift)) | (uint)f.CopUnit << Cp0Bits.CauseCEShift;
        vz.CauseRaw = cause;
        vz.StatusRaw |= Cp0Bits.StatusEXL;
        var from = inSlot ? pc - 4 : pc;
        pc = VectorBase() + (f.Refill && !exl ? 0x000u : 0x180u);
        ExceptionObserver?.Invoke(new GuestException(f.Code, from, vz.BadVAddrRaw, pc, inSlot, _retired));
    }

    /// <summary>Takes a pending, enabled interrupt on the instruction at <paramref name="pc"/> (a delay slot when <paramref name="inSlot"/>).</summary>
    private void EnterInterrupt(ref uint pc, bool inSlot)
    {
        var vz = _vz;
        vz.EpcRaw = inSlot ? pc - 4 : pc;
        vz.CauseRaw = (vz.CauseRaw & ~(Cp0Bits.CauseBD | Cp0Bits.CauseExcCode)) | (uint)ExcCode.Int << 2
            | (inSlot ? Cp0Bits.CauseBD : 0);
        vz.StatusRaw |= Cp0Bits.StatusEXL;
        var offset = 0x180u;
        if ((vz.CauseRaw & Cp0Bits.CauseIV) != 0)
        {
            offset = 0x200;
            var spacing = (vz.IntCtlRaw & Cp0Bits.IntCtlVS) >> 5;
            if ((vz.StatusRaw & Cp0Bits.StatusBEV) == 0 && spacing != 0 && (vz.ConfigRaw[3] & P5600Guest.Config3VInt) != 0)
            {
                // Vectored interrupts: the highest pending and enabled IP line selects the vector.
                var pending = (vz.EffectiveCause & vz.StatusRaw & Cp0Bits.StatusIM) >> 8;
                var vector = 31 - System.Numerics.BitOperations.LeadingZeroCount(pending);
                offset = 0x200 + (uint)vector * (spacing << 5);
            }
        }
        var from = inSlot ? pc - 4 : pc;
        pc = VectorBase() + offset;
        ExceptionObserver?.Invoke(new GuestException(ExcCode.Int, from, vz.BadVAddrRaw, pc, inSlot, _retired));
    }

    private uint VectorBase() =>
        (_vz.StatusRaw & Cp0Bits.StatusBEV) != 0 ? 0xbfc0_0200u : _vz.EBaseRaw & 0xffff_f000u;

    private bool InterruptPending()
    {
        var s = _vz.StatusRaw;
        return (s & (Cp0Bits.StatusIE | Cp0Bits.StatusEXL | Cp0Bits.StatusERL)) == Cp0Bits.StatusIE
            && (_vz.EffectiveCause & s & Cp0Bits.StatusIM) != 0;
    }

    /// <summary>Recomputes the cycle at which guest Count reaches Compare (GuestCtl0.GT = 1 and TI clear).</summary>
    private void UpdateTimerDeadline()
    {
        if ((_vz.GuestCtl0Raw & GuestCtl0Bits.GT) == 0 || (_vz.CauseRaw & Cp0Bits.CauseTI) != 0)
        {
            _timerDeadline = ulong.MaxValue;
            return;
        }
        var n = _vz.CompareRaw - GuestCount;
        var counts = n == 0 ? 1ul << 32 : n;
        _timerDeadline = (_cycles / P5600Guest.CountResolution + counts) * P5600Guest.CountResolution;
    }
}
