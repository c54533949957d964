using L4Re.Uvmm.Mips;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// A minimal root-side VMM loop for bare-metal guests (the <c>l4re run-elf</c> command and the differential
/// tests): it emulates what uvmm emulates for a lone vCPU — GPSI reads of PRId and the other root-owned CP0
/// registers, sensitive MTC0 writes, CACHE index operations, GSFC field changes (without an FPU), WAIT (idling
/// until the guest timer fires) and the uvmm <c>outchar</c> hypercall (code 0x160, character in $a0) — and
/// stops at WAIT with interrupts disabled, at any other HYPCALL, at the instruction limit, or at an exit it
/// cannot handle (e.g. a guest-physical address outside RAM).
/// </summary>
public sealed class BareMetalRunner
{
    /// <summary>uvmm's <c>Hypcall_outchar</c> (server/src/ARCH-mips/guest.h: Hypcall_base 0x160).</summary>
    public const uint HypcallOutchar = 0x160;

    private readonly Vcpu _vcpu;
    private readonly TextWriter? _console;
    private readonly ILogger _logger;

    /// <summary>Creates a runner for <paramref name="vcpu"/>; guest output of the outchar hypercall goes to <paramref name="console"/>.</summary>
    public BareMetalRunner(Vcpu vcpu, TextWriter? console = null, ILogger<BareMetalRunner>? logger = null)
    {
        _vcpu = vcpu;
        _console = console;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        // Like uvmm's Cpu_dev::reset: the guest owns its timer (GT) and hit-type CACHE operations (CG).
        vcpu.State.GuestCtl0 |= GuestCtl0Bits.GT | GuestCtl0Bits.CG;
    }

    /// <summary>Runs until a stop condition or <paramref name="maxInstructions"/> guest instructions.</summary>
    public BareMetalResult Run(long maxInstructions)
    {
        long executed = 0;
        while (true)
        {
            var exit = _vcpu.Run(maxInstructions - executed);
            executed += exit.Instructions;
            if (exit.Reason != VcpuExitReason.Exception)
                return new BareMetalResult(BareMetalStop.Limit, exit.Epc, executed, exit);
            var action = Handle(exit);
            if (action == Action.Resume)
                continue;
            if (action == Action.Skip)
            {
                _vcpu.SkipInstruction();
                executed++;
                if (executed >= maxInstructions)
                    return new BareMetalResult(BareMetalStop.Limit, _vcpu.Pc, executed, exit);
                continue;
            }
            if (action is Action.StopWait or Action.StopHypcall)
                executed++;
            var stop = action switch
            {
                Action.StopWait => BareMetalStop.Wait,
                Action.StopHypcall => BareMetalStop.Hypcall,
                _ => BareMetalStop.Fault,
            };
            if (stop == BareMetalStop.Fault)
                _logger.LogInformation("bare-metal guest stopped: {Exit}", exit);
            return new BareMetalResult(stop, exit.Epc, executed, exit);
        }
    }

    private enum Action { Resume, Skip, StopWait, StopHypcall, StopFault }

    private Action Handle(in VcpuExit exit)
    {
        if (exit.ExcCode != ExcCode.GE)
            return Action.StopFault; // root TLB exception: no device model behind this GPA
        var form = InstructionDecoder.Decode(exit.BadInstr);
        var insn = exit.BadInstr;
        int rt = (int)((insn >> 16) & 31), rd = (int)((insn >> 11) & 31), sel = (int)(insn & 7);
        var state = _vcpu.State;
        switch (exit.GuestExitCode)
        {
            case GuestExitCode.Gpsi when form?.Op == Op.Wait:
                return Wait();
            case GuestExitCode.Gpsi when form?.Op == Op.Mfc0:
                _vcpu.SetGpr(rt, ReadRootOwned((Cp0Register)(rd * 8 + sel)));
                return Action.Skip;
            case GuestExitCode.Gpsi when form?.Op == Op.Mtc0:
                WriteRootOwned((Cp0Register)(rd * 8 + sel), _vcpu.GetGpr(rt));
                return Action.Skip;
            case GuestExitCode.Gpsi when form?.Op == Op.Cache:
                return Action.Skip; // index cache operations: the model's caches are always coherent
            case GuestExitCode.Gsfc when form?.Op == Op.Mtc0:
            {
                var v = _vcpu.GetGpr(rt);
                switch ((Cp0Register)(rd * 8 + sel))
                {
                    // No FPU, MSA or DSP: CU1–CU3, FR, MX and RE stay 0 (KVM's GSFC handler does the same for CU1/FR).
                    case Cp0Register.Status: state.Status = v & ~P5600Guest.StatusSoftFields; break;
                    case Cp0Register.Cause: state.Cause = v | (state.Cause & Cp0Bits.CauseTI); break;
                    case Cp0Register.IntCtl: state.IntCtl = v; break;
                    case Cp0Register.Config5: state.SetConfig(5, v); break;
                    default: return Action.StopFault;
                }
                return Action.Skip;
            }
            case GuestExitCode.Hypercall when form?.Op == Op.Hypcall:
                if (((insn >> 11) & 0x3ff) == HypcallOutchar && _console is not null)
                {
                    _console.Write((char)(_vcpu.GetGpr(4) & 0xff));
                    return Action.Skip;
                }
                return Action.StopHypcall;
            case GuestExitCode.Ghfc:
                return Action.Resume; // mode change notification: nothing to do (uvmm ignores it too)
            default:
                return Action.StopFault;
        }
    }

    private Action Wait()
    {
        var status = _vcpu.State.Status;
        var enabled = (status & (Cp0Bits.StatusIE | Cp0Bits.StatusEXL | Cp0Bits.StatusERL)) == Cp0Bits.StatusIE;
        if (!enabled)
            return Action.StopWait;
        if ((_vcpu.State.Cause & status & Cp0Bits.StatusIM) != 0)
            return Action.Skip; // an interrupt is already pending: WAIT falls through
        var timerLine = 1u << (8 + (int)(_vcpu.State.IntCtl >> Cp0Bits.IntCtlIptiShift));
        var cycles = _vcpu.CyclesUntilTimer();
        if (cycles == ulong.MaxValue || (status & timerLine) == 0)
            return Action.StopWait; // nothing can ever wake the guest
        _vcpu.AdvanceIdle(cycles);
        return Action.Skip;
    }

    private uint ReadRootOwned(Cp0Register reg) => reg switch
    {
        Cp0Register.PrId => P5600Guest.PrId,
        Cp0Register.Count => _vcpu.GuestCount,
        Cp0Register.Compare => _vcpu.State.Compare,
        _ => 0, // Config6/7, SRSCtl/Map, CDMMBase, CMGCRBase, MAAR, ErrCtl, unimplemented: read as zero
    };

    private void WriteRootOwned(Cp0Register reg, uint value)
    {
        switch (reg)
        {
            case Cp0Register.Count:
                _vcpu.State.GtOffset = (int)(value - _vcpu.RootCount);
                break;
            case Cp0Register.Compare:
                _vcpu.State.Compare = value;
                _vcpu.State.Cause &= ~Cp0Bits.CauseTI;
                break;
            case Cp0Register.LlAddr when (value & Cp0Bits.LlAddrLLB) == 0:
                _vcpu.State.ModifiedCp0Map |= VzStateFields.LlBit;
                break;
            default:
                break; // writes to root-owned or absent registers are ignored
        }
    }
}
